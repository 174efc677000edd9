"""The filtered queue's pages and counts come from queries compiled once per process and
shape of filters (queries.FileFiltree): the same rows as the ORM's filtered queue, for the
CTN and an instructor, whatever the filters; once compiled, no query is built again."""

import types
from datetime import timedelta

import pytest
from django.utils import timezone

from demandes.enums import Etat, Motif
from echanges.enums import Cote
from echanges.models import Message
from instruction import queries
from instruction.models import PriseEnCharge
from tests.factories import AgentCTNFactory, DemandeFactory, InstructeurFactory
from tests.instruction.lignes import colonnes

pytestmark = pytest.mark.django_db


FILTRES = [
    {"motif": Motif.INSCRIPTION_PREMIERE},
    {"categorie": "B"},
    {"categorie": "A", "etat": Etat.DEPOSEE},
    {"etat": Etat.CONTROLE_FORME},
    {"reponse": "recue"},
    {"prise": "libres", "motif": Motif.INSCRIPTION_PREMIERE},
    {"prise": "libres", "reponse": "recue", "categorie": "B"},
]
# Through the ORM: a name (its generic plan would walk the queue), the agent's claims, the age.
PAR_L_ORM = [
    {"q": "dupont"},
    {"q": "50%_\\"},
    {"prise": "moi"},
    {"anciennete": 7},
    {"motif": Motif.INSCRIPTION_PREMIERE, "q": "Léa"},
]


@pytest.fixture
def file_variee(agent_ctn, instructeur):
    maintenant = timezone.now()
    demandes = []
    for i, (nom, prenoms, categories, motif) in enumerate(
        [
            ("DUPONT", "Léa", ["B"], Motif.INSCRIPTION_PREMIERE),
            ("Martin", "Jean", ["A", "B"], Motif.INSCRIPTION_EXTENSION),
            ("Dupontel", "Lé a", ["BE"], Motif.INSCRIPTION_PREMIERE),
            ("50%_\\", "Zoé", ["B96"], Motif.INSCRIPTION_EXTENSION),
            ("Durand", "Léa", ["A"], Motif.INSCRIPTION_PREMIERE),
        ]
    ):
        for etat in ({"deposee": True}, {"en_controle": True}, {"en_instruction": True}):
            demandes.append(
                DemandeFactory(
                    **etat,
                    departement="69" if i % 2 else "34",
                    nom_naissance=nom,
                    prenoms=prenoms,
                    categories=categories,
                    motif=motif,
                    deposee_le=maintenant - timedelta(days=i, hours=len(demandes)),
                )
            )
    for demande in demandes[::4]:
        agent = agent_ctn if demande.etat != Etat.EN_INSTRUCTION else instructeur
        PriseEnCharge.objects.create(demande=demande, agent=agent)
    for demande in demandes[::3]:
        Message.objects.create(
            demande=demande, auteur=demande.candidat, cote=Cote.DEMANDEUR, texte="Voici."
        )
    return demandes


@pytest.mark.parametrize("filtres", FILTRES, ids=[str(f) for f in FILTRES])
def test_each_filtered_page_and_count_is_the_orms(file_variee, agent_ctn, instructeur, filtres):
    for agent in (agent_ctn, instructeur, AgentCTNFactory()):
        compilee = queries.file_a_paginer(agent, filtres)
        assert isinstance(compilee, queries.FileFiltree)
        orm = queries.file_filtree(agent, filtres)
        attendues = [colonnes(d) for d in orm]
        for debut, fin in ((0, 2), (2, 5), (0, 25)):
            assert [colonnes(d) for d in compilee[debut:fin]] == attendues[debut:fin]
        assert compilee.compter(3) == min(len(attendues), 3)
        assert compilee.compter(1001) == len(attendues)


@pytest.mark.parametrize("filtres", PAR_L_ORM, ids=[str(f) for f in PAR_L_ORM])
def test_a_name_the_agents_claims_or_the_age_page_through_the_orm(agent_ctn, filtres):
    assert not isinstance(queries.file_a_paginer(agent_ctn, filtres), queries.FileFiltree)


def test_a_search_by_number_or_neph_finds_its_request(file_variee, agent_ctn):
    demande = next(d for d in file_variee if d.etat == Etat.DEPOSEE)
    type(demande).objects.filter(pk=demande.pk).update(neph="123456789012")
    for texte in (demande.numero.lower().replace("-", " "), "1234 5678 9012"):
        compilee = queries.file_a_paginer(agent_ctn, {"q": texte})
        assert [d.numero for d in compilee[0:25]] == [demande.numero]
        assert compilee.compter(1001) == 1


def test_once_compiled_a_filter_builds_no_query(file_variee, agent_ctn, monkeypatch):
    filtres = {"categorie": "B", "motif": Motif.INSCRIPTION_PREMIERE}
    premiere = [colonnes(d) for d in queries.file_a_paginer(agent_ctn, filtres)[0:25]]
    compte = queries.file_a_paginer(agent_ctn, filtres).compter(1001)

    def jamais(*args, **kwargs):
        raise AssertionError("the ORM's query built again")

    monkeypatch.setattr(queries, "_filtrer", jamais)
    autre = {"categorie": "A", "motif": Motif.INSCRIPTION_PREMIERE}  # the same shape
    assert [colonnes(d) for d in queries.file_a_paginer(agent_ctn, filtres)[0:25]] == premiere
    assert queries.file_a_paginer(agent_ctn, filtres).compter(1001) == compte
    assert len(queries.file_a_paginer(agent_ctn, autre)[0:25]) == 2


def test_an_agent_without_a_queue_pages_nothing(file_variee):
    sans_departement = InstructeurFactory(departement="")
    assert list(queries.file_a_paginer(sans_departement, {"categorie": "B"})) == []


def test_the_store_of_filtered_queries_is_one_per_subset_of_names_and_never_grows(
    file_variee, agent_ctn, instructeur, monkeypatch
):
    """Bounded by the finite names of the value criteria (queries._VALEURS), not by the
    filters met: made whole at import, only read by the queue's pages."""
    noms = list(queries._VALEURS)
    assert len(queries._FILTREES) == 2 ** len(noms)
    assert all(list(cle) == sorted(cle) and set(cle) <= set(noms) for cle in queries._FILTREES)
    monkeypatch.setattr(queries, "_FILTREES", types.MappingProxyType(queries._FILTREES))
    neph = next(d for d in file_variee if d.etat == Etat.DEPOSEE)
    type(neph).objects.filter(pk=neph.pk).update(neph="123456789012")
    recherches = [{}, {"q": neph.numero}, {"q": "123456789012"}]
    for recherche in recherches:
        for autres in FILTRES:
            for agent in (agent_ctn, instructeur):
                filtres = {**autres, **recherche}
                compilee = queries.file_a_paginer(agent, filtres)
                assert isinstance(compilee, queries.FileFiltree)
                assert compilee[0:25] is not None and compilee.compter(1001) >= 0
