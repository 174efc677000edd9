"""The pages' CSRF token, masked by permis/jeton_csrf.py: Django's format, checked by Django."""

import re

import pytest
from django.http import HttpResponse
from django.middleware import csrf as csrf_django
from django.test import Client, RequestFactory
from django.urls import reverse

from permis import jeton_csrf

JETON = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_token_unmasks_to_the_secret_and_changes_each_time():
    secret = csrf_django._get_new_csrf_string()
    jetons = {jeton_csrf.masquer(secret) for _ in range(50)}
    assert len(jetons) == 50
    for jeton in jetons:
        assert len(jeton) == csrf_django.CSRF_TOKEN_LENGTH
        assert set(jeton) <= set(csrf_django.CSRF_ALLOWED_CHARS)
        assert csrf_django._unmask_cipher_token(jeton) == secret


def test_bytes_that_would_favour_some_characters_are_dropped(monkeypatch):
    lus = iter([bytes([248, 255, 0, 61, 62, 247] * 8), bytes(range(48))])
    monkeypatch.setattr(jeton_csrf.os, "urandom", lambda n: next(lus))
    masque = list(jeton_csrf._masque())
    # 0, 61, 62→0, 247→61 per six bytes (eight times: 32), none of 248 or 255.
    assert masque == [0, 61, 0, 61] * 8


def test_the_mask_covers_every_character_evenly():
    compte = dict.fromkeys(range(62), 0)
    for _ in range(2000):
        for rang in jeton_csrf._masque():
            compte[rang] += 1
    # 64,000 draws, ~1,032 each: a skewed mapping (mod 62 of every byte) gives ~1,230 to the
    # first eight characters.
    assert max(compte.values()) < 1170 and min(compte.values()) > 890  # ±4.3 σ


def test_a_request_without_a_secret_gets_one_and_its_cookie():
    requete = RequestFactory().get("/")
    jeton = jeton_csrf.jeton(requete)
    assert csrf_django._unmask_cipher_token(jeton) == requete.META["CSRF_COOKIE"]
    assert requete.META["CSRF_COOKIE_NEEDS_UPDATE"]
    reponse = jeton_csrf.CsrfViewMiddleware(lambda r: HttpResponse()).process_response(
        requete, HttpResponse()
    )
    assert reponse.cookies["csrftoken"].value == requete.META["CSRF_COOKIE"]


def test_a_cookie_the_browser_has_is_not_sent_again_but_the_page_varies_on_it():
    requete = RequestFactory().get("/")
    requete.META["CSRF_COOKIE"] = secret = csrf_django._get_new_csrf_string()
    assert csrf_django._unmask_cipher_token(jeton_csrf.jeton(requete)) == secret
    reponse = jeton_csrf.CsrfViewMiddleware(lambda r: HttpResponse()).process_response(
        requete, HttpResponse()
    )
    assert "csrftoken" not in reponse.cookies
    assert reponse["Vary"] == "Cookie"


def test_a_page_without_a_token_does_not_vary_on_the_csrf_cookie():
    requete = RequestFactory().get("/")
    requete.META["CSRF_COOKIE"] = csrf_django._get_new_csrf_string()
    reponse = jeton_csrf.CsrfViewMiddleware(lambda r: HttpResponse()).process_response(
        requete, HttpResponse()
    )
    assert not reponse.has_header("Vary") and "csrftoken" not in reponse.cookies


def test_the_token_is_djangos_for_secrets_of_every_character():
    for secret in (csrf_django.CSRF_ALLOWED_CHARS[i : i + 32] for i in range(31)):
        jeton = jeton_csrf.masquer(secret)
        assert csrf_django._unmask_cipher_token(jeton) == secret
        assert set(jeton) <= set(csrf_django.CSRF_ALLOWED_CHARS)


@pytest.mark.django_db
def test_the_logout_form_token_is_accepted_and_a_forged_one_refused(candidat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidat)
    client.get(reverse("home"))  # the first page makes the secret (Django's get_token)
    page = client.get(reverse("home"))  # this one masks it (permis/jeton_csrf.py)
    assert "csrftoken" not in page.cookies  # the browser has it: not sent again
    jeton = JETON.search(page.content.decode()).group(1)
    assert csrf_django._unmask_cipher_token(jeton) == client.cookies["csrftoken"].value
    faux = jeton[:-1] + ("a" if jeton[-1] != "a" else "b")
    assert client.post(reverse("account_logout"), {"csrfmiddlewaretoken": faux}).status_code == 403
    assert client.get(reverse("home")).context["user"].is_authenticated
    reponse = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": jeton})
    assert reponse.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated
