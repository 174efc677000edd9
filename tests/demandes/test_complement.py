"""Asked to complete: the candidate replaces only the named documents before the deadline and the
request goes back to the queue it came from, with its history; past the deadline it is rejected."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat, MotifRejet, Piece
from demandes.models import Demande
from demandes.tasks import appliquer_transitions_temporelles
from tests.factories import DemandeFactory, pdf_minimal


def _pdf(nom="nouveau.pdf"):
    return SimpleUploadedFile(nom, pdf_minimal(), content_type="application/pdf")


@pytest.fixture
def a_completer(db, agent_ctn):
    """A request the CTN sent back: the proof of address to replace within 10 days."""
    demande = DemandeFactory(deposee=True)
    demande = demande.executer("prendre_en_controle", par=agent_ctn)
    return demande.executer(
        "demander_complement",
        par=agent_ctn,
        pieces=[Piece.DOMICILE],
        avant=timezone.localdate() + timedelta(days=10),
        message="Votre facture date de plus de 6 mois.",
    )


def _url(demande, nom="completer"):
    return reverse(f"demandes:{nom}", args=[demande.numero])


def test_only_the_requested_documents_can_be_replaced(client, a_completer):
    client.force_login(a_completer.candidat)
    response = client.get(_url(a_completer))
    assert response.status_code == 200
    assert list(response.context["form"].fields) == [Piece.DOMICILE]
    assert "Votre facture date de plus de 6 mois." in response.content.decode()


def test_replacing_them_sends_the_request_back_to_its_queue(client, a_completer):
    ancien = a_completer.pieces.get(nature=Piece.DOMICILE)
    identite = a_completer.pieces.get(nature=Piece.IDENTITE)
    client.force_login(a_completer.candidat)
    response = client.post(_url(a_completer), {Piece.DOMICILE: _pdf("facture-mars.pdf")})
    assert response.status_code == 302
    demande = Demande.objects.get(pk=a_completer.pk)
    assert demande.etat == Etat.CONTROLE_FORME  # the queue it came from
    assert demande.pieces_a_completer == [] and demande.completer_avant is None
    nouveau = demande.pieces.get(nature=Piece.DOMICILE)
    assert nouveau.pk != ancien.pk and nouveau.nom_original == "facture-mars.pdf"
    assert demande.pieces.get(nature=Piece.IDENTITE).pk == identite.pk  # untouched
    assert [e.transition for e in demande.historique()] == [
        "prendre_en_controle",
        "demander_complement",
        "completer",
    ]


def test_a_request_sent_back_by_an_instructor_returns_to_instruction(client, instructeur, candidat):
    demande = DemandeFactory(en_instruction=True, departement="69", candidat=candidat)
    demande = demande.executer(
        "demander_complement",
        par=instructeur,
        pieces=[Piece.IDENTITE],
        avant=timezone.localdate() + timedelta(days=5),
        message="Pièce d'identité expirée.",
    )
    client.force_login(candidat)
    client.post(_url(demande), {Piece.IDENTITE: _pdf()})
    assert Demande.objects.get(pk=demande.pk).etat == Etat.EN_INSTRUCTION


def test_sending_nothing_keeps_the_request_waiting(client, a_completer):
    client.force_login(a_completer.candidat)
    response = client.post(_url(a_completer), {})
    assert response.status_code == 200
    assert "Ajoutez le nouveau justificatif." in response.content.decode()
    assert Demande.objects.get(pk=a_completer.pk).etat == Etat.A_COMPLETER


def test_a_file_that_is_not_a_document_is_refused(client, a_completer):
    client.force_login(a_completer.candidat)
    faux = SimpleUploadedFile(
        "facture.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(_url(a_completer), {Piece.DOMICILE: faux})
    assert response.status_code == 200
    assert response.context["form"].errors[Piece.DOMICILE]
    assert Demande.objects.get(pk=a_completer.pk).etat == Etat.A_COMPLETER


def test_another_user_cannot_complete(client, a_completer, autre_candidat):
    client.force_login(autre_candidat)
    assert client.get(_url(a_completer)).status_code == 404
    assert client.post(_url(a_completer), {Piece.DOMICILE: _pdf()}).status_code == 404


def test_a_request_not_waiting_for_documents_redirects(client, candidat):
    demande = DemandeFactory(en_instruction=True, candidat=candidat)
    client.force_login(candidat)
    response = client.get(_url(demande))
    assert response.url == reverse("demandes:detail", args=[demande.numero])


def test_past_the_deadline_the_clock_rejects_it_and_tells_why(
    a_completer, django_capture_on_commit_callbacks
):
    avant = a_completer.completer_avant
    with time_machine.travel(timezone.localtime().replace(hour=12) + timedelta(days=11)):
        assert timezone.localdate() > avant
        with django_capture_on_commit_callbacks(execute=True):
            assert appliquer_transitions_temporelles()["rejeter_hors_delai"] == 1
    demande = Demande.objects.get(pk=a_completer.pk)
    assert demande.etat == Etat.REJETEE
    assert demande.motifs_rejet == [MotifRejet.HORS_DELAI]
    email = mail.outbox[-1]
    assert "demande non complétée dans le délai" in email.body


def test_past_the_deadline_the_candidate_can_no_longer_send(client, a_completer):
    client.force_login(a_completer.candidat)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        response = client.post(_url(a_completer), {Piece.DOMICILE: _pdf()}, follow=True)
    assert "Le délai pour compléter cette demande est dépassé." in response.content.decode()
    assert Demande.objects.get(pk=a_completer.pk).etat == Etat.A_COMPLETER


# --- Re-sending a returned licence ----------------------------------------------------------


@pytest.mark.django_db
def test_candidate_asks_for_a_returned_licence_to_be_posted_again(
    client, candidat, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(retourne=True, candidat=candidat)
    client.force_login(candidat)
    page = client.get(reverse("demandes:detail", args=[demande.numero])).content.decode()
    assert "Demander la réexpédition de mon permis" in page
    assert client.get(_url(demande, "reexpedier")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(demande, "reexpedier"))
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.EXPEDIE
    assert demande.numero_suivi


@pytest.mark.django_db
def test_nobody_else_asks_for_the_resending(client, autre_candidat):
    demande = DemandeFactory(retourne=True)
    client.force_login(autre_candidat)
    assert client.post(_url(demande, "reexpedier")).status_code == 404
    assert Demande.objects.get(pk=demande.pk).etat == Etat.RETOURNE
