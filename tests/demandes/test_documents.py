"""The document-requirement matrix, one row per rule of docs/design.md ("The document matrix")."""

from datetime import UTC, date, datetime

import pytest

from demandes.documents import Situation, age_le, pieces_requises
from demandes.enums import Motif, Piece
from demandes.models import Demande

LE = date(2026, 11, 23)
MAJEUR_1990 = date(1990, 6, 1)  # 36 years old on LE, born after 1988
NE_1980 = date(1980, 6, 1)  # before 1 January 1988
TOUJOURS = {Piece.IDENTITE, Piece.DOMICILE, Piece.CODE_PHOTO}


def situation(motif=Motif.INSCRIPTION_PREMIERE, categories=("B",), naissance=MAJEUR_1990, **kw):
    return Situation(
        motif=motif, categories=frozenset(categories), date_naissance=naissance, le=LE, **kw
    )


# (rule, situation, pieces that must be required, pieces that must not be)
REGLES = [
    ("always: identity, address, photo code", situation(), TOUJOURS, set()),
    ("always, whatever the motif", situation(Motif.PERTE, ()), TOUJOURS, set()),
    (
        "JDC for a French candidate aged 17",
        situation(naissance=date(2009, 11, 23)),
        {Piece.JDC},
        set(),
    ),
    (
        "JDC for a French candidate aged 25",
        situation(naissance=date(2001, 6, 1)),
        {Piece.JDC},
        set(),
    ),
    ("no JDC at 16", situation(naissance=date(2009, 11, 24)), set(), {Piece.JDC}),
    ("no JDC at 26", situation(naissance=date(2000, 11, 23)), set(), {Piece.JDC}),
    (
        "no JDC for a foreign national of 20",
        situation(naissance=date(2006, 1, 1), nationalite="DE"),
        set(),
        {Piece.JDC},
    ),
    (
        "residence permit for a non-EEA national",
        situation(nationalite="MA"),
        {Piece.TITRE_SEJOUR},
        set(),
    ),
    (
        "no residence permit for an EU national",
        situation(nationalite="IT"),
        set(),
        {Piece.TITRE_SEJOUR},
    ),
    (
        "no residence permit for a Swiss national",
        situation(nationalite="CH"),
        set(),
        {Piece.TITRE_SEJOUR},
    ),
    ("no residence permit for a French national", situation(), set(), {Piece.TITRE_SEJOUR}),
    (
        "licence copy for an extension (inscription)",
        situation(Motif.INSCRIPTION_EXTENSION, ("A2",)),
        {Piece.PERMIS_ACTUEL},
        set(),
    ),
    (
        "licence copy for a new category (production)",
        situation(Motif.PRODUCTION_NOUVELLE_CATEGORIE, ("C",)),
        {Piece.PERMIS_ACTUEL},
        set(),
    ),
    ("no licence copy for a first inscription", situation(), set(), {Piece.PERMIS_ACTUEL}),
    (
        "medical opinion for renewal needing it",
        situation(Motif.FIN_VALIDITE_AVIS_MEDICAL, ()),
        {Piece.AVIS_MEDICAL},
        set(),
    ),
    (
        "medical opinion for heavy categories",
        situation(Motif.INSCRIPTION_EXTENSION, ("C",)),
        {Piece.AVIS_MEDICAL},
        set(),
    ),
    (
        "medical opinion after a suspension",
        situation(Motif.APRES_SUSPENSION, ()),
        {Piece.AVIS_MEDICAL},
        set(),
    ),
    ("no medical opinion for a plain B", situation(), set(), {Piece.AVIS_MEDICAL}),
    (
        "no medical opinion for a plain renewal",
        situation(Motif.FIN_VALIDITE, ()),
        set(),
        {Piece.AVIS_MEDICAL},
    ),
    (
        "annulation: reference 44, medical opinion, psychotechnical tests",
        situation(Motif.APRES_ANNULATION, ()),
        {Piece.REFERENCE_44, Piece.AVIS_MEDICAL, Piece.TESTS_PSYCHOTECHNIQUES},
        set(),
    ),
    (
        "return to the licence after annulation: same pieces",
        situation(Motif.INSCRIPTION_RETOUR, ("B",)),
        {Piece.REFERENCE_44, Piece.AVIS_MEDICAL, Piece.TESTS_PSYCHOTECHNIQUES},
        set(),
    ),
    (
        "no annulation pieces after a suspension",
        situation(Motif.APRES_SUSPENSION, ()),
        set(),
        {Piece.REFERENCE_44, Piece.TESTS_PSYCHOTECHNIQUES},
    ),
    (
        "training certificate for AM",
        situation(Motif.PRODUCTION_PREMIER_TITRE, ("AM",)),
        {Piece.ATTESTATION_FORMATION},
        set(),
    ),
    (
        "training certificate for A",
        situation(Motif.PRODUCTION_NOUVELLE_CATEGORIE, ("A",)),
        {Piece.ATTESTATION_FORMATION},
        set(),
    ),
    (
        "training certificate for B96",
        situation(Motif.PRODUCTION_NOUVELLE_CATEGORIE, ("B96",)),
        {Piece.ATTESTATION_FORMATION},
        set(),
    ),
    (
        "training certificate to lift code 78",
        situation(Motif.PRODUCTION_NOUVELLE_CATEGORIE, ("B",), levee_code_78=True),
        {Piece.ATTESTATION_FORMATION},
        set(),
    ),
    (
        "no training certificate for a B title",
        situation(Motif.PRODUCTION_PREMIER_TITRE, ("B",)),
        set(),
        {Piece.ATTESTATION_FORMATION},
    ),
    (
        "ASSR for a first title, born in 1988",
        situation(Motif.PRODUCTION_PREMIER_TITRE, ("B",), date(1988, 1, 1), premier_titre=True),
        {Piece.ASSR},
        set(),
    ),
    (
        "no ASSR for a first title, born in 1987",
        situation(Motif.PRODUCTION_PREMIER_TITRE, ("B",), date(1987, 12, 31), premier_titre=True),
        set(),
        {Piece.ASSR},
    ),
    (
        "no ASSR for an inscription (production only)",
        situation(premier_titre=True),
        set(),
        {Piece.ASSR},
    ),
    (
        "no ASSR for a new category (not a first title)",
        situation(Motif.PRODUCTION_NOUVELLE_CATEGORIE, ("A2",)),
        set(),
        {Piece.ASSR},
    ),
    (
        "representative's identity for a minor",
        situation(naissance=date(2010, 1, 1), mineur_ou_tutelle=True),
        {Piece.IDENTITE_REPRESENTANT},
        set(),
    ),
    (
        "representative's identity under guardianship",
        situation(naissance=NE_1980, mineur_ou_tutelle=True),
        {Piece.IDENTITE_REPRESENTANT},
        set(),
    ),
    ("no representative for an adult", situation(), set(), {Piece.IDENTITE_REPRESENTANT}),
    ("police receipt for a theft", situation(Motif.VOL, ()), {Piece.DECLARATION_VOL}, set()),
    ("no police receipt for a loss", situation(Motif.PERTE, ()), set(), {Piece.DECLARATION_VOL}),
]


@pytest.mark.parametrize(
    ("regle", "cas", "requises", "exclues"), REGLES, ids=[r[0] for r in REGLES]
)
def test_matrix_rule(regle, cas, requises, exclues):
    pieces = set(pieces_requises(cas))
    assert requises <= pieces, f"{regle}: missing {requises - pieces}"
    assert not (exclues & pieces), f"{regle}: unexpected {exclues & pieces}"


def test_plain_first_b_inscription_needs_exactly_the_base_pieces():
    assert pieces_requises(situation()) == [Piece.IDENTITE, Piece.DOMICILE, Piece.CODE_PHOTO]


def test_pieces_come_in_a_stable_order_without_duplicates():
    pieces = pieces_requises(situation(Motif.APRES_ANNULATION, ("C",), nationalite="MA"))
    assert len(pieces) == len(set(pieces))
    assert pieces == sorted(pieces, key=list(Piece).index)


@pytest.mark.parametrize(
    ("naissance", "jour", "age"),
    [
        (date(2000, 11, 23), date(2026, 11, 23), 26),
        (date(2000, 11, 24), date(2026, 11, 23), 25),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_counts_whole_years(naissance, jour, age):
    assert age_le(naissance, jour) == age


# 23:30 UTC on 2 December: already 3 December in Paris, the day the rules are judged on.
MINUIT_PASSE_A_PARIS = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize("deposee_le", [None, MINUIT_PASSE_A_PARIS])
def test_a_request_is_judged_on_the_paris_day_even_after_23h_utc(time_machine, deposee_le):
    """17 in Paris since midnight: the JDC certificate is asked, in a draft or once filed."""
    time_machine.move_to(MINUIT_PASSE_A_PARIS, tick=False)
    demande = Demande(
        motif=Motif.INSCRIPTION_PREMIERE,
        categories=["B"],
        date_naissance=date(2009, 12, 3),
        deposee_le=deposee_le,
    )
    assert demande.situation().le == date(2026, 12, 3)
    assert Piece.JDC in demande.pieces_requises()


def test_a_situation_without_a_day_is_judged_on_the_paris_day(time_machine):
    time_machine.move_to(MINUIT_PASSE_A_PARIS, tick=False)
    cas = Situation(motif=Motif.INSCRIPTION_PREMIERE, date_naissance=date(2009, 12, 3))
    assert Piece.JDC in pieces_requises(cas)
