"""Official French geography: communes with their INSEE code, postal codes and département.

From INSEE's code officiel géographique and La Poste's postal codes, as published by Etalab's
npm package @etalab/decoupage-administratif; shipped in demandes/data/ and rebuilt by
`manage.py construire_geographie`. Read once per process into an immutable in-memory index.

A postal code may span départements (48250 holds Laveyrune, in Ardèche, and three communes
of Lozère), so the département always comes from the commune, never from the digits.
"""

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

DONNEES = Path(__file__).parent / "data"
FICHIER_COMMUNES = "communes.tsv.gz"
FICHIER_DEPARTEMENTS = "departements.tsv"

# Collectivities whose driving licences this portal's DDT queues do not handle.
NON_SERVIS = frozenset({"975", "984", "986", "987", "988", "989"})

# The article and preposition of « Délai constaté dans le Rhône », from INSEE's TNCC (type de
# nom en clair): 2 « le », 3 « la », 4 « les », 5 « l' »; 0 and 1 take no article.
ARTICLES = {2: "le ", 3: "la ", 4: "les ", 5: "l'"}
# Where the TNCC does not say it: Paris is a city; the COG gives these collectivities'
# names without the article or preposition they take.
LOCATIFS_PARTICULIERS = {
    "75": "à Paris",
    "984": "dans les Terres australes et antarctiques françaises",
    "987": "en Polynésie française",
    "988": "en Nouvelle-Calédonie",
    "989": "sur l'île de Clipperton",
}

MESSAGE_CODE_POSTAL = "Saisissez un code postal français à 5 chiffres, par exemple 69002."
CODE_POSTAL = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    region: str
    nom_region: str
    zone: str  # metro, drom or com
    tncc: int = 0  # INSEE's type de nom en clair: which article the name takes

    @property
    def servi(self) -> bool:
        return self.code not in NON_SERVIS

    @property
    def locatif(self) -> str:
        """« dans le Rhône », « dans l'Ain », « dans les Bouches-du-Rhône », « à La Réunion ».

        With an article: « dans » it, except the overseas départements named after their
        island or country (« en Guadeloupe », « en Guyane »). Without: the mainland ones
        join two rivers (« en Seine-et-Marne »), the overseas ones are islands (« à Mayotte »).
        """
        if particulier := LOCATIFS_PARTICULIERS.get(self.code):
            return particulier
        if article := ARTICLES.get(self.tncc):
            if self.zone != "metro" and self.tncc == 3:
                return f"en {self.nom}"
            return f"dans {article}{self.nom}"
        return f"en {self.nom}" if self.zone == "metro" else f"à {self.nom}"

    def __str__(self) -> str:
        return f"{self.code} — {self.nom}"


@dataclass(frozen=True)
class Commune:
    code: str  # INSEE (COG) code
    nom: str
    departement: str
    type: str  # A actuelle, D déléguée, S associée, M arrondissement municipal
    codes_postaux: tuple[str, ...]
    parent: str  # the commune of an arrondissement, the chef-lieu of a delegated commune

    @property
    def actuelle(self) -> bool:
        return self.type == "A"


@dataclass(frozen=True)
class Index:
    communes: MappingProxyType  # INSEE code (current or former) -> Commune
    par_code_postal: MappingProxyType  # postal code -> current communes, by name
    departements: MappingProxyType  # code -> Departement


def _lignes(texte: str):
    for ligne in texte.splitlines():
        if ligne and not ligne.startswith("#"):
            yield ligne.split("\t")


@cache
def index() -> Index:
    departements = {
        code: Departement(code, nom, region, nom_region, zone, int(tncc))
        for code, nom, region, nom_region, zone, tncc in _lignes(
            (DONNEES / FICHIER_DEPARTEMENTS).read_text(encoding="utf-8")
        )
    }
    communes: dict[str, Commune] = {}
    anciens: dict[str, str] = {}
    par_code_postal: dict[str, list[Commune]] = {}
    with gzip.open(DONNEES / FICHIER_COMMUNES, "rt", encoding="utf-8") as fichier:
        for code, nom, dep, type_, postaux, anciens_codes, parent in _lignes(fichier.read()):
            commune = Commune(code, nom, dep, type_, tuple(postaux.split()), parent)
            # A current commune wins over a delegated one that shares its code.
            if code not in communes or commune.actuelle:
                communes[code] = commune
            for ancien in anciens_codes.split():
                anciens.setdefault(ancien, code)
            if commune.actuelle:
                for postal in commune.codes_postaux:
                    par_code_postal.setdefault(postal, []).append(commune)
    for ancien, actuel in anciens.items():
        communes.setdefault(ancien, communes[actuel])
    return Index(
        communes=MappingProxyType(communes),
        par_code_postal=MappingProxyType(
            {
                cp: tuple(sorted(liste, key=lambda c: cle_nom(c.nom)))
                for cp, liste in par_code_postal.items()
            }
        ),
        departements=MappingProxyType(departements),
    )


def cle_nom(nom: str) -> str:
    """How names compare: no accents, case, hyphens or apostrophes; St/Ste spelled out."""
    sans_accents = unicodedata.normalize("NFKD", nom or "").encode("ascii", "ignore").decode()
    mots = re.sub(r"[^a-z0-9]+", " ", sans_accents.lower()).split()
    mots = [{"st": "saint", "ste": "sainte"}.get(mot, mot) for mot in mots]
    return " ".join(mots)


def commune(code: str) -> Commune | None:
    """The commune of an INSEE code, a former code included (FranceConnect's birthplaces)."""
    return index().communes.get(code or "")


def departement(code: str) -> Departement | None:
    return index().departements.get(code or "")


def departements_servis() -> list[Departement]:
    return [d for d in index().departements.values() if d.servi]


def communes_du_code_postal(code_postal: str) -> tuple[Commune, ...]:
    return index().par_code_postal.get((code_postal or "").strip(), ())


class AdresseInvalide(ValueError):
    """The postal code or the commune of an address is wrong; the message says why."""

    def __init__(self, message: str, champ: str):
        super().__init__(message)
        self.champ = champ


def verifier_code_postal(code_postal: str) -> tuple[Commune, ...]:
    """The communes of a French postal code this service handles, or AdresseInvalide."""
    if not CODE_POSTAL.match(code_postal or ""):
        raise AdresseInvalide(MESSAGE_CODE_POSTAL, "code_postal")
    communes = communes_du_code_postal(code_postal)
    if not communes:
        raise AdresseInvalide(
            f"Aucune commune française n'a le code postal {code_postal}. {MESSAGE_CODE_POSTAL}",
            "code_postal",
        )
    servies = tuple(c for c in communes if c.departement not in NON_SERVIS)
    if not servies:
        nom = departement(communes[0].departement)
        raise AdresseInvalide(
            f"Les adresses de {nom.nom if nom else 'cette collectivité'} ne relèvent pas de ce "
            "service : adressez-vous aux services de la collectivité pour votre permis.",
            "code_postal",
        )
    return servies


def commune_de_l_adresse(code_postal: str, nom: str) -> Commune:
    """The commune named `nom` among those of `code_postal`, or AdresseInvalide."""
    communes = verifier_code_postal(code_postal)
    cle = cle_nom(nom)
    for commune in communes:
        if cle_nom(commune.nom) == cle:
            return commune
    noms = ", ".join(c.nom for c in communes)
    raise AdresseInvalide(
        f"La commune « {nom} » n'a pas le code postal {code_postal}. "
        f"Choisissez parmi les communes de ce code postal : {noms}.",
        "commune",
    )


def choix_departements() -> list[tuple[str, str]]:
    """The served départements as choices: « 69 — Rhône »."""
    return [(d.code, str(d)) for d in departements_servis()]


def choix_tous_departements() -> list[tuple[str, str]]:
    """Every département and collectivity, served or not: one may be born anywhere."""
    return [(d.code, str(d)) for d in index().departements.values()]
