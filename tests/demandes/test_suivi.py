"""« Où en est mon permis » shows state and date for a number + birth date, and nothing else."""

import re
from datetime import date

import pytest
from django.urls import reverse

from demandes.suivi import INTROUVABLE
from tests.factories import DemandeFactory
from tests.nonces import verifier_un_nonce_par_page

URL = reverse("suivi")


def chercher(client, numero, naissance):
    return client.post(URL, {"numero": numero, "date_naissance": naissance})


@pytest.fixture
def demande():
    return DemandeFactory(
        en_instruction=True,
        date_naissance=date(2007, 5, 14),
        nom_naissance="CONFIDENTIEL",
        prenoms="Secret",
        motif="inscription_premiere",
    )


@pytest.mark.django_db
def test_number_and_birth_date_show_the_state_and_its_date(client, demande):
    response = chercher(client, demande.numero, "2007-05-14")
    page = response.content.decode()
    assert response.status_code == 200
    assert "En instruction" in page
    assert "Depuis le" in page


@pytest.mark.django_db
def test_number_is_accepted_in_lower_case_without_dashes(client, demande):
    page = chercher(client, demande.numero.lower().replace("-", ""), "2007-05-14").content.decode()
    assert "En instruction" in page


@pytest.mark.django_db
def test_nothing_but_state_and_date_is_shown(client, demande):
    page = chercher(client, demande.numero, "2007-05-14").content.decode()
    for secret in [
        "CONFIDENTIEL",
        "Secret",
        demande.code_photo,
        "Lyon",
        "Première inscription",
        "69002",
    ]:
        assert secret not in page


@pytest.mark.django_db
def test_wrong_birth_date_gets_the_same_answer_as_an_unknown_number(client, demande):
    mauvaise_date = chercher(client, demande.numero, "2007-05-15")
    inconnu = chercher(client, "K7QX-M3PA-9ZT2", "2007-05-14")

    def reponse(r):
        page = r.content.decode().replace(demande.numero, "N").replace("K7QX-M3PA-9ZT2", "N")
        page = re.sub(r'nonce="[^"]+"', "", page)  # the CSP nonce is new on every response
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert INTROUVABLE in mauvaise_date.content.decode()
    assert mauvaise_date.status_code == inconnu.status_code == 200
    assert reponse(mauvaise_date).replace("2007-05-15", "D") == reponse(inconnu).replace(
        "2007-05-14", "D"
    )


@pytest.mark.django_db
def test_drafts_are_not_found(client):
    brouillon = DemandeFactory(date_naissance=date(2007, 5, 14))
    assert INTROUVABLE in chercher(client, brouillon.numero, "2007-05-14").content.decode()


@pytest.mark.django_db
def test_bad_input_gets_french_messages_and_keeps_the_answers(client):
    page = chercher(client, "ABC\x00", "2099-01-01").content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert "Le caractère nul n’est pas autorisé." in page


@pytest.mark.django_db
def test_repeated_lookups_are_rate_limited(client, demande):
    statuts = [chercher(client, "K7QX-M3PA-9ZT2", "2007-05-14").status_code for _ in range(11)]
    assert statuts[:10] == [200] * 10
    assert statuts[10] == 429
    assert "Trop de recherches" in chercher(client, demande.numero, "2007-05-14").content.decode()


@pytest.mark.django_db
def test_the_blank_form_kept_once_holds_nothing_a_visitor_typed(client):
    client.get(URL)  # the blank form is kept
    renvoye = chercher(client, "ABCD-EFGH-JKLM", "2999-01-01").content.decode()
    assert 'value="ABCD-EFGH-JKLM"' in renvoye
    assert "ne peut pas être dans le futur" in renvoye
    vierge = client.get(URL).content.decode()
    assert "ABCD-EFGH-JKLM" not in vierge
    assert "dans le futur" not in vierge


JETON = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sans_jeton(html: str) -> str:
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
    return JETON.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.fixture
def page_oubliee():
    from demandes import suivi

    suivi._PAGE_VIERGE._pages.oublier()


@pytest.mark.django_db
@pytest.mark.parametrize("suite", ["", "?de=%22%3E%3Cb%3E"])
def test_the_blank_page_kept_whole_is_the_page_rendered_live(client, page_oubliee, suite):
    from demandes import suivi

    client.get(URL)  # kept, with no query string
    garde = client.get(URL + suite).content.decode()
    direct = suivi._page(client.get(URL + suite).wsgi_request).render().content.decode()
    assert sans_jeton(garde) == sans_jeton(direct)
    assert f'action="{URL}{suite}"' in garde


@pytest.mark.django_db
def test_the_kept_blank_page_gives_each_visitor_a_working_csrf_token(page_oubliee, demande):
    from django.test import Client

    premier, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    jetons = [JETON.findall(visiteur.get(URL).content.decode()) for visiteur in (premier, second)]
    assert jetons[0] and jetons[1] and set(jetons[0]).isdisjoint(jetons[1])
    envoi = {"numero": demande.numero, "date_naissance": "2007-05-14"}
    reponse = second.post(URL, {**envoi, "csrfmiddlewaretoken": jetons[1][0]})
    assert "En instruction" in reponse.content.decode()


@pytest.mark.django_db
def test_a_logged_in_visitor_gets_their_own_header_on_the_tracking_page(
    client, page_oubliee, candidat
):
    client.get(URL)  # kept for anonymous visitors
    client.force_login(candidat)
    html = client.get(URL).content.decode()
    assert f"Mon espace ({candidat.get_full_name()})" in html
    client.logout()
    assert "Mon espace" not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_each_kept_blank_page_gets_its_own_csp_nonce_and_a_waiting_message(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    verifier_un_nonce_par_page(client, URL)
    reponse = HttpResponse()
    stockage = CookieStorage(HttpRequest())
    stockage.add(constants.INFO, "Vous êtes déconnecté.")
    stockage.update(reponse)
    client.cookies["messages"] = reponse.cookies["messages"].value
    assert "Vous êtes déconnecté." in client.get(URL).content.decode()
    assert "Vous êtes déconnecté." not in client.get(URL).content.decode()
