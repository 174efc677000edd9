"""permis/stockage_messages.py: Django's messages storage, its cookie signer made when used."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage as CookieStorageDjango
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from permis import stockage_messages


def _requete(cookies=None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    request.session = {}
    return request


def test_a_request_without_messages_makes_no_signer():
    request = _requete()
    stockage = stockage_messages.FallbackStorage(request)
    assert list(stockage) == []
    stockage.update(HttpResponse())
    assert "signer" not in stockage.storages[0].__dict__


def test_messages_go_through_the_same_signed_cookie_as_djangos():
    request = _requete()
    stockage = stockage_messages.FallbackStorage(request)
    stockage.add(messages.INFO, "Votre demande est déposée.")
    reponse = HttpResponse()
    stockage.update(reponse)
    cookie = reponse.cookies["messages"].value
    lus = CookieStorageDjango(_requete({"messages": cookie}))
    assert [str(m) for m in lus] == ["Votre demande est déposée."]

    django = CookieStorageDjango(_requete())
    django.add(messages.WARNING, "Pièce refusée.")
    reponse = HttpResponse()
    django.update(reponse)
    request = _requete({"messages": reponse.cookies["messages"].value})
    assert [str(m) for m in stockage_messages.FallbackStorage(request)] == ["Pièce refusée."]


def test_a_forged_cookie_is_ignored():
    request = _requete({"messages": "faux:signature"})
    assert list(stockage_messages.FallbackStorage(request)) == []


@pytest.mark.django_db
def test_a_message_is_shown_on_the_next_page(client, candidat, settings):
    assert "permis.stockage_messages.MessageMiddleware" in settings.MIDDLEWARE
    client.force_login(candidat)
    reponse = client.post(reverse("account_logout"), follow=True)
    assert reponse.status_code == 200
    assert list(reponse.context["messages"])
