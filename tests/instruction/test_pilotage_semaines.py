"""The backlog's last 26 weeks: deposited, decided and the median processing time of each ISO
week (in the service's time zone), drawn on the server as an SVG with its text alternative,
beside a table of the same figures."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from demandes.enums import Etat
from instruction import graphique, queries
from tests.factories import DemandeFactory

PARIS = ZoneInfo("Europe/Paris")
URL = reverse("instruction:pilotage")
# Wednesday of ISO week 24 of 2026: this week began on Monday 8 June, the first of the 26
# on Monday 15 December 2025.
MAINTENANT = datetime(2026, 6, 10, 10, 0, tzinfo=PARIS)
CETTE_SEMAINE, SEMAINE_PASSEE, IL_Y_A_2 = date(2026, 6, 8), date(2026, 6, 1), date(2026, 5, 25)
PREMIERE = date(2025, 12, 15)


def _le(jour, mois, annee=2026, heure=9, minute=0):
    return datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


def _decidee(deposee_le, decidee_le, departement="69"):
    return DemandeFactory(
        etat=Etat.ACCEPTEE,
        deposee_le=deposee_le,
        decidee_le=decidee_le,
        departement=departement,
    )


@pytest.fixture
def historique(db):
    # Last week: three decisions, after 2, 10 and 3 days: median 3 days.
    _decidee(_le(1, 6), _le(3, 6))
    _decidee(_le(25, 5), _le(4, 6))  # deposited the week before
    _decidee(_le(2, 6, heure=10), _le(5, 6, heure=10))
    DemandeFactory(en_instruction=True, deposee_le=_le(2, 6, heure=11), departement="69")
    DemandeFactory(en_instruction=True, deposee_le=_le(3, 6), departement="34")
    # This week: two decisions, after 1 day and 14 days 12 hours: median their mean.
    _decidee(_le(8, 6, heure=8), _le(9, 6, heure=8))
    _decidee(_le(26, 5, heure=8), _le(9, 6, heure=20))
    # The first week begins on Monday 15 December at midnight in Paris (23:00 UTC on the
    # 14th): a request deposited half an hour after is in it, one an hour earlier is not.
    DemandeFactory(deposee=True, deposee_le=_le(15, 12, 2025, 0, 30), departement="69")
    DemandeFactory(deposee=True, deposee_le=_le(14, 12, 2025, 23, 30), departement="69")
    DemandeFactory(departement="69")  # a draft: never deposited


def _par_semaine(semaines):
    return {s.debut: (s.deposees, s.decidees, s.mediane) for s in semaines}


@pytest.mark.django_db
@time_machine.travel(MAINTENANT, tick=False)
def test_weekly_figures_and_medians_match_the_hand_computed_ones(historique, agent_ctn):
    semaines = queries.pilotage(agent_ctn).semaines

    assert len(semaines) == 26
    assert (semaines[0].debut, semaines[-1].debut) == (PREMIERE, CETTE_SEMAINE)
    assert [s.debut.weekday() for s in semaines] == [0] * 26
    assert semaines[-1].numero == 24
    figures = _par_semaine(semaines)
    assert figures[SEMAINE_PASSEE] == (4, 3, timedelta(days=3))
    assert figures[IL_Y_A_2] == (2, 0, None)
    assert figures[CETTE_SEMAINE] == (1, 2, timedelta(days=7, hours=18))
    assert figures[PREMIERE] == (1, 0, None)
    autres = {d: f for d, f in figures.items() if d not in (SEMAINE_PASSEE, IL_Y_A_2)}
    assert sum(f[0] for f in autres.values()) == 2 and sum(f[1] for f in autres.values()) == 2


@pytest.mark.django_db
@time_machine.travel(MAINTENANT, tick=False)
def test_an_instructor_sees_the_weeks_of_their_departement(historique, instructeur):
    figures = _par_semaine(queries.pilotage(instructeur).semaines)
    assert figures[SEMAINE_PASSEE] == (3, 3, timedelta(days=3))  # not the Hérault's


def _semaine(debut, deposees=0, decidees=0, jours=None):
    mediane = timedelta(days=jours) if jours is not None else None
    return queries.Semaine(debut, deposees, decidees, mediane)


def test_the_chart_scales_bars_and_line_to_round_maxima():
    lundis = [PREMIERE + timedelta(weeks=n) for n in range(26)]
    semaines = [_semaine(lundi) for lundi in lundis]
    semaines[0] = _semaine(lundis[0], deposees=37, decidees=10, jours=6)
    semaines[1] = _semaine(lundis[1], deposees=20, decidees=40, jours=12)
    semaines[3] = _semaine(lundis[3], decidees=1, jours=3)

    dessin = graphique.graphique(semaines)

    hauteur = dessin.bas - dessin.haut
    # 40 requests at most: a scale of 40 (4 steps of 10); 12 days: a scale of 20 (4 of 5).
    assert [g.texte for g in dessin.graduations_demandes] == ["0", "10", "20", "30", "40"]
    assert [g.texte for g in dessin.graduations_jours] == ["0", "5", "10", "15", "20"]
    assert dessin.deposees[0].hauteur == pytest.approx(hauteur * 37 / 40, abs=0.1)
    assert dessin.decidees[1].hauteur == pytest.approx(hauteur, abs=0.1)
    assert dessin.deposees[2].hauteur == 0
    assert [p.y for p in dessin.points] == pytest.approx(
        [dessin.bas - hauteur * j / 20 for j in (6, 12, 3)], abs=0.1
    )
    # The line breaks over the week without a decision: two stretches.
    assert dessin.mediane.count("M") == 2
    # This week and every fourth before it are labelled.
    assert [e.texte for e in dessin.semaines][-2:] == ["11/05", "08/06"]


def test_scale_tops_are_round():
    assert [graphique.echelle(n) for n in (0, 3, 4, 9, 37, 41, 180, 1234)] == [
        4,
        4,
        4,
        20,
        40,
        80,
        200,
        2000,
    ]


@pytest.mark.django_db
@time_machine.travel(MAINTENANT, tick=False)
def test_the_page_draws_the_chart_with_its_text_alternative_and_table(
    historique, client, agent_ctn
):
    client.force_login(agent_ctn)
    page = client.get(URL).content.decode()

    svg = re.search(r"<svg id=\"graphique-semaines\".*?</svg>", page, re.S).group()
    assert 'role="img"' in svg
    assert 'aria-labelledby="graphique-titre graphique-resume"' in svg
    assert '<title id="graphique-titre">' in svg
    resume = re.search(r'<desc id="graphique-resume">(.*?)</desc>', svg, re.S).group(1)
    assert "Du 15/12/2025 au 14/06/2026 : 8 demandes déposées et 5 décidées." in resume
    assert "3 j 0 h la semaine du 01/06, 7 j 18 h la semaine du 08/06" in resume
    # Coordinates are SVG numbers, whatever the language: no decimal comma.
    assert not re.search(r'(x|y|width|height)="\d+,\d', svg)
    assert "style=" not in svg
    # 26 weeks, two bars each, and a marker per week with a decision.
    assert svg.count('fill="#000091"') == 26 + 1  # and the legend's swatch
    assert svg.count("<circle") == 2 + 1
    tableau = re.search(r'<table id="tableau-semaines">.*?</table>', page, re.S).group()
    assert tableau.count('<th scope="row">') == 26
    assert "S23, du 01/06/2026</th>" in tableau
    ligne = tableau.split("S23, du 01/06/2026</th>")[1].split("</tr>")[0]
    assert re.findall(r"<td>(.*?)</td>", ligne) == ["4", "3", "3 j 0 h"]


@pytest.mark.django_db
def test_no_history_yet_draws_empty_weeks(client, agent_ctn):
    client.force_login(agent_ctn)
    page = client.get(URL).content.decode()
    assert "0 demandes déposées et 0 décidées" in page
    assert "Aucune décision sur la période." in page


@pytest.mark.django_db
@time_machine.travel(MAINTENANT, tick=False)
def test_past_weeks_are_read_once_this_week_again_when_its_figures_expire(historique, agent_ctn):
    queries.pilotage(agent_ctn)
    # Figures that came in since: a decision dated last week (a correction) and one today.
    _decidee(_le(2, 6), _le(4, 6))
    _decidee(_le(9, 6), _le(10, 6, heure=8))
    # The median and this week expire together, every few minutes: this week is read again
    # (two queries, plus two for the median), the past weeks kept a day.
    queries.oublier(agent_ctn, semaines_passees=False)
    figures = _par_semaine(queries.pilotage(agent_ctn).semaines)
    assert figures[SEMAINE_PASSEE] == (4, 3, timedelta(days=3))
    assert figures[CETTE_SEMAINE][:2] == (2, 3)
    # A new day's history: everything read again.
    queries.oublier(agent_ctn)
    assert _par_semaine(queries.pilotage(agent_ctn).semaines)[SEMAINE_PASSEE][1] == 4


@pytest.mark.django_db
@time_machine.travel(MAINTENANT, tick=False)
def test_the_chart_is_rendered_once_for_the_same_figures_and_again_for_new_ones(
    historique, client, agent_ctn, monkeypatch
):
    graphique._RENDUS.oublier()
    rendus = []
    rendre = graphique.render_to_string
    monkeypatch.setattr(
        graphique, "render_to_string", lambda *args, **kw: rendus.append(1) or rendre(*args, **kw)
    )
    client.force_login(agent_ctn)

    def graphique_et_tableau(page):
        return re.search(r'<svg id="graphique-semaines".*?</table>', page, re.S).group()

    premiere = client.get(URL).content.decode()
    assert graphique_et_tableau(client.get(URL).content.decode()) == graphique_et_tableau(premiere)
    assert len(rendus) == 1
    # A decision today: once this week's figures expire, the chart shows it.
    _decidee(_le(9, 6), _le(10, 6, heure=8))
    queries.oublier(agent_ctn, semaines_passees=False)
    page = client.get(URL).content.decode()
    assert len(rendus) == 2
    assert "8 demandes déposées et 5 décidées" in premiere
    assert "9 demandes déposées et 6 décidées" in page
    tableau = re.search(r'<table id="tableau-semaines">.*?</table>', page, re.S).group()
    ligne = tableau.split("S24, du 08/06/2026</th>")[1].split("</tr>")[0]
    assert re.findall(r"<td>(.*?)</td>", ligne)[1] == "3"


def test_no_week_draws_empty_axes_without_dividing_by_zero():
    dessin = graphique.graphique([])
    assert (dessin.deposees, dessin.decidees, dessin.points, dessin.semaines) == ([], [], [], [])
    assert dessin.mediane == ""
    assert [g.texte for g in dessin.graduations_demandes] == ["0", "1", "2", "3", "4"]
    assert dessin.resume == "Aucune semaine à afficher."
    graphique._RENDUS.oublier()
    assert 'id="graphique-semaines"' in graphique.rendu([])
