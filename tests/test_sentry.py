"""Sentry gets the error of a failing request, and nothing that says who the person is."""

import json

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.urls import path
from sentry_sdk.transport import Transport

from permis.sentry import initialiser


class Releve(Transport):
    """Keeps the envelopes Sentry would send (the transport is where they leave the process)."""

    def __init__(self, options=None):
        super().__init__(options)
        self.evenements = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.evenements.append(item.payload.json)


def vue_en_erreur(request):
    nom, email = request.POST["nom_naissance"], request.POST["email"]
    if nom:
        raise RuntimeError(f"échec de l'enregistrement pour {email}")
    return HttpResponse()


urlpatterns = [path("erreur/", vue_en_erreur)]


@pytest.fixture
def releve():
    transport = Releve()
    initialiser("https://cle@sentry.example.invalid/1", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again


@pytest.mark.django_db
@pytest.mark.urls("tests.test_sentry")
def test_a_failing_request_is_reported_without_identity(client, releve, candidat):
    client.force_login(candidat)
    client.raise_request_exception = False

    reponse = client.post(
        "/erreur/",
        {
            "nom_naissance": "Dupont-Secret",
            "email": "camille.secret@exemple.fr",
            "telephone": "0611",
        },
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert reponse.status_code == 500
    sentry_sdk.flush()
    assert len(releve.evenements) == 1
    evenement = releve.evenements[0]
    assert evenement["exception"]["values"][0]["type"] == "RuntimeError"
    assert "[courriel]" in evenement["exception"]["values"][0]["value"]
    texte = json.dumps(evenement, ensure_ascii=False)
    for secret in (
        "Dupont-Secret",
        "camille.secret",
        candidat.email,
        candidat.username,
        "203.0.113.9",
        client.cookies["sessionid"].value,
    ):
        assert secret not in texte, secret
    assert "user" not in evenement or not evenement["user"].get("email")
