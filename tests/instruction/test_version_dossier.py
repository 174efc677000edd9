"""instruction.models.VersionDossier, kept by PostgreSQL's triggers (instruction migration
0005): every statement that writes a row the instruction page shows beside the request's
columns, or the names of those rows' authors, counts a change of that request and of no
other; the instruction page's kept body follows it (tests/instruction/test_demande_gardee.py
changes each shown value behind the page)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.enums import Piece
from demandes.models import Demande, DocumentProduit, PieceJustificative
from echanges.enums import Cote
from echanges.models import Message
from instruction import rendu_demande
from instruction.models import JournalPriseEnCharge, VersionDossier, VersionNoms
from permis.templatetags import fragments
from tests.factories import AgentCTNFactory, CandidatFactory, DemandeFactory

pytestmark = pytest.mark.django_db


def _version(demande) -> int | None:
    return VersionDossier.objects.filter(demande=demande).values_list("n", flat=True).first()


@pytest.fixture
def deux():
    """A request and another one, with a piece, a document, a history entry, a claim's
    journal entry and a message each, written by the same three accounts."""
    agent = AgentCTNFactory(first_name="Jean", last_name="Agent")
    candidat = CandidatFactory(first_name="Léa", last_name="Moreau")
    demandes = []
    for _ in range(2):
        demande = DemandeFactory(deposee=True, candidat=candidat)
        DocumentProduit.objects.create(
            demande=demande, nature=DocumentProduit.Nature.RECEPISSE_DEPOT, fichier="r.pdf"
        )
        StateLog.objects.create(
            content_object=demande,
            source_state="brouillon",
            state="deposee",
            by=agent,
            transition="deposer",
        )
        JournalPriseEnCharge.objects.create(
            demande=demande, agent=agent, evenement=JournalPriseEnCharge.Evenement.PRISE
        )
        Message.objects.create(
            demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="?", lu_par=agent
        )
        demandes.append(demande)
    return agent, candidat, demandes


_TYPE = lambda: ContentType.objects.get_for_model(Demande)  # noqa: E731


ECRITURES = {
    "piece ajoutee": lambda d: PieceJustificative.objects.create(
        demande=d, nature=Piece.ASSR, nom_original="a.pdf", fichier="a.pdf", taille=1
    ),
    "piece changee": lambda d: d.pieces.update(nom_original="autre.pdf"),
    "piece supprimee": lambda d: d.pieces.all().delete(),
    "document ajoute": lambda d: DocumentProduit.objects.create(
        demande=d, nature=DocumentProduit.Nature.ATTESTATION_INSCRIPTION, fichier="s.pdf"
    ),
    "document change": lambda d: d.documents_produits.update(cree_le=timezone.now()),
    "document supprime": lambda d: d.documents_produits.all().delete(),
    "historique ajoute": lambda d: StateLog.objects.create(
        content_object=d, source_state="deposee", state="controle_forme", transition="x"
    ),
    "historique change": lambda d: StateLog.objects.filter(
        content_type=_TYPE(), object_id=d.pk
    ).update(description="au guichet"),
    "historique supprime": lambda d: StateLog.objects.filter(
        content_type=_TYPE(), object_id=d.pk
    ).delete(),
    "prise ajoutee": lambda d: JournalPriseEnCharge.objects.create(
        demande=d, agent=AgentCTNFactory(), evenement=JournalPriseEnCharge.Evenement.PRISE
    ),
    "prise changee": lambda d: d.journal_prises.update(
        evenement=JournalPriseEnCharge.Evenement.LIBERATION
    ),
    "prise supprimee": lambda d: d.journal_prises.all().delete(),
    "message ajoute": lambda d: Message.objects.create(
        demande=d, auteur=d.candidat, cote=Cote.DEMANDEUR, texte="!"
    ),
    "message change": lambda d: d.messages.update(lu_le=timezone.now()),
    "message supprime": lambda d: d.messages.all().delete(),
}


@pytest.mark.parametrize("ecriture", ECRITURES)
def test_each_write_of_a_shown_row_counts_a_change_of_its_request_only(deux, ecriture):
    _, _, (demande, autre) = deux
    avant, autre_avant = _version(demande), _version(autre)
    assert avant is not None
    ECRITURES[ecriture](demande)
    assert _version(demande) > avant
    assert _version(autre) == autre_avant


def _noms() -> int | None:
    return VersionNoms.objects.filter(pk=1).values_list("n", flat=True).first() or 0


@pytest.mark.parametrize("role", ["history's author", "claim's agent", "reader"])
def test_an_author_renamed_counts_a_change_of_the_names_not_of_the_requests(deux, role):
    """One count of names for every page (VersionNoms), none of the requests' own: bumping
    theirs locked them after the account, as an acceptance locks them in the other order."""
    agent, _, demandes = deux
    # The agent left in one role only.
    if role != "history's author":
        StateLog.objects.filter(by=agent).update(by=None)
    if role != "claim's agent":
        JournalPriseEnCharge.objects.filter(agent=agent).delete()
    if role != "reader":
        Message.objects.filter(lu_par=agent).update(lu_par=None)
    avant, versions = _noms(), [_version(d) for d in demandes]
    User.objects.filter(pk=agent.pk).update(last_name="Renommé")
    assert _noms() == avant + 1
    User.objects.filter(pk=agent.pk).update(last_name="Renommé", last_login=timezone.now())
    assert _noms() == avant + 1  # names unchanged
    assert [_version(d) for d in demandes] == versions
    User.objects.filter(pk=CandidatFactory().pk).update(first_name="X")
    assert _noms() == avant + 1  # an account shown nowhere


def test_the_message_s_author_renamed_counts_too(deux):
    _, candidat, _ = deux
    avant = _noms()
    candidat.first_name = "Lucie"
    candidat.save()  # every column written: the names' trigger, once, for a real change
    assert _noms() == avant + 1


@pytest.mark.django_db(transaction=True)
def test_a_rename_does_not_wait_for_a_request_locked_by_a_transition(deux):
    """An acceptance locks its request, then its candidate's account (the NEPH): a rename of
    an author of that request, holding their account, must not wait for the request."""
    import psycopg

    agent, _, (demande, _autre) = deux
    reglages = connection.settings_dict
    autre = psycopg.connect(
        dbname=reglages["NAME"],
        user=reglages["USER"],
        password=reglages["PASSWORD"] or None,
        host=reglages["HOST"] or None,
        port=reglages["PORT"] or None,
    )
    try:
        autre.execute("SELECT 1 FROM demandes_demande WHERE id = %s FOR UPDATE", [demande.pk])
        with connection.cursor() as curseur:
            curseur.execute("SET lock_timeout = '2s'")
            User.objects.filter(pk=agent.pk).update(last_name="Renommé")
            curseur.execute("SET lock_timeout = 0")
    finally:
        autre.rollback()
        autre.close()
    assert _noms() >= 1


def test_a_bulk_write_counts_each_row_of_each_request(deux):
    _, _, (demande, autre) = deux
    PieceJustificative.objects.all().delete()
    avant = _version(demande), _version(autre)
    natures = [Piece.ASSR, Piece.IDENTITE, Piece.DOMICILE]
    PieceJustificative.objects.bulk_create(
        PieceJustificative(demande=d, nature=nature, fichier=f"{nature}.pdf", taille=1)
        for nature in natures
        for d in (demande, autre)
    )
    assert (_version(demande), _version(autre)) == (avant[0] + 3, avant[1] + 3)
    # A row moved to another request: both count it.
    PieceJustificative.objects.filter(demande=autre, nature=Piece.ASSR).update(
        demande=demande, nature=Piece.JDC
    )
    assert (_version(demande), _version(autre)) == (avant[0] + 4, avant[1] + 4)


def test_another_model_s_history_counts_not(deux):
    agent, _, (demande, _autre) = deux
    avant = _version(demande)
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=demande.pk,
        source_state="a",
        state="b",
        transition="x",
    )
    assert _version(demande) == avant


def test_a_request_s_deletion_takes_its_count_and_history_of_a_gone_request_writes_none(deux):
    agent, _, (demande, autre) = deux
    pk = demande.pk
    demande.delete()
    assert not VersionDossier.objects.filter(demande_id=pk).exists()
    # Its history stays (django-fsm-log's rows have no foreign key): written again, no count.
    StateLog.objects.filter(object_id=pk).update(description="après")
    User.objects.filter(pk=agent.pk).update(first_name="Paul")
    assert not VersionDossier.objects.filter(demande_id=pk).exists()
    assert VersionDossier.objects.filter(demande=autre).exists()


def test_a_request_without_rows_yet_has_none_then_one(candidat):
    demande = DemandeFactory(deposee=True, candidat=candidat, pieces=False)
    assert _version(demande) is None
    PieceJustificative.objects.create(demande=demande, nature=Piece.ASSR, fichier="a.pdf", taille=1)
    assert _version(demande) == 1


def test_the_page_is_rendered_at_every_view_without_postgresql(client, instructeur, monkeypatch):
    """No trigger keeps the count elsewhere: no key, no kept body."""
    demande = DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur)
    url = reverse("instruction:demande", args=[demande.numero])
    client.get(url)
    monkeypatch.setattr(rendu_demande, "connection", type("Autre", (), {"vendor": "sqlite"}))
    fragments._FRAGMENTS.oublier()
    PieceJustificative.objects.create(demande=demande, nature=Piece.ASSR, fichier="a.pdf", taille=1)
    StateLog.objects.create(
        content_object=demande, source_state="a", state="b", transition="x", description="vu"
    )
    VersionDossier.objects.filter(demande=demande).update(n=0)  # as no trigger would count
    assert "vu" in client.get(url).content.decode()
    assert not [cle for cle in fragments._FRAGMENTS._rendus if "instruction, demande" in cle]
    assert "(non exigée)" in client.get(url).content.decode()
    assert connection.vendor == "postgresql"


def test_a_table_emptied_by_truncate_counts_a_change_of_every_request(deux):
    """TRUNCATE fires no row trigger (a table emptied by hand, a restore script)."""
    _, _, (demande, autre) = deux
    for table in ("echanges_message", "django_fsm_log_statelog"):
        avant = _version(demande), _version(autre)
        with connection.cursor() as curseur:
            curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows' checks, done first
            curseur.execute(f"TRUNCATE {table} CASCADE")
        assert (_version(demande), _version(autre)) == (avant[0] + 1, avant[1] + 1)
