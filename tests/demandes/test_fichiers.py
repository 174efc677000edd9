"""Uploaded pieces and the photo are served only to who may see the request."""

import pytest
from django.urls import reverse

from tests.factories import DemandeFactory


@pytest.fixture
def demande(candidat):
    return DemandeFactory(candidat=candidat, deposee=True)


@pytest.mark.django_db
def test_owner_sees_the_piece_with_its_checked_type(client, candidat, demande):
    piece = demande.pieces.first()
    client.force_login(candidat)
    response = client.get(reverse("demandes:piece", args=[demande.numero, piece.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_others_do_not_find_the_piece(client, autre_candidat, agent_ctn, demande):
    piece = demande.pieces.first()
    url = reverse("demandes:piece", args=[demande.numero, piece.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for user in (autre_candidat, agent_ctn):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_photo_of_a_request_is_private(client, candidat, autre_candidat):
    demande = DemandeFactory(candidat=candidat, photo_confirmee=False)
    url = reverse("demandes:photo", args=[demande.numero])
    client.force_login(candidat)
    # Not confirmed yet: the portal shows what the booth holds for the code.
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(autre_candidat)
    assert client.get(url).status_code == 404
