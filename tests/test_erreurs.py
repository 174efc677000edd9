"""Every error page is French, on the DSFR layout, with a way back and no technical detail."""

import html

import pytest
from django.test import Client

from tests.factories import CandidatFactory

TITRES = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page non trouvée",
    500: "Erreur inattendue",
}


def _verifier_page(reponse, statut, titre):
    page = html.unescape(reponse.content.decode())
    assert reponse.status_code == statut
    assert '<html lang="fr"' in page
    assert f"<h1>{titre}</h1>" in page
    assert f"<title>{titre} – Permis en ligne</title>" in page
    assert 'class="fr-header"' in page and 'class="fr-footer"' in page  # the DSFR layout
    assert "Page d'accueil" in page  # a way back
    for technique in ("secret", "Traceback", "Not Found", "Forbidden", "Bad Request", "CSRF"):
        assert technique not in page


@pytest.fixture
def visiteur(settings):
    settings.ROOT_URLCONF = "tests.urls_erreurs"
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("statut", [400, 403, 404, 500])
def test_each_error_is_a_french_page(visiteur, statut):
    _verifier_page(visiteur.get(f"/echec/{statut}/"), statut, TITRES[statut])


@pytest.mark.django_db
def test_an_unknown_address_is_a_french_404(client):
    _verifier_page(client.get("/cette-page-n-existe-pas/"), 404, "Page non trouvée")


@pytest.mark.django_db
def test_a_candidate_in_the_back_office_gets_a_french_403(client):
    client.force_login(CandidatFactory())
    _verifier_page(client.get("/instruction/"), 403, "Accès refusé")


@pytest.mark.django_db
def test_server_error_page_reads_neither_the_user_nor_the_database(
    visiteur, django_assert_num_queries
):
    visiteur.force_login(CandidatFactory(first_name="Zoé"))
    with django_assert_num_queries(0):
        reponse = visiteur.get("/echec/500/")
    _verifier_page(reponse, 500, TITRES[500])
    assert "Zoé" not in reponse.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_french_page():
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/compte/login/", {"login": "x", "password": "y"})
    _verifier_page(reponse, 403, "Formulaire expiré")
    assert "cookies" in html.unescape(reponse.content.decode())
