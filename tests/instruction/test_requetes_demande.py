"""instruction/requetes_demande.py: the instruction page's compiled queries answer what the
ORM's would, within the same scope as queries.consultables_par."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from psycopg import _queries as psycopg_queries

from demandes.models import Demande, DocumentProduit
from echanges import fil
from echanges.enums import Cote
from echanges.models import Message
from instruction import queries, requetes_demande
from instruction.models import JournalPriseEnCharge, PriseEnCharge
from tests.factories import AutoEcoleStaffFactory, DemandeFactory, InstructeurFactory, pdf_minimal

pytestmark = pytest.mark.django_db


def test_the_request_is_found_in_the_agent_s_scope_only(
    agent_ctn, instructeur, instructeur_autre_departement
):
    rhone = DemandeFactory(
        en_instruction=True, departement="69", depose_par=AutoEcoleStaffFactory()
    )
    herault = DemandeFactory(deposee=True, departement="34")
    brouillon = DemandeFactory(departement="69")
    sans_departement = InstructeurFactory(departement="")
    for agent in (agent_ctn, instructeur, instructeur_autre_departement, sans_departement):
        for demande in (rhone, herault, brouillon):
            visible = queries.consultables_par(agent).filter(pk=demande.pk).exists()
            if visible:
                trouvee, prise = requetes_demande.demande_et_prise(agent, demande.numero)
                assert trouvee.pk == demande.pk and prise is None
            else:
                with pytest.raises(Http404):
                    requetes_demande.demande_et_prise(agent, demande.numero)
    assert queries.consultables_par(instructeur).filter(pk=rhone.pk).exists()

    PriseEnCharge.objects.prendre(rhone, instructeur)
    with CaptureQueriesContext(connection) as requetes:
        trouvee, prise = requetes_demande.demande_et_prise(instructeur, rhone.numero)
        assert prise.agent == instructeur and trouvee.depose_par == rhone.depose_par
        assert str(trouvee.depose_par) == str(rhone.depose_par)
    assert len(requetes) == 1  # the holder and the filer come with it


def test_history_claims_and_documents_as_the_orm_gives_them(agent_ctn):
    demande = DemandeFactory(deposee=True, departement="69")
    PriseEnCharge.objects.prendre(demande, agent_ctn)
    PriseEnCharge.objects.liberer(demande, agent_ctn)
    PriseEnCharge.objects.prendre(demande, agent_ctn)
    demande.executer("prendre_en_controle", par=agent_ctn)
    DocumentProduit.objects.conserver(
        demande, DocumentProduit.Nature.RECEPISSE_DEPOT, pdf_minimal()
    )
    autre = DemandeFactory(deposee=True, departement="69")
    PriseEnCharge.objects.prendre(autre, agent_ctn)

    historique = requetes_demande.historique(demande)
    assert [(e.pk, e.by_id, e.state, e.content_type_id) for e in historique] == [
        (e.pk, e.by_id, e.state, e.content_type_id) for e in demande.historique()
    ]
    journal = requetes_demande.journal_prises(demande)
    attendu = list(JournalPriseEnCharge.objects.filter(demande=demande))
    assert [(j.pk, j.agent, j.evenement) for j in journal] == [
        (j.pk, j.agent, j.evenement) for j in attendu
    ]
    assert len(journal) == 3 and {j.agent for j in journal} == {agent_ctn}
    assert historique and historique[-1].by == agent_ctn
    documents = requetes_demande.documents(demande)
    assert [d.pk for d in documents] == [d.pk for d in demande.documents_produits.all()]
    assert len(documents) == 1 and requetes_demande.documents(autre) == []
    with CaptureQueriesContext(connection) as requetes:
        [(j.agent.get_full_name(), e.get_state_display()) for j in journal for e in historique]
    assert len(requetes) == 0


def test_the_thread_block_counts_read_with_the_request_follow_the_messages(
    client, instructeur, candidat
):
    """The block's counts come from the journal the page reads to render its body (the body
    kept per the messages' fingerprint): each message added or read behind the page's back
    shows on the next view, with no query counting them."""
    demande = DemandeFactory(en_instruction=True, departement="69", candidat=candidat)
    client.force_login(instructeur)
    url = reverse("instruction:demande", args=[demande.numero])
    assert "Aucun message pour l'instant." in client.get(url).content.decode()

    question = Message.objects.create(
        demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="?"
    )
    Message.objects.create(demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="!")
    page = client.get(url).content.decode()
    assert "2 messages échangés" in page and "2 non lus" in page
    Message.objects.create(demande=demande, auteur=instructeur, cote=Cote.SERVICE, texte="ok")
    Message.objects.filter(pk=question.pk).update(lu_le=timezone.now())
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(url).content.decode()
    assert "3 messages échangés" in page and "1 non lu" in page
    assert not [r for r in requetes if 'COUNT("echanges_message"."id") AS "nombre"' in r["sql"]]
    demande = Demande.objects.get(pk=demande.pk)
    assert fil.resume(demande, Cote.DEMANDEUR).non_lus == 1  # the service's, for the candidate


def test_the_thread_s_journal_as_the_orm_gives_it(instructeur, candidat):
    demande = DemandeFactory(en_instruction=True, departement="69", candidat=candidat)
    autre = DemandeFactory(en_instruction=True, departement="69", candidat=candidat)
    Message.objects.create(demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="?")
    Message.objects.create(
        demande=demande,
        auteur=instructeur,
        cote=Cote.SERVICE,
        texte="!",
        envoye_le=timezone.now() - timedelta(days=1),
        lu_le=timezone.now(),
        lu_par=candidat,
    )
    Message.objects.create(demande=autre, auteur=candidat, cote=Cote.DEMANDEUR, texte="…")
    journal = requetes_demande.journal_messages(demande)
    attendu = list(Message.objects.filter(demande=demande))
    assert [m.pk for m in journal] == [m.pk for m in attendu] and len(journal) == 2
    with CaptureQueriesContext(connection) as requetes:
        lus = [(m.auteur.get_full_name(), m.lu_par and m.lu_par.username) for m in journal]
    assert len(requetes) == 0
    assert lus == [
        (instructeur.get_full_name(), candidat.username),
        (candidat.get_full_name(), None),
    ]


def test_the_page_s_query_reads_of_both_accounts_their_names_only(instructeur):
    """The holder's and the filer's rows: names only (no password hash, no dates to convert),
    no ORDER BY for one request, the history's content type a parameter (no join)."""
    deposant = AutoEcoleStaffFactory(first_name="Paul", last_name="Martin")
    demande = DemandeFactory(en_instruction=True, departement="69", depose_par=deposant)
    PriseEnCharge.objects.prendre(demande, instructeur)
    with CaptureQueriesContext(connection) as requetes:
        trouvee, prise = requetes_demande.demande_et_prise(
            instructeur, demande.numero, dossier=True
        )
        assert str(trouvee.depose_par) == str(deposant)
        assert prise.agent.get_full_name() == instructeur.get_full_name()
        assert prise.agent.username == instructeur.username
    ((sql,),) = [(r["sql"],) for r in requetes.captured_queries]
    assert '"password"' not in sql and '"last_login"' not in sql
    assert "ORDER BY" not in sql.rsplit(")", 1)[-1]
    assert "django_content_type" not in sql


def test_the_page_s_query_is_short_enough_for_psycopg_to_convert_it_once(agent_ctn, instructeur):
    """psycopg converts a query's placeholders once per process only for a query of at most
    4,096 bytes; the instruction page's query, asked at every view, stays under it in both
    scopes (the thread's counts left to the messages' fingerprint, no GROUP BY in the
    fingerprints, no draft's purge notice)."""
    demande = DemandeFactory(en_instruction=True, departement="69")
    envoyees = []

    def noter(execute, sql, params, many, context):
        if "version_dossier" in sql:  # the page's (the agents' roles are read first)
            envoyees.append(sql)  # as psycopg gets it: placeholders, not values
        return execute(sql, params, many, context)

    for agent in (agent_ctn, instructeur):
        with connection.execute_wrapper(noter):
            requetes_demande.demande_et_prise(agent, demande.numero, dossier=True)
    assert len(envoyees) == 2 and envoyees[0] != envoyees[1]  # one query per scope
    for sql in envoyees:
        assert len(sql.encode()) <= psycopg_queries.MAX_CACHED_STATEMENT_LENGTH
        assert "GROUP BY" not in sql and "suppression_annoncee_le" not in sql
