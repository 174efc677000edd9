"""The pilotage page's figures and table kept per process per every value they show
({% fige %}, instruction/views.py `_valeurs_des_chiffres`): each value changed behind the page's
back is seen on the page, and an agent's paragraph follows their own role and département."""

import dataclasses
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from instruction import queries
from instruction import views as vues
from permis.templatetags import fragments

URL = reverse("instruction:pilotage")
MAINTENANT = timezone.now()
ETATS = [queries.Etat.DEPOSEE, queries.Etat.EN_INSTRUCTION]


def chiffres(**changes) -> queries.Pilotage:
    base = queries.Pilotage(
        etats=ETATS,
        lignes=[queries.Ligne("69", [3, 4], 7), queries.Ligne("34", [1, 0], 1)],
        totaux=[4, 4],
        total=8,
        plus_ancienne=MAINTENANT - timedelta(days=12),
        attente_max=timedelta(days=12),
        mediane_decision=timedelta(days=5),
        decisions_recentes=21,
        semaines=[queries.Semaine(MAINTENANT.date(), 2, 1, timedelta(days=3))],
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
def page(client, monkeypatch):
    fragments._FRAGMENTS.oublier()

    def lire(agent, pilotage):
        monkeypatch.setattr(vues.queries, "pilotage", lambda user: pilotage)
        client.force_login(agent)
        reponse = client.get(URL)
        assert reponse.status_code == 200
        html = reponse.content.decode()
        return html[html.index("<h1>") : html.index("</table>")]

    return lire


CHANGEMENTS = {
    "lignes": [queries.Ligne("69", [3, 5], 8), queries.Ligne("34", [1, 0], 1)],
    "etats": [queries.Etat.DEPOSEE, queries.Etat.EXPEDIE],
    "totaux": [4, 9],
    "total": 13,
    "plus_ancienne": MAINTENANT - timedelta(days=40),
    "attente_max": timedelta(days=40),
    "mediane_decision": timedelta(days=9),
    "decisions_recentes": 22,
}


@pytest.mark.django_db
@pytest.mark.parametrize("champ", CHANGEMENTS)
def test_each_value_changed_behind_the_page_is_seen(page, agent_ctn, champ):
    avant = page(agent_ctn, chiffres())
    assert page(agent_ctn, chiffres()) == avant  # kept, the same
    apres = page(agent_ctn, chiffres(**{champ: CHANGEMENTS[champ]}))
    assert apres != avant
    fragments._FRAGMENTS.oublier()
    assert page(agent_ctn, chiffres(**{champ: CHANGEMENTS[champ]})) == apres  # as rendered live


@pytest.mark.django_db
def test_each_agent_reads_their_own_scope(
    page, agent_ctn, instructeur, instructeur_autre_departement
):
    assert "Toutes les demandes en cours" in page(agent_ctn, chiffres())
    assert "du département 69" in page(instructeur, chiffres())
    assert "du département 34" in page(instructeur_autre_departement, chiffres())
