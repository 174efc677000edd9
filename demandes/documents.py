"""The document-requirement matrix: which pieces a request needs.

One pure function, `pieces_requises`, drives both the candidate's upload step and the
instructor's checklist. Each rule is a row of the matrix in docs/design.md ("The document
matrix", from the DDT notice); tests/demandes/test_documents.py has a row per rule.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from demandes.enums import CATEGORIES_FORMATION, GROUPE_LOURD, Categorie, Motif, Piece

# Nationals of the EEA and Switzerland need no residence permit to hold a French licence.
PAYS_EEE_ET_SUISSE = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "IS LI NO CH".split()
)
# ASSR2/ASR is asked of people born on or after this date, for a first title.
NES_ASSR_A_PARTIR_DU = date(1988, 1, 1)
JDC_AGE_MIN, JDC_AGE_MAX = 17, 25


def age_le(naissance: date, jour: date) -> int:
    """Age in whole years on `jour` (a 29 February birthday counts on 1 March)."""
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


@dataclass(frozen=True)
class Situation:
    """What the matrix needs to know of a request."""

    motif: Motif
    categories: frozenset[Categorie] = field(default_factory=frozenset)
    date_naissance: date | None = None
    nationalite: str = "FR"  # ISO 3166-1 alpha-2
    mineur_ou_tutelle: bool = False
    premier_titre: bool = False
    levee_code_78: bool = False
    le: date | None = None  # the day the rules are applied; today when None


def pieces_requises(situation: Situation) -> list[Piece]:
    """The kinds of pieces required, in the order the candidate is asked for them."""
    motif = Motif(situation.motif)
    categories = frozenset(Categorie(c) for c in situation.categories)
    jour = situation.le or timezone.localdate()  # Paris, whatever the process's TZ
    age = age_le(situation.date_naissance, jour) if situation.date_naissance else None
    requises: set[Piece] = {Piece.IDENTITE, Piece.DOMICILE, Piece.CODE_PHOTO}

    if situation.nationalite == "FR" and age is not None and JDC_AGE_MIN <= age <= JDC_AGE_MAX:
        requises.add(Piece.JDC)
    if situation.nationalite not in PAYS_EEE_ET_SUISSE:
        requises.add(Piece.TITRE_SEJOUR)
    if motif in {Motif.INSCRIPTION_EXTENSION, Motif.PRODUCTION_NOUVELLE_CATEGORIE}:
        requises.add(Piece.PERMIS_ACTUEL)
    if motif.avis_medical or categories & GROUPE_LOURD:
        requises.add(Piece.AVIS_MEDICAL)
    if motif.suite_annulation:
        requises |= {Piece.REFERENCE_44, Piece.AVIS_MEDICAL, Piece.TESTS_PSYCHOTECHNIQUES}
    if motif.famille == "production" and (
        categories & CATEGORIES_FORMATION or situation.levee_code_78
    ):
        requises.add(Piece.ATTESTATION_FORMATION)
    if (
        motif.famille == "production"
        and situation.premier_titre
        and situation.date_naissance is not None
        and situation.date_naissance >= NES_ASSR_A_PARTIR_DU
    ):
        requises.add(Piece.ASSR)
    if situation.mineur_ou_tutelle:
        requises.add(Piece.IDENTITE_REPRESENTANT)
    if motif == Motif.VOL:
        requises.add(Piece.DECLARATION_VOL)
    return [piece for piece in Piece if piece in requises]
