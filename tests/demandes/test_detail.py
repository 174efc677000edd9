"""A request's page tells the candidate where it stands, what to do next, and its history."""

import datetime
import html
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat
from demandes.models import Demande
from tests.factories import DemandeFactory


def page(client, demande: Demande) -> str:
    return client.get(reverse("demandes:detail", args=[demande.numero])).content.decode()


@pytest.mark.django_db
def test_timeline_lists_each_state_with_its_date_and_who(client, candidat, agent_ctn):
    demande = DemandeFactory(candidat=candidat)
    demande = demande.executer("deposer", par=candidat)
    demande.executer("prendre_en_controle", par=agent_ctn, description="Note interne de l'agent")
    client.force_login(candidat)
    contenu = page(client, demande)
    assert "Déposée" in contenu and "par vous" in contenu
    assert "En contrôle de forme" in contenu and "par l&#x27;administration" in contenu
    assert agent_ctn.last_name not in contenu
    assert "Note interne" not in contenu


@pytest.mark.django_db
def test_accepted_inscription_says_to_print_the_attestation(client, candidat, instructeur):
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    demande.executer("accepter", par=instructeur)
    client.force_login(candidat)
    assert "Imprimez votre attestation d&#x27;inscription" in page(client, demande)


@pytest.mark.django_db
def test_rejected_request_says_a_new_photo_code_is_needed(client, candidat, agent_ctn):
    demande = DemandeFactory(candidat=candidat, en_controle=True)
    demande.executer(
        "refuser", par=agent_ctn, motifs=["photo_non_conforme"], message="Photo floue."
    )
    client.force_login(candidat)
    contenu = page(client, demande)
    assert "nouveau code photo numérique" in contenu
    assert "Photo floue." in contenu


@pytest.mark.django_db
def test_another_candidates_request_is_not_found(client, autre_candidat):
    demande = DemandeFactory(deposee=True)
    client.force_login(autre_candidat)
    assert client.get(reverse("demandes:detail", args=[demande.numero])).status_code == 404


@pytest.mark.parametrize("etat", list(Etat))
def test_every_state_tells_what_to_do_next(etat):
    from demandes.etats import a_faire

    assert a_faire(Demande(etat=etat, motif="perte"))


@pytest.mark.django_db
def test_a_rejected_requests_page_lists_its_reasons_and_the_services_message(
    client, candidat, instructeur
):
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    demande.executer(
        "refuser",
        par=instructeur,
        motifs=["document_illisible", "domicile_trop_ancien"],
        message="Le justificatif de domicile date de 2024.",
    )
    client.force_login(candidat)
    contenu = html.unescape(page(client, demande))
    motifs = contenu[contenu.index('id="motifs-rejet"') :]
    motifs = motifs[: motifs.index("</ul>")]
    assert "Motifs du rejet" in contenu
    assert "<li>Document illisible</li>" in motifs
    assert "<li>Justificatif de domicile de plus de 6 mois</li>" in motifs
    message = contenu[contenu.index('id="message-service"') :]
    assert "Message du service instructeur" in message[:300]
    assert "Le justificatif de domicile date de 2024." in message[:400]


@pytest.mark.django_db
def test_a_request_to_complete_names_its_pieces_deadline_and_the_services_message(
    client, candidat, instructeur, time_machine
):
    time_machine.move_to(date(2026, 12, 1))
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    demande.executer(
        "demander_complement",
        par=instructeur,
        pieces=["domicile", "identite"],
        avant=date(2026, 12, 24),
        message="Merci d'envoyer un justificatif récent.",
    )
    client.force_login(candidat)
    contenu = html.unescape(page(client, demande))
    pieces = contenu[contenu.index('id="pieces-a-remplacer"') :]
    pieces = pieces[: pieces.index("</ul>")]
    assert "Pièces à remplacer avant le 24 décembre 2026" in contenu
    assert "<li>Justificatif de domicile</li>" in pieces
    assert "<li>Justificatif d'identité</li>" in pieces
    message = contenu[contenu.index('id="message-service"') :]
    assert "Message du service instructeur" in message[:300]
    assert "Merci d'envoyer un justificatif récent." in message[:400]


@pytest.mark.django_db
def test_the_kept_page_follows_every_value_it_shows(client, candidat, agent_ctn):
    """Its HTML is kept per the values it shows: a value changed behind its back (no
    modification date bumped), a new history entry, piece, document or message shows at once."""
    from demandes.models import DocumentProduit, PieceJustificative
    from echanges.enums import Cote
    from echanges.models import Message

    demande = DemandeFactory(candidat=candidat, deposee=True)
    client.force_login(candidat)
    avant = html.unescape(page(client, demande))
    assert "Abandonner cette demande" in avant
    Demande.objects.filter(pk=demande.pk).update(
        message_candidat="Un mot du service.", neph="123456789012"
    )
    piece = demande.pieces.first()
    PieceJustificative.objects.filter(pk=piece.pk).update(nom_original="domicile-recent.pdf")
    document = DocumentProduit.objects.create(
        demande=demande, nature=DocumentProduit.Nature.RECEPISSE_DEPOT, fichier="documents/r.pdf"
    )
    Message.objects.create(
        demande=demande, auteur=agent_ctn, cote=Cote.SERVICE, texte="Bonjour", nom_original=""
    )
    apres = html.unescape(page(client, demande))
    assert "Un mot du service." in apres and "123456789012" in apres
    assert "domicile-recent.pdf" in apres
    assert reverse("demandes:document", args=[demande.numero, document.pk]) in apres
    assert "1 message échangé" in apres and "1 non lu" in apres
    # The documents' dates are read with the request (as JSON): shown in local time.
    assert f"produit le {timezone.localtime(document.cree_le):%d/%m/%Y}" in apres
    produit_le = datetime.datetime(2021, 3, 4, 23, 30, tzinfo=datetime.UTC)
    DocumentProduit.objects.filter(pk=document.pk).update(cree_le=produit_le)
    assert "produit le 05/03/2021" in html.unescape(page(client, demande))  # Paris, UTC+1
    Demande.objects.get(pk=demande.pk).executer("prendre_en_controle", par=agent_ctn)
    controle = html.unescape(page(client, demande))
    assert "En contrôle de forme" in controle and "par l'administration" in controle
    assert "Abandonner cette demande" not in controle  # no longer allowed in control


@pytest.mark.django_db
def test_the_kept_pages_form_carries_each_requests_own_csrf_token(client, candidat):
    """The resend form's token is a live hole: masked anew at each page, valid for its session."""
    import re

    demande = DemandeFactory(retourne=True, candidat=candidat)
    client.force_login(candidat)
    action = reverse("demandes:reexpedier", args=[demande.numero])
    motif = f'action="{action}"[^>]*>\\s*<input type="hidden" name="csrfmiddlewaretoken" '
    motif += 'value="([^"]+)"'
    jetons = {re.search(motif, page(client, demande))[1] for _ in range(2)}
    assert len(jetons) == 2


@pytest.mark.django_db
def test_an_empty_thread_is_counted_once_and_not_listed(client, candidat):
    """The thread's block counts the messages; with none, the history does not look again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    demande = DemandeFactory(candidat=candidat, deposee=True)
    client.force_login(candidat)
    with CaptureQueriesContext(connection) as requetes:
        contenu = page(client, demande)
    assert "Aucun message pour l'instant." in html.unescape(contenu)
    assert "Messages échangés" not in contenu
    assert sum('"echanges_message"' in q["sql"] for q in requetes.captured_queries) == 1


@pytest.mark.django_db
def test_the_history_read_with_the_request_shows_its_dates_in_local_time(client, candidat):
    """The history is read with the request (as JSON, in its order): each date as the
    database has it, shown in Paris time, a new entry at once."""
    from django_fsm_log.models import StateLog

    demande = DemandeFactory(candidat=candidat).executer("deposer", par=candidat)
    client.force_login(candidat)
    assert "le 5 mars 2021 à 00:30" not in html.unescape(page(client, demande))
    depot = StateLog.objects.for_(demande).get(state=Etat.DEPOSEE)
    StateLog.objects.filter(pk=depot.pk).update(
        timestamp=datetime.datetime(2021, 3, 4, 23, 30, 15, 250_000, tzinfo=datetime.UTC)
    )
    contenu = html.unescape(page(client, demande))
    assert "le 5 mars 2021 à 00:30" in contenu  # Paris, UTC+1
    assert 'datetime="2021-03-05T00:30:15.250000+01:00"' in contenu
    StateLog.objects.create(
        content_object=demande, state=Etat.CONTROLE_FORME, transition="prendre_en_controle"
    )
    contenu = html.unescape(page(client, demande))
    assert (
        contenu.index("Déposée")
        < contenu.index("En contrôle de forme")
        < contenu.index("automatiquement")
    )


@pytest.mark.django_db
def test_the_threads_counts_are_read_with_the_request(client, candidat, agent_ctn):
    """The thread's block counts the messages as the requester's side reads them (unread:
    the service's, not yet read), in the request's own query: none of the page's queries
    counts messages by itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from echanges.enums import Cote
    from echanges.models import Message

    demande = DemandeFactory(candidat=candidat, deposee=True)
    for auteur, cote in ((agent_ctn, Cote.SERVICE), (candidat, Cote.DEMANDEUR)):
        Message.objects.create(demande=demande, auteur=auteur, cote=cote, texte="?")
    client.force_login(candidat)
    with CaptureQueriesContext(connection) as requetes:
        contenu = html.unescape(page(client, demande))
    assert "2 messages échangés" in contenu and "1 non lu" in contenu
    assert not any(
        q["sql"].startswith('SELECT "echanges_message"."demande_id"')
        for q in requetes.captured_queries
    )
    Message.objects.filter(demande=demande, cote=Cote.SERVICE).update(lu_le=timezone.now())
    contenu = html.unescape(page(client, demande))
    assert "2 messages échangés" in contenu and "non lu" not in contenu


@pytest.mark.django_db
def test_a_drafts_page_judges_its_pieces_from_those_read_with_it(client, candidat):
    """Whether a draft can be filed and where to resume it judge its pieces: those read with
    the request, not asked for again; a missing piece still sends back to the pieces step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demandes.models import PieceJustificative

    complet = DemandeFactory(candidat=candidat)
    incomplet = DemandeFactory(candidat=candidat)
    PieceJustificative.objects.filter(demande=incomplet).first().delete()
    client.force_login(candidat)
    for demande, etape in ((complet, "Récapitulatif"), (incomplet, "Pièces justificatives")):
        with CaptureQueriesContext(connection) as requetes:
            contenu = html.unescape(page(client, demande))
        assert f"Prochaine étape : <strong>{etape}</strong>" in contenu
        assert "Abandonner cette demande" in contenu
        lues = [
            q["sql"] for q in requetes.captured_queries if "demandes_piecejustificative" in q["sql"]
        ]
        assert len(lues) == 1 and lues[0].startswith('SELECT "demandes_demande"."id"')


@pytest.mark.django_db
def test_each_requests_kept_title_names_it(client, candidat):
    """The title is kept per request number: each page's names its own request."""
    premiere, seconde = (DemandeFactory(candidat=candidat, deposee=True) for _ in range(2))
    client.force_login(candidat)
    for demande in (premiere, seconde, premiere):
        assert f"<title>Demande {demande.numero} – " in html.unescape(page(client, demande))


@pytest.mark.django_db
def test_the_kept_page_shows_when_the_service_reads_the_candidates_message(client, candidat):
    """The messages' list is a live hole of the kept page: a read receipt changes no count
    of the thread's block, and shows at once."""
    from echanges.enums import Cote
    from echanges.models import Message

    demande = DemandeFactory(candidat=candidat, deposee=True)
    message = Message.objects.create(
        demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="?", nom_original=""
    )
    client.force_login(candidat)
    avant = html.unescape(page(client, demande))
    assert "1 message échangé" in avant and "pas encore lu" in avant
    Message.objects.filter(pk=message.pk).update(lu_le=timezone.now())
    apres = html.unescape(page(client, demande))
    assert "1 message échangé" in apres and "pas encore lu" not in apres and "lu le" in apres


def _rendus_du_gabarit(
    client, demande: Demande, gabarit: str = "demandes/detail.html"
) -> tuple[str, int]:
    """The page's HTML and how many times `gabarit` was rendered for it (detail.html 0:
    kept whole, only its holes rendered)."""
    from django.test.signals import template_rendered

    vus = []

    def noter(sender, template, **kwargs):
        vus.append(template.name)

    template_rendered.connect(noter)
    try:
        contenu = page(client, demande)
    finally:
        template_rendered.disconnect(noter)
    return html.unescape(contenu), vus.count(gabarit)


def _sans_jetons(contenu: str) -> str:
    """The HTML but for its CSRF tokens and nonces, new at each page."""
    import re

    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", contenu)


@pytest.mark.django_db
def test_the_page_is_kept_whole_and_rendered_again_when_what_it_shows_changes(client, candidat):
    """Seen again, the page is its kept HTML with only its holes rendered; a value it shows
    changed renders it anew, and each request's page stays its own."""
    demande, autre = (DemandeFactory(candidat=candidat, deposee=True) for _ in range(2))
    client.force_login(candidat)
    premiere, rendus = _rendus_du_gabarit(client, demande)
    assert rendus == 1
    seconde, rendus = _rendus_du_gabarit(client, demande)
    assert rendus == 0 and _sans_jetons(seconde) == _sans_jetons(premiere)
    Demande.objects.filter(pk=demande.pk).update(message_candidat="Un mot du service.")
    contenu, rendus = _rendus_du_gabarit(client, demande)
    assert rendus == 1 and "Un mot du service." in contenu
    contenu, rendus = _rendus_du_gabarit(client, autre)
    assert rendus == 1 and f"Demande n° {autre.numero}" in contenu
    assert "Un mot du service." not in contenu


@pytest.mark.django_db
def test_the_kept_page_shows_its_messages_once_and_its_users_own_header(client, candidat):
    """The messages are a hole of the kept page: shown once, on the page after the action
    that sent them; and the kept page follows the header's key (the account's name)."""
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    client.force_login(candidat)
    page(client, demande)
    refus = client.get(reverse("demandes:abandonner", args=[demande.numero]))
    assert refus.status_code == 302  # "ne peut plus être abandonnée", shown on the page
    contenu, rendus = _rendus_du_gabarit(client, demande)
    assert rendus == 0 and "Cette demande ne peut plus être abandonnée." in contenu
    contenu, rendus = _rendus_du_gabarit(client, demande)
    assert rendus == 0 and "ne peut plus être abandonnée" not in contenu
    assert "Camille-Renommée" not in contenu
    candidat.first_name = "Camille-Renommée"
    candidat.save()
    contenu, rendus = _rendus_du_gabarit(client, demande)
    assert rendus == 1 and "Camille-Renommée" in contenu


@pytest.mark.django_db
@pytest.mark.parametrize("motif", ["inscription_premiere", "production_premier_titre"])
def test_the_page_may_withdraw_exactly_when_the_transition_may_run(
    motif, candidat, autre_candidat, agent_ctn
):
    """Whether the page offers to withdraw judges the one transition (its source states,
    condition and permission) as the list of every possible transition does, in every state,
    for the candidate and for others."""
    from demandes.views.mes_demandes import peut_abandonner_la

    demande = DemandeFactory(candidat=candidat, motif=motif)
    vus = set()
    for etat in Etat:
        demande.__dict__["etat"] = etat  # protected: set as a row read in that state is
        for user in (candidat, autre_candidat, agent_ctn):
            attendu = "abandonner" in demande.transitions_possibles(user)
            assert peut_abandonner_la(demande, user) is attendu, (etat, user)
            vus.add(attendu)
    assert vus == {True, False}


@pytest.mark.django_db
def test_the_threads_messages_are_kept_with_the_page_per_what_it_shows_of_them(
    client, candidat, agent_ctn
):
    """The messages listed in the history are part of the kept page, under every value it
    shows of them (cle_du_bloc): seen again, not rendered; a read receipt, an attachment's
    name or a new message renders the page anew."""
    from echanges.enums import Cote
    from echanges.models import Message

    demande = DemandeFactory(candidat=candidat, deposee=True)
    Message.objects.create(demande=demande, auteur=agent_ctn, cote=Cote.SERVICE, texte="?")
    mien = Message.objects.create(
        demande=demande, auteur=candidat, cote=Cote.DEMANDEUR, texte="!", nom_original=""
    )
    client.force_login(candidat)
    historique = "echanges/partials/historique.html"
    contenu, rendus = _rendus_du_gabarit(client, demande, historique)
    assert rendus == 1 and "Message — Le service instructeur" in contenu
    assert "Message — Vous" in contenu and "pas encore lu" in contenu
    assert _rendus_du_gabarit(client, demande, historique)[1] == 0
    Message.objects.filter(pk=mien.pk).update(lu_le=timezone.now())
    contenu, rendus = _rendus_du_gabarit(client, demande, historique)
    assert rendus == 1 and "pas encore lu" not in contenu and "lu le" in contenu
    Message.objects.filter(pk=mien.pk).update(piece_jointe="pj/a.pdf", nom_original="a.pdf")
    contenu, rendus = _rendus_du_gabarit(client, demande, historique)
    assert rendus == 1 and "pièce jointe : a.pdf" in contenu
    Message.objects.create(demande=demande, auteur=agent_ctn, cote=Cote.SERVICE, texte="?")
    contenu, rendus = _rendus_du_gabarit(client, demande, historique)
    assert rendus == 1 and contenu.count("Message — Le service instructeur") == 2


@pytest.mark.django_db
def test_the_threads_messages_are_known_from_the_requests_query_and_follow_their_authors(
    client, candidat, agent_ctn
):
    """What the history shows of the messages is read with the request (a digest): seen
    again, no query of the messages but the request's; an author's name or school changed
    shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from echanges.enums import Cote
    from echanges.models import Message
    from tests.auto_ecoles.factories import MandatFactory, MembreFactory

    membre = MembreFactory()
    MandatFactory(candidat=candidat, auto_ecole=membre.auto_ecole)
    demande = DemandeFactory(candidat=candidat, depose_par=membre.user, deposee=True)
    Message.objects.create(demande=demande, auteur=agent_ctn, cote=Cote.SERVICE, texte="?")
    Message.objects.create(demande=demande, auteur=membre.user, cote=Cote.DEMANDEUR, texte="!")
    client.force_login(candidat)
    ecole = str(membre.auto_ecole)  # its name and number
    assert f"(auto-école, {ecole})" in html.unescape(page(client, demande))
    with CaptureQueriesContext(connection) as requetes:
        contenu = html.unescape(page(client, demande))
    des_messages = [q["sql"] for q in requetes.captured_queries if "echanges_message" in q["sql"]]
    assert len(des_messages) == 1 and des_messages[0].startswith('SELECT "demandes_demande"')
    assert f"(auto-école, {ecole})" in contenu
    membre.user.first_name, membre.user.last_name = "Alix", "Renommé"
    membre.user.save()
    assert "Message — Alix Renommé (auto-école" in html.unescape(page(client, demande))
    membre.auto_ecole.nom, membre.auto_ecole.numero_agrement = "École Renommée", "E2600000"
    membre.auto_ecole.save()
    assert "(auto-école, École Renommée (E2600000))" in html.unescape(page(client, demande))
