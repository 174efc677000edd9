"""The instruction page's body kept rendered per the very values it shows
(instruction/rendu_demande.py): each shown value changed behind the page's back shows at once,
the page then the same as one rendered from nothing (the thread's block and journal too); each
agent gets their own claim section, actions and CSRF token."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.enums import Piece
from demandes.models import Demande, DocumentProduit, PieceJustificative
from echanges.enums import Cote
from echanges.models import Message
from instruction.models import JournalPriseEnCharge, PriseEnCharge
from permis.templatetags import fragments
from tests.factories import CandidatFactory
from tests.instruction.test_demande import _piece, demande_complete  # noqa: F401 (fixture)


def _page(client, demande) -> str:
    page = client.get(reverse("instruction:demande", args=[demande.numero])).content.decode()
    # The CSRF token and the CSP nonce differ at each view.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


@pytest.mark.django_db
def test_each_shown_value_changed_behind_the_page_shows_at_once(
    client,
    instructeur,
    demande_complete,  # noqa: F811
):
    demande = demande_complete
    deposant = CandidatFactory(first_name="Paul", last_name="Martin")
    Demande.objects.filter(pk=demande.pk).update(depose_par=deposant)
    client.force_login(instructeur)

    def verifier(attendu: str, absent: str | None = None):
        gardee = _page(client, demande)
        assert _page(client, demande) == gardee  # kept: the same page again
        fragments._FRAGMENTS.oublier()
        assert gardee == _page(client, demande)  # as rendered from nothing
        assert attendu in gardee
        assert absent is None or absent not in gardee

    verifier("PETIT")
    Demande.objects.filter(pk=demande.pk).update(nom_usage="Durand")
    verifier("DURAND")
    User.objects.filter(pk=deposant.pk).update(first_name="Pierre")
    verifier("Pierre Martin")
    PieceJustificative.objects.filter(demande=demande, nature=Piece.IDENTITE).update(
        nom_original="carte-recto.pdf"
    )
    verifier("carte-recto.pdf")
    PieceJustificative.objects.filter(demande=demande, nature=Piece.IDENTITE).update(
        type_mime="image/jpeg"
    )
    verifier('<img class="permis-document"')
    _piece(demande, Piece.ASSR)  # not required for this request: « non exigée »
    verifier("(non exigée)")
    PieceJustificative.objects.filter(demande=demande, nature=Piece.ASSR).delete()
    verifier("Pièces justificatives", absent="(non exigée)")
    DocumentProduit.objects.create(
        demande=demande, nature=DocumentProduit.Nature.RECEPISSE_DEPOT, fichier="r.pdf"
    )
    verifier("Documents produits")
    DocumentProduit.objects.filter(demande=demande).update(
        cree_le=timezone.make_aware(datetime(2030, 5, 17, 12))
    )
    verifier("17/05/2030")
    entree = StateLog.objects.create(
        content_object=demande,
        source_state="deposee",
        state="en_instruction",
        transition="transmettre",
        description="Complément reçu par courrier",
    )
    verifier("Complément reçu par courrier")
    StateLog.objects.filter(pk=entree.pk).update(description="Pièce reçue au guichet")
    verifier("Pièce reçue au guichet")
    auteur = CandidatFactory(first_name="Zoé", last_name="Historique")
    StateLog.objects.filter(pk=entree.pk).update(by=auteur)
    verifier("Zoé Historique")
    User.objects.filter(pk=auteur.pk).update(last_name="Archiviste")
    verifier("Zoé Archiviste")
    StateLog.objects.filter(pk=entree.pk).update(by=None)  # « Système » again
    verifier("Système")
    PriseEnCharge.objects.prendre(demande, instructeur)
    verifier("Vous avez pris en charge cette demande")
    User.objects.filter(pk=instructeur.pk).update(last_name="Renommée")
    verifier("Renommée")
    JournalPriseEnCharge.objects.filter(demande=demande).update(
        evenement=JournalPriseEnCharge.Evenement.FIN_DE_FILE
    )
    verifier("Libérée (la demande a quitté la file)")
    StateLog.objects.filter(pk=entree.pk).update(timestamp=entree.timestamp - timedelta(days=900))
    verifier(timezone.localtime(entree.timestamp - timedelta(days=900)).strftime("%d/%m/%Y"))


@pytest.mark.django_db
def test_a_kept_file_reads_the_request_only(client, instructeur, demande_complete):  # noqa: F811
    """Its pieces, documents, history and claims are read to render the file, not to find it."""
    PriseEnCharge.objects.prendre(demande_complete, instructeur)
    client.force_login(instructeur)
    _page(client, demande_complete)
    with CaptureQueriesContext(connection) as requetes:
        _page(client, demande_complete)
    assert len(requetes) == 2, [r["sql"][:80] for r in requetes]  # the account, the request


@pytest.mark.django_db
def test_the_thread_s_block_and_journal_kept_follow_the_messages(
    client,
    instructeur,
    collegue,
    demande_complete,  # noqa: F811
):
    """Each value the block (counts, closed or not) and the journal (date, author, side,
    attachment, read when and by whom) show, changed behind the page's back, shows at once; a
    kept page with messages reads the account and the request only."""
    demande = demande_complete
    client.force_login(instructeur)
    candidat = demande.candidat
    User.objects.filter(pk=candidat.pk).update(first_name="Léa", last_name="Moreau")

    def verifier(*attendus: str, absents: tuple = ()):
        gardee = _page(client, demande)
        assert _page(client, demande) == gardee  # kept: the same page again
        fragments._FRAGMENTS.oublier()
        assert gardee == _page(client, demande)  # as rendered from nothing
        for attendu in attendus:
            assert attendu in gardee
        for absent in absents:
            assert absent not in gardee

    verifier("Aucun message pour l'instant.", absents=('id="journal-messages"',))
    question = Message.objects.create(
        demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="?"
    )
    verifier("1 message échangé", "1 non lu", 'id="journal-messages"', "Léa Moreau")
    User.objects.filter(pk=candidat.pk).update(first_name="Lucie")
    verifier("Lucie Moreau")
    Message.objects.filter(pk=question.pk).update(nom_original="releve&co.pdf")
    verifier("releve&amp;co.pdf")
    lu_le = timezone.make_aware(datetime(2030, 5, 17, 12, 30))
    Message.objects.filter(pk=question.pk).update(lu_le=lu_le, lu_par=collegue)
    verifier("17/05/2030 12:30 — Jeanne Collègue", absents=("non lu",))
    User.objects.filter(pk=collegue.pk).update(last_name="Renommée")
    verifier("Jeanne Renommée")
    Message.objects.filter(pk=question.pk).update(envoye_le=lu_le - timedelta(days=1))
    verifier("16/05/2030 12:30")
    Message.objects.create(demande=demande, auteur=collegue, cote=Cote.SERVICE, texte="ok")
    verifier("2 messages échangés", "(service instructeur)")
    Demande.objects.filter(pk=demande.pk).update(etat="acceptee")
    verifier("Les échanges sont clos")

    with CaptureQueriesContext(connection) as requetes:
        _page(client, demande)
    assert len(requetes) == 2, [r["sql"][:80] for r in requetes]  # the account, the request


JETON = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _corps(page: str) -> str:
    return page.split("<main")[1].split("</main>")[0]


@pytest.mark.django_db
def test_each_agent_gets_their_claim_section_and_a_working_csrf_token(
    instructeur,
    collegue,
    agent_ctn,
    demande_complete,  # noqa: F811
):
    demande = demande_complete
    url = reverse("instruction:demande", args=[demande.numero])
    navigateurs = {agent: Client(enforce_csrf_checks=True) for agent in (instructeur, collegue)}
    for agent, navigateur in navigateurs.items():
        navigateur.force_login(agent)
    corps = [_corps(navigateurs[agent].get(url).content.decode()) for agent in navigateurs]
    jetons = [JETON.findall(page) for page in corps]  # the claim form's, in the kept body
    assert len(jetons[0]) == len(jetons[1]) == 1 and jetons[0] != jetons[1]
    assert JETON.sub("", corps[0]) == JETON.sub("", corps[1])
    assert "Personne ne traite cette demande pour l'instant." in corps[1]

    def envoyer(agent, nom, jeton) -> int:
        adresse = reverse(f"instruction:{nom}", args=[demande.numero])
        return navigateurs[agent].post(adresse, {"csrfmiddlewaretoken": jeton}).status_code

    # The colleague claims it with the token of their kept page: each then sees their side.
    assert envoyer(collegue, "prendre_en_charge", jetons[1][0]) == 302
    assert PriseEnCharge.objects.get(demande=demande).agent == collegue
    page = _corps(navigateurs[collegue].get(url).content.decode())
    assert "Vous avez pris en charge cette demande" in page and "Libérer la demande" in page
    assert ">Accepter la demande</a>" in page
    page = _corps(navigateurs[instructeur].get(url).content.decode())
    assert "Prise en charge par Jeanne Collègue" in page and "Libérer la demande" not in page
    assert "Prenez la demande en charge pour agir." in page
    User.objects.filter(pk=collegue.pk).update(last_name="Renommée")
    assert (
        "Prise en charge par Jeanne Renommée" in navigateurs[instructeur].get(url).content.decode()
    )
    assert envoyer(collegue, "liberer", "un-autre-jeton") == 403
    page = _corps(navigateurs[collegue].get(url).content.decode())
    assert envoyer(collegue, "liberer", JETON.findall(page)[0]) == 302
    assert not PriseEnCharge.objects.filter(demande=demande).exists()
    client = Client()
    client.force_login(agent_ctn)
    page = client.get(url).content.decode()  # not in the CTN's queue
    assert "Cette demande n'est pas dans votre file d'attente." in page
    assert "titre-actions" not in page


@pytest.mark.django_db
def test_the_page_s_key_holds_values_not_one_text_nor_a_request(
    client,
    instructeur,
    demande_complete,  # noqa: F811
):
    """The key is the values themselves (hashable, files and JSON lists as their text), not
    one repr of them all, and keeps no model instance alive with the kept page."""
    client.force_login(instructeur)
    fragments._FRAGMENTS.oublier()
    _page(client, demande_complete)
    (cle,) = [cle for cle in fragments._FRAGMENTS._rendus if cle[0] == "instruction, demande"]
    page = cle[2]
    assert isinstance(page, tuple) and hash(page)

    def feuilles(valeur):
        if isinstance(valeur, tuple):
            for element in valeur:
                yield from feuilles(element)
        else:
            yield valeur

    types_vus = {type(valeur) for valeur in feuilles(page)}
    assert types_vus <= {str, int, bool, type(None), datetime, date}, types_vus
    assert f"<FieldFile: {demande_complete.photo.name}>" in page[0][0]
    assert repr(demande_complete.categories) in page[0][0]
