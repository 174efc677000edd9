"""The backlog's weekly history as a chart drawn on the server: the geometry of an SVG.

Bars for the requests deposited and decided each week (left scale, in requests), a line for
the median submission-to-decision time (right scale, in days). Python computes every
coordinate; templates/instruction/_graphique_semaines.html only writes them out, so the page
needs no JavaScript and no inline style (colours are SVG presentation attributes).

The colours are DSFR's, each at least 3:1 against the chart's white background (RGAA 3.3),
and colour is never the only difference: deposited bars are plain, decided ones hatched, the
median a line with round markers, and the legend says which is which.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import get_language

from instruction.queries import Semaine, duree_lisible
from permis.rendus_gardes import RendusGardes

LARGEUR, HAUTEUR = 720, 340
GAUCHE, DROITE, HAUT, BAS = 56, 56, 56, 40  # margins: scales, legend, week labels
GRADUATIONS = 4


@dataclass(frozen=True)
class Barre:
    x: float
    y: float
    largeur: float
    hauteur: float


@dataclass(frozen=True)
class Graduation:
    y: float
    texte: str


@dataclass(frozen=True)
class Etiquette:
    x: float
    texte: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Graphique:
    largeur: int
    hauteur: int
    gauche: float  # the plot area's edges
    droite: float
    haut: float
    bas: float
    deposees: list[Barre]
    decidees: list[Barre]
    mediane: str  # the line's path ("M x y L x y …"), broken where a week has no decision
    points: list[Point]
    graduations_demandes: list[Graduation]
    graduations_jours: list[Graduation]
    semaines: list[Etiquette]
    resume: str  # the text alternative: what the chart shows, in a few sentences


def echelle(maximum: float) -> float:
    """The top of a scale: `maximum` rounded up to 1, 2 or 5 times a power of ten, so that
    GRADUATIONS equal steps fall on round values."""
    if maximum <= 0:
        return GRADUATIONS
    pas = maximum / GRADUATIONS
    puissance = 10 ** math.floor(math.log10(pas))
    for facteur in (1, 2, 5, 10):
        if pas <= facteur * puissance:
            return max(GRADUATIONS, facteur * puissance * GRADUATIONS)
    raise AssertionError  # unreachable: 10 × puissance >= pas


def _jours(duree: timedelta) -> float:
    return duree / timedelta(days=1)


def _nombre(n: float) -> str:
    return number_format(n, decimal_pos=0 if n == int(n) else 1, force_grouping=True)


def resume(semaines: list[Semaine]) -> str:
    """Totals over the period, the first and last four weeks' pace, the median's trend."""
    if not semaines:
        return "Aucune semaine à afficher."
    debut, fin = semaines[0].debut, semaines[-1].debut + timedelta(days=6)
    deposees = sum(s.deposees for s in semaines)
    decidees = sum(s.decidees for s in semaines)
    phrases = [
        f"Du {debut:%d/%m/%Y} au {fin:%d/%m/%Y} : {_nombre(deposees)} demandes déposées "
        f"et {_nombre(decidees)} décidées."
    ]
    if len(semaines) >= 8:
        premieres, dernieres = semaines[:4], semaines[-4:]

        def rythme(liste, champ):
            return _nombre(round(sum(getattr(s, champ) for s in liste) / len(liste), 1))

        phrases.append(
            f"En moyenne par semaine, {rythme(premieres, 'deposees')} déposées et "
            f"{rythme(premieres, 'decidees')} décidées sur les quatre premières semaines, "
            f"{rythme(dernieres, 'deposees')} déposées et {rythme(dernieres, 'decidees')} "
            "décidées sur les quatre dernières."
        )
    avec_mediane = [s for s in semaines if s.mediane is not None]
    if avec_mediane:
        premiere, derniere = avec_mediane[0], avec_mediane[-1]
        if premiere is derniere:
            phrases.append(
                f"Délai médian de décision : {duree_lisible(premiere.mediane)} "
                f"(semaine du {premiere.debut:%d/%m})."
            )
        else:
            phrases.append(
                f"Délai médian de décision : {duree_lisible(premiere.mediane)} la semaine du "
                f"{premiere.debut:%d/%m}, {duree_lisible(derniere.mediane)} la semaine du "
                f"{derniere.debut:%d/%m}."
            )
    else:
        phrases.append("Aucune décision sur la période.")
    phrases.append("Le tableau qui suit donne les chiffres de chaque semaine.")
    return " ".join(phrases)


def graphique(semaines: list[Semaine]) -> Graphique:
    gauche, droite = GAUCHE, LARGEUR - DROITE
    haut, bas = HAUT, HAUTEUR - BAS
    hauteur = bas - haut
    max_demandes = echelle(max([max(s.deposees, s.decidees) for s in semaines], default=0))
    max_jours = echelle(max([_jours(s.mediane) for s in semaines if s.mediane], default=0))
    colonne = (droite - gauche) / max(len(semaines), 1)  # no week: empty axes, no bar
    barre = colonne * 0.38  # two bars side by side, a gap between weeks

    def y_demandes(n: float) -> float:
        return round(bas - hauteur * n / max_demandes, 1)

    def y_jours(j: float) -> float:
        return round(bas - hauteur * j / max_jours, 1)

    deposees, decidees, points, troncons = [], [], [], []
    trace: list[str] = []
    for i, semaine in enumerate(semaines):
        x = gauche + i * colonne + colonne * 0.12
        for liste, n, decalage in (
            (deposees, semaine.deposees, 0),
            (decidees, semaine.decidees, barre),
        ):
            y = y_demandes(n)
            liste.append(Barre(round(x + decalage, 1), y, round(barre, 1), round(bas - y, 1)))
        if semaine.mediane is None:
            if trace:
                troncons.append(trace)
            trace = []
            continue
        point = Point(round(gauche + (i + 0.5) * colonne, 1), y_jours(_jours(semaine.mediane)))
        points.append(point)
        trace.append(f"{'L' if trace else 'M'} {point.x} {point.y}")
    if trace:
        troncons.append(trace)
    pas = range(GRADUATIONS + 1)
    return Graphique(
        largeur=LARGEUR,
        hauteur=HAUTEUR,
        gauche=gauche,
        droite=droite,
        haut=haut,
        bas=bas,
        deposees=deposees,
        decidees=decidees,
        mediane=" ".join(" ".join(t) for t in troncons),
        points=points,
        graduations_demandes=[
            Graduation(
                y_demandes(max_demandes * k / GRADUATIONS), _nombre(max_demandes * k / GRADUATIONS)
            )
            for k in pas
        ],
        graduations_jours=[
            Graduation(y_jours(max_jours * k / GRADUATIONS), _nombre(max_jours * k / GRADUATIONS))
            for k in pas
        ],
        # One label every four weeks, counted back from this week so that it is labelled.
        semaines=[
            Etiquette(round(gauche + (i + 0.5) * colonne, 1), f"{s.debut:%d/%m}")
            for i, s in enumerate(semaines)
            if (len(semaines) - 1 - i) % 4 == 0
        ],
        resume=resume(semaines),
    )


# The chart and its table, rendered, by (weeks, language). The weeks are the whole input
# (frozen dataclasses, compared by value), so new figures make a new key and an entry is
# never stale; a few scopes and languages at a time.
_RENDUS = RendusGardes(taille=64)


def rendu(semaines: list[Semaine]) -> str:
    """templates/instruction/_graphique_semaines.html for these weeks, rendered once per
    process for the same figures: ~200 elements of SVG and a 26-row table, where the page's
    figures change every few minutes and are read by every agent of the scope meanwhile."""
    return _RENDUS.obtenir(
        (tuple(semaines), get_language()),
        lambda: render_to_string(
            "instruction/_graphique_semaines.html",
            {"semaines": semaines, "graphique": graphique(semaines)},
        ),
    )
