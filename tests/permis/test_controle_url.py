"""permis/controle_url.py reads the raw query string and Cookie header when no escape in them
could hide a control character: the same answer as checking every decoded value."""

import itertools
import re

import pytest
from django.test import RequestFactory

from permis.controle_url import contient_caractere_de_controle

CONTROLE = re.compile(r"[\x00-\x1f\x7f]")


def _en_decodant_tout(request) -> bool:
    """The check as it was: the path, every decoded parameter and cookie."""
    if CONTROLE.search(request.path_info) or CONTROLE.search(request.path):
        return True
    for cle, valeurs in request.GET.lists():
        if CONTROLE.search(cle) or any(CONTROLE.search(v) for v in valeurs):
            return True
    return any(CONTROLE.search(c) or CONTROLE.search(v) for c, v in request.COOKIES.items())


REQUETES = [
    "",
    "q=martin",
    "q=a+b&p=2",
    "q=%00",
    "q=%41%1f",
    "%00=1",
    "q=\x01",
    "q=é&x=%C3%A9",
    "q=%",
]
COOKIES = [
    "",
    "sessionid=abc; csrftoken=def",
    'a="\\000"',
    'a="x\\"y"',
    "a=1;\tb=2",
    "a=\x1f",
    "a=b\x00c",
    'a="\\101"',
    "\x7f",
]


@pytest.mark.parametrize(("requete", "cookies"), list(itertools.product(REQUETES, COOKIES)))
def test_the_same_answer_as_decoding_every_value(requete, cookies):
    request = RequestFactory().get("/demandes/", QUERY_STRING=requete, HTTP_COOKIE=cookies)
    assert contient_caractere_de_controle(request) == _en_decodant_tout(request)


def test_the_path_is_checked():
    assert contient_caractere_de_controle(RequestFactory().get("/demandes/\x00/"))
    assert not contient_caractere_de_controle(RequestFactory().get("/demandes/"))
