"""A request's page: every answer, photo and signature, each document in the page, the
checklist, the history, and only the actions this user may run now."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from demandes.enums import Etat, Motif, Piece
from demandes.models import PieceJustificative
from tests.factories import DemandeFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n% un faux justificatif\n"


def _url(demande, nom="demande"):
    return reverse(f"instruction:{nom}", args=[demande.numero])


def _piece(demande, nature, contenu=PDF, type_mime="application/pdf"):
    piece = PieceJustificative(
        demande=demande,
        nature=nature,
        nom_original=f"{nature}.pdf",
        type_mime=type_mime,
        taille=len(contenu),
    )
    piece.fichier.save(f"{nature}.pdf", ContentFile(contenu), save=True)
    return piece


@pytest.fixture
def demande_complete(db):
    demande = DemandeFactory(
        en_instruction=True,
        departement="69",
        nom_naissance="Moreau",
        nom_usage="Petit",
        prenoms="Léa Anne",
        commune_naissance="Villeurbanne",
        telephone="+33698765432",
        pieces=False,
    )
    demande.photo.save("photo.jpg", ContentFile(b"\xff\xd8\xff une photo"), save=False)
    demande.signature.save("signature.png", ContentFile(PNG), save=False)
    demande.save()
    _piece(demande, Piece.IDENTITE)
    _piece(demande, Piece.DOMICILE, PNG, "image/png")
    return demande


@pytest.mark.django_db
def test_page_shows_every_answer(client, instructeur, demande_complete):
    client.force_login(instructeur)
    page = client.get(_url(demande_complete)).content.decode()
    for attendu in (
        "MOREAU",
        "PETIT",
        "Léa Anne",
        "Villeurbanne",
        "12 rue de la République",
        "69002 Lyon",
        "06 98 76 54 32",
        demande_complete.email,
        demande_complete.code_photo,
        "Première inscription",
    ):
        assert attendu in page, attendu


@pytest.mark.django_db
def test_photo_signature_and_documents_are_shown_in_the_page(client, instructeur, demande_complete):
    client.force_login(instructeur)
    page = client.get(_url(demande_complete)).content.decode()
    identite = demande_complete.pieces.get(nature=Piece.IDENTITE)
    domicile = demande_complete.pieces.get(nature=Piece.DOMICILE)
    assert f'src="{_url(demande_complete, "photo")}"' in page
    assert f'src="{_url(demande_complete, "signature")}"' in page
    url_identite = reverse("instruction:piece", args=[demande_complete.numero, identite.pk])
    url_domicile = reverse("instruction:piece", args=[demande_complete.numero, domicile.pk])
    assert f'<iframe class="permis-document" src="{url_identite}"' in page
    assert f'<img class="permis-document" src="{url_domicile}"' in page


@pytest.mark.django_db
def test_documents_are_served_inline_to_agents_in_scope(client, instructeur, demande_complete):
    client.force_login(instructeur)
    identite = demande_complete.pieces.get(nature=Piece.IDENTITE)
    response = client.get(reverse("instruction:piece", args=[demande_complete.numero, identite.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    photo = client.get(_url(demande_complete, "photo"))
    assert photo["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_documents_outside_scope_are_404(
    client, instructeur_autre_departement, candidat, demande_complete
):
    identite = demande_complete.pieces.get(nature=Piece.IDENTITE)
    url_piece = reverse("instruction:piece", args=[demande_complete.numero, identite.pk])
    client.force_login(instructeur_autre_departement)
    assert client.get(url_piece).status_code == 404
    assert client.get(_url(demande_complete, "photo")).status_code == 404
    assert client.get(_url(demande_complete, "signature")).status_code == 404
    client.force_login(candidat)
    assert client.get(url_piece).status_code == 403


@pytest.mark.django_db
def test_a_piece_of_another_request_is_404(client, instructeur, demande_complete):
    autre = DemandeFactory(en_instruction=True, departement="69")
    identite = demande_complete.pieces.get(nature=Piece.IDENTITE)
    client.force_login(instructeur)
    url = reverse("instruction:piece", args=[autre.numero, identite.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_checklist_comes_from_the_document_matrix(client, instructeur, demande_complete):
    client.force_login(instructeur)
    liste = client.get(_url(demande_complete)).context["dossier"].controle.lignes
    etat = {ligne.piece: ligne.fournie for ligne in liste}
    # Born in 2007, French, first inscription: identity, address, photo code, JDC (17-25).
    assert etat == {
        Piece.IDENTITE: True,
        Piece.DOMICILE: True,
        Piece.CODE_PHOTO: True,
        Piece.JDC: False,
    }
    assert [ligne.piece for ligne in liste] == demande_complete.pieces_requises()


@pytest.mark.django_db
def test_page_shows_the_history(client, agent_ctn, instructeur):
    demande = DemandeFactory(deposee=True, departement="69")
    demande = demande.executer("prendre_en_controle", par=agent_ctn)
    demande.executer("passer_en_instruction", par=agent_ctn, description="Conforme.")
    client.force_login(instructeur)
    page = client.get(_url(demande)).content.decode()
    assert "Conforme." in page
    assert agent_ctn.get_full_name() in page
    assert "En contrôle de forme" in page


@pytest.mark.django_db
def test_buttons_are_the_transitions_the_user_may_run_now(client, agent_ctn, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur)
    assert set(client.get(_url(demande)).context["actions"]) == {
        "accepter",
        "refuser",
        "demander-complement",
    }
    # Without the claim, the buttons are not offered yet.
    assert "Accepter la demande</a>" not in client.get(_url(demande)).content.decode()
    prendre(demande, instructeur)
    assert "Accepter la demande</a>" in client.get(_url(demande)).content.decode()

    client.force_login(agent_ctn)
    assert client.get(_url(demande)).context["actions"] == {}

    controle = DemandeFactory(en_controle=True)
    assert set(client.get(_url(controle)).context["actions"]) == {
        "passer-en-instruction",
        "refuser",
        "demander-complement",
    }
    deposee = DemandeFactory(deposee=True)
    assert set(client.get(_url(deposee)).context["actions"]) == {"prendre-en-controle"}


@pytest.mark.django_db
def test_scope_of_the_page(client, agent_ctn, instructeur, instructeur_autre_departement):
    rhone = DemandeFactory(en_instruction=True, departement="69")
    brouillon = DemandeFactory(departement="69")
    client.force_login(instructeur_autre_departement)
    assert client.get(_url(rhone)).status_code == 404
    client.force_login(instructeur)
    assert client.get(_url(rhone)).status_code == 200
    assert client.get(_url(brouillon)).status_code == 404  # drafts are the candidate's own
    client.force_login(agent_ctn)  # the CTN is a national centre
    assert client.get(_url(rhone)).status_code == 200


@pytest.mark.django_db
def test_rejected_request_shows_its_reasons(client, instructeur):
    demande = DemandeFactory(
        etat=Etat.REJETEE,
        departement="69",
        motif=Motif.INSCRIPTION_PREMIERE,
        motifs_rejet=["photo_non_conforme"],
        message_candidat="Photo floue.",
    )
    client.force_login(instructeur)
    page = client.get(_url(demande)).content.decode()
    assert "Photo non conforme" in page
    assert "Photo floue." in page
