"""The unfiltered queue's pages come from queries compiled once per process
(queries.FileEntiere): each page holds the rows, annotations and holders the ORM's queue
gives, for the CTN nationally and for each instructor's département."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demandes.models import Demande
from echanges.enums import Cote
from echanges.models import Message
from instruction import queries, rendu_file
from instruction.models import PriseEnCharge
from tests.factories import AgentCTNFactory, DemandeFactory, InstructeurFactory
from tests.instruction.lignes import colonnes

pytestmark = pytest.mark.django_db


def _pages(agent, par_page):
    entiere, orm = queries.file_a_paginer(agent, {}), queries.file_filtree(agent, {})
    for debut in range(0, 8, par_page):
        yield (
            [colonnes(d) for d in entiere[debut : debut + par_page]],
            [colonnes(d) for d in orm[debut : debut + par_page]],
        )


def test_each_page_is_the_orms_page(agent_ctn, instructeur):
    maintenant = timezone.now()
    for jours, departement in enumerate(["69", "34", "69", "13", "69"]):
        DemandeFactory(
            deposee=True, departement=departement, deposee_le=maintenant - timedelta(days=jours)
        )
        DemandeFactory(
            en_instruction=True,
            departement=departement,
            deposee_le=maintenant - timedelta(days=jours),
        )
    premiere = DemandeFactory(
        en_controle=True, departement="34", deposee_le=maintenant - timedelta(days=30)
    )
    PriseEnCharge.objects.create(demande=premiere, agent=agent_ctn)
    Message.objects.create(
        demande=premiere, auteur=premiere.candidat, cote=Cote.DEMANDEUR, texte="Voici."
    )
    autre = InstructeurFactory(departement="34")

    for agent in (agent_ctn, instructeur, autre):
        for par_page in (2, 3):
            for compilees, attendues in _pages(agent, par_page):
                assert compilees == attendues
    premiere_ligne = queries.file_a_paginer(agent_ctn, {})[0:1][0]
    assert premiere_ligne.reponse_recue and premiere_ligne.prise_en_charge__agent_id == agent_ctn.pk
    du_34 = set(Demande.objects.filter(departement="34").values_list("numero", flat=True))
    assert {d.numero for d in queries.file_a_paginer(autre, {})[0:10]} <= du_34
    assert len(queries.file_a_paginer(instructeur, {})[0:10]) == 3
    assert premiere_ligne.taille_de_la_file == Demande.objects.file_de(agent_ctn).count()


def test_a_filter_pages_through_the_orm(agent_ctn):
    assert isinstance(queries.file_a_paginer(agent_ctn, {"par_page": 50}), queries.FileEntiere)
    assert not isinstance(queries.file_a_paginer(agent_ctn, {"q": "DUPONT"}), queries.FileEntiere)


def test_an_agent_without_a_queue_pages_nothing():
    sans_departement = InstructeurFactory(departement="")
    DemandeFactory(en_instruction=True, departement="69")
    assert queries.file_a_paginer(sans_departement, {})[0:25] == []


def test_an_empty_queue_has_an_empty_page(agent_ctn):
    assert queries.file_a_paginer(agent_ctn, {})[0:0] == []


@pytest.mark.parametrize("filtres", [{}, {"q": "DUPONT"}], ids=["entiere", "filtree"])
def test_a_page_reads_only_the_columns_its_rows_show(client, agent_ctn, prendre, filtres):
    """The queue page's rows (instruction/rendu_file.py) read the request's and its holder's
    columns they show, not the fifty of a request nor the holder's password, and rendering
    them asks nothing more."""
    demandes = DemandeFactory.create_batch(3, deposee=True, nom_naissance="Dupont")
    prendre(demandes[0], agent_ctn)
    prendre(demandes[1], AgentCTNFactory(first_name="Zoé", last_name="Tenante"))
    with CaptureQueriesContext(connection) as requetes:
        page = list(queries.file_a_paginer(agent_ctn, filtres)[0:25])
    (sql,) = [r["sql"] for r in requetes.captured_queries if "LIMIT 25" in r["sql"]]
    for colonne in ('"demandes_demande"."adresse"', '"accounts_user"."password"', "photo"):
        assert colonne not in sql
    with CaptureQueriesContext(connection) as requetes:
        html = rendu_file.lignes(page, agent_ctn)
    assert len(requetes) == 0
    assert html == rendu_file.lignes(queries.file_filtree(agent_ctn, filtres), agent_ctn)
    assert "Zoé Tenante" in html and "<strong>Vous</strong>" in html
