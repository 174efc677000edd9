"""The récépissé de dépôt of a category B inscription: a PDF produced once, downloadable."""

import pytest
from django.core import mail
from django.urls import reverse

from demandes.enums import Motif
from demandes.models import DocumentProduit
from demandes.tasks import produire_recepisse_depot
from tests.demandes.assistant import texte_pdf
from tests.factories import DemandeFactory

RECEPISSE = DocumentProduit.Nature.RECEPISSE_DEPOT


def deposer(demande, candidat, capture):
    with capture(execute=True):
        demande.executer("deposer", par=candidat)


@pytest.mark.django_db
def test_receipt_holds_the_candidates_name_and_the_request_number(
    candidat, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(candidat=candidat, nom_naissance="Lefèvre", prenoms="Élodie Marie")
    deposer(demande, candidat, django_capture_on_commit_callbacks)
    document = DocumentProduit.objects.get(demande=demande, nature=RECEPISSE)
    with document.fichier.open("rb") as flux:
        texte = texte_pdf(flux.read())
    assert "Récépissé de dépôt" in texte
    assert "Lefèvre" in texte and "Élodie Marie" in texte
    assert demande.numero in texte
    assert "14/05/2007" in texte
    # The confirmation email is the only email: the receipt is in "Mes demandes".
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "motif, categories",
    [
        (Motif.INSCRIPTION_PREMIERE, ["A2"]),
        (Motif.PRODUCTION_PREMIER_TITRE, ["B"]),
    ],
)
@pytest.mark.django_db
def test_no_receipt_but_for_a_category_b_inscription(
    candidat, motif, categories, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(candidat=candidat, motif=motif, categories=categories)
    deposer(demande, candidat, django_capture_on_commit_callbacks)
    assert not DocumentProduit.objects.filter(demande=demande).exists()


@pytest.mark.django_db
def test_receipt_task_is_safe_to_run_twice_and_rechecks_the_state(candidat):
    brouillon = DemandeFactory(candidat=candidat)
    assert produire_recepisse_depot(brouillon.pk) is False
    demande = DemandeFactory(candidat=candidat, deposee=True)
    assert produire_recepisse_depot(demande.pk) is True
    assert produire_recepisse_depot(demande.pk) is False
    assert DocumentProduit.objects.filter(demande=demande).count() == 1
    assert produire_recepisse_depot(0) is False


@pytest.mark.django_db
def test_receipt_is_downloaded_from_my_requests(client, candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    produire_recepisse_depot(demande.pk)
    document = DocumentProduit.objects.get(demande=demande)
    client.force_login(candidat)
    liste = client.get(reverse("demandes:liste")).content.decode()
    url = reverse("demandes:document", args=[demande.numero, document.pk])
    assert url in liste and "Récépissé de dépôt" in liste
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'attachment; filename="recepisse-depot-{demande.numero}.pdf"'
        == (response["Content-Disposition"])
    )
    assert demande.numero in texte_pdf(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_receipt_of_someone_else_is_not_found(client, autre_candidat):
    demande = DemandeFactory(deposee=True)
    produire_recepisse_depot(demande.pk)
    document = DocumentProduit.objects.get(demande=demande)
    url = reverse("demandes:document", args=[demande.numero, document.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(autre_candidat)
    assert client.get(url).status_code == 404
    # The right document id under another request's number is not found either.
    autre = DemandeFactory(candidat=autre_candidat, deposee=True)
    assert (
        client.get(reverse("demandes:document", args=[autre.numero, document.pk])).status_code
        == 404
    )
