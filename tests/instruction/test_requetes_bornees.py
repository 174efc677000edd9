"""With 10,000 requests, the queue and backlog pages run a bounded number of queries."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat, Motif
from demandes.models import Demande
from demandes.numeros import nouveau_numero
from instruction.models import PriseEnCharge
from tests.factories import CandidatFactory

N = 10_000
DEPARTEMENTS = ["69", "34", "75", "13", "2A", "974"]
ETATS = [
    Etat.DEPOSEE,
    Etat.CONTROLE_FORME,
    Etat.EN_INSTRUCTION,
    Etat.A_COMPLETER,
    Etat.ACCEPTEE,
    Etat.REJETEE,
    Etat.EXPEDIE,
]
MAX_REQUETES = 8


@pytest.fixture
def dix_mille_demandes(db, agent_ctn, instructeur):
    alea = random.Random(5)  # noqa: S311
    candidat = CandidatFactory()
    maintenant = timezone.now()
    demandes = []
    for i in range(N):
        etat = ETATS[i % len(ETATS)]
        deposee_le = maintenant - timedelta(days=alea.randint(0, 90), minutes=i)
        decidee = etat in {Etat.ACCEPTEE, Etat.REJETEE, Etat.EXPEDIE}
        demandes.append(
            Demande(
                numero=nouveau_numero(),
                candidat=candidat,
                motif=alea.choice(list(Motif)),
                categories=[alea.choice(["B", "A2", "AM", "C"])],
                nom_naissance=f"NOM{i}",
                prenoms="Prénom",
                departement=DEPARTEMENTS[i % len(DEPARTEMENTS)],
                etat=etat,
                deposee_le=deposee_le,
                decidee_le=deposee_le + timedelta(hours=alea.randint(1, 400)) if decidee else None,
            )
        )
    Demande.objects.bulk_create(demandes, batch_size=2000)
    # Half the waiting requests of the Rhône and of the CTN queue are held by someone.
    prises = [
        PriseEnCharge(demande=d, agent=agent_ctn if d.etat != Etat.EN_INSTRUCTION else instructeur)
        for d in Demande.objects.filter(
            etat__in=[Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION]
        ).only("pk", "etat")[::2]
    ]
    PriseEnCharge.objects.bulk_create(prises, batch_size=2000)
    return N


def _requetes(client, url, params) -> int:
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(requetes)


@pytest.mark.parametrize("role", ["agent_ctn", "instructeur"])
def test_queue_page_runs_the_same_few_queries_whatever_the_page_size(
    client, dix_mille_demandes, role, request, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    url = reverse("instruction:file")
    comptes = {taille: _requetes(client, url, {"par_page": taille}) for taille in (25, 100)}
    assert comptes[25] == comptes[100] <= MAX_REQUETES
    # The rows of a page really are the queue's, with their holder (no query per row).
    with django_assert_max_num_queries(MAX_REQUETES):
        response = client.get(url, {"par_page": 100, "page": 2, "q": "NOM"})
    assert len(response.context["page"].object_list) == 100


def test_backlog_page_runs_a_bounded_number_of_queries(
    client, dix_mille_demandes, agent_ctn, django_assert_max_num_queries
):
    client.force_login(agent_ctn)
    with django_assert_max_num_queries(MAX_REQUETES):
        response = client.get(reverse("instruction:pilotage"))
    pilotage = response.context["pilotage"]
    en_cours = Demande.objects.filter(etat__in=pilotage.etats).count()
    assert pilotage.total == en_cours
    assert {ligne.departement for ligne in pilotage.lignes} == set(DEPARTEMENTS)
