"""The beat task that computes the backlog's cached figures again before they expire: after it
ran, the backlog page reads them all from the cache, and they are the figures it would have
computed itself."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat
from instruction import queries
from instruction.tasks import actualiser_chiffres_pilotage
from permis.celery import app
from tests.factories import DemandeFactory, InstructeurFactory

URL = reverse("instruction:pilotage")


def _decidee(departement, jours_avant=1, heures=30):
    decidee_le = timezone.now() - timedelta(days=jours_avant)
    return DemandeFactory(
        etat=Etat.ACCEPTEE,
        deposee_le=decidee_le - timedelta(hours=heures),
        decidee_le=decidee_le,
        departement=departement,
    )


def _figures(agent):
    pilotage = queries.pilotage(agent)
    semaines = [(s.debut, s.deposees, s.decidees, s.mediane) for s in pilotage.semaines]
    return pilotage.mediane_decision, pilotage.decisions_recentes, semaines


def _requetes_de_la_page(client, agent) -> int:
    client.force_login(agent)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(URL).status_code == 200
    return len(requetes)


@pytest.fixture
def decisions(db):
    _decidee("69", heures=30)
    _decidee("69", heures=50, jours_avant=10)
    _decidee("34", heures=10)
    DemandeFactory(en_instruction=True, departement="69")


@pytest.mark.django_db
def test_after_the_task_the_page_computes_no_figure_and_shows_the_same_ones(
    decisions, client, agent_ctn, instructeur
):
    InstructeurFactory(departement="34")
    # The figures as a page computes them with an empty cache, and what that costs.
    attendues = {agent: _figures(agent) for agent in (agent_ctn, instructeur)}
    cache.clear()
    requetes_a_froid = _requetes_de_la_page(client, agent_ctn)
    cache.clear()

    assert actualiser_chiffres_pilotage() == 3  # national, 34 and 69

    for agent in (agent_ctn, instructeur):
        assert _figures(agent) == attendues[agent]
    # Counts and the oldest waiting request stay live; the median and the weeks (3 queries
    # at least) come from the cache.
    assert _requetes_de_la_page(client, agent_ctn) <= requetes_a_froid - 3
    assert _figures(instructeur)[1] == 2  # the Rhône's own decisions only


@pytest.mark.django_db
def test_a_new_decision_shows_after_the_next_run_not_after_the_expiry(decisions, agent_ctn):
    actualiser_chiffres_pilotage()
    avant = _figures(agent_ctn)
    # Decided now, so in the current week (a day before, it fell in the last week on Mondays).
    _decidee("69", jours_avant=0, heures=400)
    assert _figures(agent_ctn) == avant  # cached
    actualiser_chiffres_pilotage()
    mediane, n, semaines = _figures(agent_ctn)
    assert n == avant[1] + 1
    assert semaines[-1][2] == avant[2][-1][2] + 1
    # Twice in a row: the same figures (nothing accumulates).
    actualiser_chiffres_pilotage()
    assert _figures(agent_ctn) == (mediane, n, semaines)


@pytest.mark.django_db
# A Wednesday: yesterday in this week, ten days ago in a past one.
@time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
def test_past_weeks_are_computed_again_by_the_first_run_of_a_new_day(agent_ctn):
    def decidees_des_semaines_passees():
        return sum(semaine[2] for semaine in _figures(agent_ctn)[2][:-1])

    _decidee("69", jours_avant=1)
    _decidee("69", jours_avant=10)
    actualiser_chiffres_pilotage()
    # A correction dated ten days ago: the same day's runs keep the past weeks...
    _decidee("69", jours_avant=10)
    actualiser_chiffres_pilotage()
    assert decidees_des_semaines_passees() == 1
    # ...the next day's first run reads them again, and the page after it computes nothing.
    with time_machine.travel(datetime(2026, 6, 11, 0, 4, tzinfo=ZoneInfo("Europe/Paris"))):
        actualiser_chiffres_pilotage()
        with CaptureQueriesContext(connection) as requetes:
            assert decidees_des_semaines_passees() == 2
        assert not any("PERCENTILE_CONT" in r["sql"] for r in requetes.captured_queries)


@pytest.mark.django_db
def test_a_run_stopped_half_way_leaves_pages_correct(
    decisions, agent_ctn, instructeur, monkeypatch
):
    attendues = _figures(instructeur)
    cache.clear()
    actualiser = queries.actualiser

    def arrete_apres_le_national(portee):
        if portee != queries.NATIONAL:
            raise SystemExit("worker killed")
        actualiser(portee)

    monkeypatch.setattr(queries, "actualiser", arrete_apres_le_national)
    with pytest.raises(SystemExit):
        actualiser_chiffres_pilotage()
    assert _figures(instructeur) == attendues  # computed by the page, as without the task


@pytest.mark.django_db
def test_an_instructor_without_a_departement_keeps_no_figure_for_the_others(
    decisions, client, agent_ctn
):
    sans_departement = InstructeurFactory(departement="")
    client.force_login(sans_departement)
    assert client.get(URL).status_code == 200
    assert _figures(agent_ctn)[1] == 3  # not the empty figures of an empty scope


def test_the_schedule_runs_the_task_before_the_figures_expire():
    (entree,) = [
        e
        for e in app.conf.beat_schedule.values()
        if e["task"] == "instruction.tasks.actualiser_chiffres_pilotage"
    ]
    assert entree["task"] in app.tasks
    horaire = entree["schedule"]
    assert isinstance(horaire, crontab)
    minutes = sorted(horaire.minute)
    ecarts = [b - a for a, b in zip(minutes, [*minutes[1:], minutes[0] + 60], strict=True)]
    assert max(ecarts) * 60 < queries.DUREE_CACHE_MEDIANE
    assert entree["options"]["expires"] <= max(ecarts) * 60
