"""The request id: what django-guid's middleware gives (the id kept or made, the context
variable the log lines read during the view, the response header, the warning for a bad id),
for the proxy's id, none, and a bad one."""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_guid.context import guid
from django_guid.middleware import guid_middleware

from permis.id_requete import middleware_id_requete

VALIDE = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"


def _passage(fabrique, entetes):
    vu = {}

    def vue(requete):
        vu["contexte"] = guid.get()
        logging.getLogger("permis.test").warning("dans la vue")
        return HttpResponse("x")

    requete = RequestFactory().get("/demandes/?page=2", **entetes)
    reponse = fabrique(vue)(requete)
    return requete.correlation_id, vu["contexte"], reponse["X-Request-ID"]


@pytest.mark.parametrize(
    "entetes",
    [{"HTTP_X_REQUEST_ID": VALIDE}, {"HTTP_X_REQUEST_ID": VALIDE.replace("-", "")}, {}],
)
def test_the_id_is_kept_or_made_as_by_django_guid(entetes):
    notre = _passage(middleware_id_requete, entetes)
    sien = _passage(guid_middleware, entetes)
    assert len(set(notre)) == 1  # the request's, the log lines', the response's
    if entetes:
        assert notre == sien == (entetes["HTTP_X_REQUEST_ID"],) * 3
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", notre[0]) and re.fullmatch(r"[0-9a-f]{32}", sien[0])
        assert notre != _passage(middleware_id_requete, entetes)  # a new one each time


@pytest.mark.parametrize("recu", ["pas-un-uuid", "1b4e28ba;DROP"])
def test_a_bad_id_is_replaced_and_logged_as_by_django_guid(recu, caplog):
    with caplog.at_level(logging.WARNING, logger="django_guid"):
        notre = _passage(middleware_id_requete, {"HTTP_X_REQUEST_ID": recu})
        sien = _passage(guid_middleware, {"HTTP_X_REQUEST_ID": recu})
    assert len(set(notre)) == 1 and notre[0] != recu and re.fullmatch(r"[0-9a-f]{32}", notre[0])
    avertissements = [r.getMessage() for r in caplog.records if r.name == "django_guid"]
    assert (
        len(avertissements) == 2
        and avertissements[0].replace(notre[0], sien[0]) == (avertissements[1])
    )
    assert notre[0] != sien[0]
