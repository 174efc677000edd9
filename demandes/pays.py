"""Countries: ISO 3166-1 codes with their French names from django-countries, and INSEE's
COG country codes (99xxx) that FranceConnect gives as the birth country.

COG -> ISO for the states of INSEE's « pays et territoires étrangers » file (its CODEISO2
column); a COG code several ISO territories share, and former states (99115
Tchécoslovaquie...), are left out: the candidate then chooses the country.
"""

import functools

from django.utils.translation import get_language
from django_countries import countries

COG_FRANCE = "99100"
_COG = (
    "AD 99130 AE 99247 AF 99212 AG 99441 AL 99125 AM 99252 AO 99395 AR 99415 AT 99110 AU 99501 "
    "AZ 99253 BA 99118 BB 99434 BD 99246 BE 99131 BF 99331 BG 99111 BH 99249 BI 99321 BJ 99327 "
    "BN 99225 BO 99418 BQ 99443 BR 99416 BS 99436 BT 99214 BW 99347 BY 99148 BZ 99429 CA 99401 "
    "CD 99312 CF 99323 CG 99324 CH 99140 CI 99326 CL 99417 CM 99322 CN 99216 CO 99419 CR 99406 "
    "CU 99407 CV 99396 CW 99444 CY 99254 CZ 99116 DE 99109 DJ 99399 DK 99101 DM 99438 DO 99408 "
    "DZ 99352 EC 99420 EE 99106 EG 99301 EH 99389 ER 99317 ES 99134 ET 99315 FI 99105 FJ 99508 "
    "FM 99516 FR 99100 GA 99328 GB 99132 GD 99435 GE 99255 GH 99329 GI 99133 GL 99430 GM 99304 "
    "GN 99330 GQ 99314 GR 99126 GT 99409 GW 99392 GY 99428 HK 99230 HN 99411 HR 99119 HT 99410 "
    "HU 99112 ID 99231 IE 99136 IL 99207 IN 99223 IO 99308 IQ 99203 IR 99204 IS 99102 IT 99127 "
    "JM 99426 JO 99222 JP 99217 KE 99332 KG 99257 KH 99234 KI 99513 KM 99397 KN 99442 KP 99238 "
    "KR 99239 KW 99240 KZ 99256 LA 99241 LB 99205 LC 99439 LI 99113 LK 99235 LR 99302 LS 99348 "
    "LT 99108 LU 99137 LV 99107 LY 99316 MA 99350 MC 99138 MD 99151 ME 99120 MG 99333 MH 99515 "
    "MK 99156 ML 99335 MM 99224 MN 99242 MO 99232 MR 99336 MT 99144 MU 99390 MV 99229 MW 99334 "
    "MX 99405 MY 99227 MZ 99393 NA 99311 NE 99337 NG 99338 NI 99412 NL 99135 NO 99103 NP 99215 "
    "NR 99507 NZ 99502 OM 99250 PA 99413 PE 99422 PG 99510 PH 99220 PK 99213 PL 99122 PN 99503 "
    "PS 99261 PT 99139 PW 99517 PY 99421 QA 99248 RO 99114 RS 99121 RU 99123 RW 99340 SA 99201 "
    "SB 99512 SC 99398 SD 99343 SE 99104 SG 99226 SH 99306 SI 99145 SK 99117 SL 99342 SM 99128 "
    "SN 99341 SO 99318 SR 99437 SS 99349 ST 99394 SV 99414 SX 99445 SY 99206 SZ 99391 TD 99344 "
    "TG 99345 TH 99219 TJ 99259 TL 99262 TM 99260 TN 99351 TO 99509 TR 99208 TT 99433 TV 99511 "
    "TW 99236 TZ 99309 UA 99155 UG 99339 US 99404 UY 99423 UZ 99258 VA 99129 VC 99440 VE 99424 "
    "VN 99243 VU 99514 WS 99506 XK 99157 YE 99251 ZA 99303 ZM 99346 ZW 99310"
).split()
ISO_DU_COG: dict[str, str] = dict(zip(_COG[1::2], _COG[::2], strict=True))


def nom_pays(code: str) -> str:
    """« Allemagne » for DE; an unknown code is shown as is."""
    return countries.name(code) or code


def choix_pays() -> list[tuple[str, str]]:
    """Every country, France first (COUNTRIES_FIRST), then by French name."""
    return list(_choix_pays(get_language()))


@functools.cache
def _choix_pays(langue: str | None) -> tuple[tuple[str, str], ...]:
    # Sorting the translated names took ~0.4 ms, and the état civil's two lists ask for
    # them on every display and validation: once per language (`langue` is the cache key).
    return tuple((code, str(nom)) for code, nom in countries)


def pays_du_cog(cog: str) -> str:
    """'99109' -> 'DE'; '' for a code this table does not know."""
    return ISO_DU_COG.get(cog or "", "")
