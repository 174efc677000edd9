"""The backlog page: counts per state and département, the oldest waiting request, the median
submission-to-decision time over 30 days."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat
from instruction import queries
from tests.factories import DemandeFactory

URL = reverse("instruction:pilotage")


def _decidee(jours_avant, heures_de_traitement, **kwargs):
    decidee_le = timezone.now() - timedelta(days=jours_avant)
    return DemandeFactory(
        etat=kwargs.pop("etat", Etat.REJETEE),
        deposee_le=decidee_le - timedelta(hours=heures_de_traitement),
        decidee_le=decidee_le,
        **kwargs,
    )


@pytest.mark.django_db
def test_counts_per_state_and_departement(agent_ctn):
    DemandeFactory.create_batch(2, deposee=True, departement="69")
    DemandeFactory(en_instruction=True, departement="69")
    DemandeFactory(en_instruction=True, departement="34")
    DemandeFactory(expedie=True, departement="34")
    DemandeFactory(departement="69")  # brouillon: not counted
    DemandeFactory(etat=Etat.REJETEE, departement="69")  # final: not counted

    pilotage = queries.pilotage(agent_ctn)

    colonnes = {etat: i for i, etat in enumerate(pilotage.etats)}
    lignes = {ligne.departement: ligne for ligne in pilotage.lignes}
    assert set(lignes) == {"34", "69"}
    assert lignes["69"].comptes[colonnes[Etat.DEPOSEE]] == 2
    assert lignes["69"].comptes[colonnes[Etat.EN_INSTRUCTION]] == 1
    assert lignes["69"].total == 3
    assert lignes["34"].comptes[colonnes[Etat.EXPEDIE]] == 1
    assert pilotage.totaux[colonnes[Etat.EN_INSTRUCTION]] == 2
    assert pilotage.total == 5


@pytest.mark.django_db
def test_age_of_the_oldest_waiting_request(agent_ctn):
    plus_ancienne = timezone.now() - timedelta(days=12)
    DemandeFactory(deposee=True, deposee_le=plus_ancienne)
    DemandeFactory(en_instruction=True, deposee_le=timezone.now() - timedelta(days=3))
    # Waiting on the candidate or already decided: not the back-office's backlog.
    DemandeFactory(a_completer_depuis_controle=True, deposee_le=timezone.now() - timedelta(days=40))
    DemandeFactory(expedie=True, deposee_le=timezone.now() - timedelta(days=50))

    pilotage = queries.pilotage(agent_ctn)

    assert pilotage.plus_ancienne == plus_ancienne
    assert pilotage.attente_max.days == 12


@pytest.mark.django_db
def test_an_instructor_counts_and_ages_the_requests_of_their_departement_only(
    instructeur, instructeur_autre_departement, agent_ctn
):
    DemandeFactory(
        en_instruction=True, departement="69", deposee_le=timezone.now() - timedelta(days=5)
    )
    DemandeFactory(
        en_instruction=True, departement="34", deposee_le=timezone.now() - timedelta(days=9)
    )
    DemandeFactory(deposee=True, departement="34")

    # Each scope asked in turn, twice: the compiled queries keep no scope's values.
    for _ in range(2):
        rhone, herault = (
            queries.pilotage(instructeur),
            queries.pilotage(instructeur_autre_departement),
        )
        assert [ligne.departement for ligne in rhone.lignes] == ["69"]
        assert (rhone.total, rhone.attente_max.days) == (1, 5)
        assert [ligne.departement for ligne in herault.lignes] == ["34"]
        assert (herault.total, herault.attente_max.days) == (2, 9)
        national = queries.pilotage(agent_ctn)
        assert (national.total, national.attente_max.days) == (3, 9)


@pytest.mark.django_db
def test_median_decision_time_over_the_last_30_days(agent_ctn):
    for heures in (10, 30, 20, 400):
        _decidee(jours_avant=2, heures_de_traitement=heures)
    _decidee(jours_avant=45, heures_de_traitement=1)  # decided too long ago
    _decidee(jours_avant=1, heures_de_traitement=50, etat=Etat.ACCEPTEE)

    pilotage = queries.pilotage(agent_ctn)

    # 10, 20, 30, 50, 400 hours: the median is 30 hours.
    assert pilotage.decisions_recentes == 5
    assert pilotage.mediane_decision == timedelta(hours=30)
    assert pilotage.mediane_lisible == "1 j 6 h"


@pytest.mark.django_db
def test_median_of_an_even_count_is_the_mean_of_the_middle_two(agent_ctn):
    for heures in (10, 20, 30, 41):
        _decidee(jours_avant=3, heures_de_traitement=heures)
    assert queries.pilotage(agent_ctn).mediane_decision == timedelta(hours=25)


@pytest.mark.django_db
def test_no_decision_yet_shows_a_dash(client, agent_ctn):
    client.force_login(agent_ctn)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["pilotage"].mediane_decision is None
    assert response.context["pilotage"].mediane_lisible == "—"


@pytest.mark.django_db
def test_instructor_sees_their_departement_only(client, instructeur):
    DemandeFactory(en_instruction=True, departement="69")
    DemandeFactory.create_batch(3, en_instruction=True, departement="34")
    client.force_login(instructeur)
    pilotage = client.get(URL).context["pilotage"]
    assert [ligne.departement for ligne in pilotage.lignes] == ["69"]
    assert pilotage.total == 1


@pytest.mark.django_db
def test_page_shows_the_figures(client, agent_ctn):
    DemandeFactory(deposee=True, departement="69", deposee_le=timezone.now() - timedelta(days=4))
    client.force_login(agent_ctn)
    page = client.get(URL).content.decode()
    assert "Demandes en cours par état et par département" in page
    assert "4 j 0 h" in page


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["agent_ctn", "instructeur"])
def test_the_cached_figures_are_read_in_one_round_trip(request, qui, monkeypatch):
    agent = request.getfixturevalue(qui)
    _decidee(3, 20, departement="69")
    premier = queries.pilotage(agent)  # computes and caches the median and the weeks
    lectures = []
    for methode in ("get", "get_many"):
        reelle = getattr(queries.cache, methode)
        monkeypatch.setattr(
            queries.cache,
            methode,
            lambda *a, _m=methode, _r=reelle, **k: lectures.append(_m) or _r(*a, **k),
        )
    second = queries.pilotage(agent)
    assert lectures == ["get_many"]
    assert second.mediane_decision == premier.mediane_decision
    assert second.semaines == premier.semaines


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["agent_ctn", "instructeur"])
def test_the_requests_query_is_built_only_when_a_cached_figure_is_missing(
    request, qui, monkeypatch
):
    agent = request.getfixturevalue(qui)
    _decidee(3, 20, departement="69")
    construites = []
    reelle = queries.perimetre_pilotage
    monkeypatch.setattr(queries, "perimetre_pilotage", lambda a: construites.append(a) or reelle(a))
    queries.cache.delete_many(queries._cles_des_chiffres(queries.portee(agent)))
    premier = queries.pilotage(agent)  # cold: computes the median and the weeks
    assert construites == [agent] and premier.decisions_recentes == 1
    second = queries.pilotage(agent)  # warm: every figure from the cache
    assert construites == [agent]
    assert second == premier


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["agent_ctn", "instructeur"])
def test_counts_and_the_oldest_waiting_request_come_in_one_query(request, qui):
    agent = request.getfixturevalue(qui)
    maintenant = timezone.now()
    dans_le_rhone, dans_l_herault = maintenant - timedelta(days=7), maintenant - timedelta(days=30)
    DemandeFactory(en_instruction=True, departement="69", deposee_le=dans_le_rhone)
    DemandeFactory(deposee=True, departement="69", deposee_le=maintenant - timedelta(days=2))
    DemandeFactory(deposee=True, departement="34", deposee_le=dans_l_herault)
    queries.pilotage(agent)  # the median and the weeks cached
    with CaptureQueriesContext(connection) as requetes:
        pilotage = queries.pilotage(agent)
    assert len(requetes) == 1
    assert pilotage.plus_ancienne == (dans_le_rhone if qui == "instructeur" else dans_l_herault)
    assert pilotage.total == (2 if qui == "instructeur" else 3)


@pytest.mark.django_db
def test_no_waiting_request_has_no_oldest_whether_or_not_others_are_counted(agent_ctn):
    assert queries.pilotage(agent_ctn).plus_ancienne is None  # nothing counted at all
    DemandeFactory(expedie=True, deposee_le=timezone.now() - timedelta(days=50))
    pilotage = queries.pilotage(agent_ctn)  # counted, but not waiting on the back-office
    assert (pilotage.total, pilotage.plus_ancienne, pilotage.attente_max) == (1, None, None)
