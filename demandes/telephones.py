"""French mobile numbers, mainland and overseas, read with phonenumbers and stored in E.164.

The region of the address decides how a national number is read: « 0692 12 34 56 » is
+262 692 12 34 56 in La Réunion. A number that belongs to one other French region only (a
mainland mobile kept by someone living overseas) is read as that region's.
"""

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# The département (or collectivity) code of an address -> its numbering region; else FR.
REGION_DU_DEPARTEMENT = {
    "971": "GP",  # Guadeloupe, +590
    "972": "MQ",  # Martinique, +596
    "973": "GF",  # Guyane, +594
    "974": "RE",  # La Réunion, +262
    "975": "PM",  # Saint-Pierre-et-Miquelon, +508
    "976": "YT",  # Mayotte, +262
    "977": "BL",  # Saint-Barthélemy, +590
    "978": "MF",  # Saint-Martin, +590
}
REGIONS_FRANCAISES = ("FR", *dict.fromkeys(REGION_DU_DEPARTEMENT.values()))
MESSAGE = (
    "Saisissez un numéro de portable français, par exemple 06 12 34 56 78 "
    "(0692 12 34 56 à La Réunion, 0690 12 34 56 en Guadeloupe…) ou +33 6 12 34 56 78."
)


class NumeroInvalide(ValueError):
    """Not the mobile number of a French subscriber."""

    def __init__(self, saisi: str):
        super().__init__(MESSAGE)
        self.saisi = saisi


def region_telephonique(departement: str) -> str:
    return REGION_DU_DEPARTEMENT.get(departement or "", "FR")


def _portable_francais(numero: phonenumbers.PhoneNumber) -> bool:
    return (
        phonenumbers.is_valid_number(numero)
        and phonenumbers.region_code_for_number(numero) in REGIONS_FRANCAISES
        and phonenumbers.number_type(numero)
        in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    )


def portable_e164(saisi: str, region: str = "FR") -> str:
    """'0692 12 34 56' (region RE) -> '+262692123456'; raises NumeroInvalide otherwise."""
    ailleurs = set()
    for essai in dict.fromkeys((region, *REGIONS_FRANCAISES)):
        try:
            numero = phonenumbers.parse(saisi or "", essai)
        except NumberParseException:
            continue
        if _portable_francais(numero):
            e164 = phonenumbers.format_number(numero, PhoneNumberFormat.E164)
            if essai == region:
                return e164
            ailleurs.add(e164)
    if len(ailleurs) == 1:
        return ailleurs.pop()
    raise NumeroInvalide(saisi)


@lru_cache(maxsize=4096)  # on every view of the address step: phonenumbers' parse costs ~20 µs
def affichage(e164: str) -> str:
    """'+262692123456' -> '0692 12 34 56', as the subscriber writes it; '' stays ''."""
    if not e164:
        return ""
    try:
        numero = phonenumbers.parse(e164)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(numero, PhoneNumberFormat.NATIONAL)
