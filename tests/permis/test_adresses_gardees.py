"""reverse() kept per process (permis/adresses_gardees.py): the path Django gives, computed once."""

from unittest import mock

import pytest
from django import urls
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import URLResolver, path, set_script_prefix
from django.utils import translation

from permis import adresses_gardees

# ROOT_URLCONF of the last test: "home" elsewhere.
urlpatterns = [path("ailleurs/", lambda request: None, name="home")]


@pytest.fixture
def calculs():
    """How many times Django's resolver computed a path."""
    with mock.patch.object(
        URLResolver,
        "_reverse_with_prefix",
        autospec=True,
        side_effect=URLResolver._reverse_with_prefix,
    ) as espion:
        yield espion


def test_installed_where_django_and_the_shortcuts_look_it_up():
    assert urls.reverse is adresses_gardees.reverse
    assert resolve_url("home") == "/"


def test_the_same_name_and_arguments_give_django_s_path_computed_once(calculs):
    attendu = adresses_gardees._reverse_de_django("instruction:demande", args=["AB12-CD34-EF56"])
    assert urls.reverse("instruction:demande", args=["AB12-CD34-EF56"]) == attendu
    avant = calculs.call_count
    assert urls.reverse("instruction:demande", args=("AB12-CD34-EF56",)) == attendu
    assert urls.reverse("instruction:demande", kwargs={"numero": "AB12-CD34-EF56"}) == attendu
    assert calculs.call_count == avant + 1  # the kwargs form is another key, computed once


def test_other_arguments_another_path(calculs):
    assert urls.reverse("instruction:demande", args=["AB12-CD34-EF57"]).endswith("EF57/")
    with pytest.raises(urls.NoReverseMatch):  # not kept, raised again
        urls.reverse("instruction:demande", args=["a/b"])
    with pytest.raises(urls.NoReverseMatch):
        urls.reverse("instruction:demande", args=["a/b"])


def test_an_argument_that_is_not_a_plain_str_or_int_is_not_kept(calculs):
    class Numero:
        valeur = "AB12-CD34-EF56"

        def __str__(self):
            return self.valeur

    numero = Numero()
    assert urls.reverse("instruction:demande", args=[numero]).endswith("EF56/")
    numero.valeur = "AB12-CD34-EF58"
    assert urls.reverse("instruction:demande", args=[numero]).endswith("EF58/")


def test_the_script_prefix_and_the_language_are_part_of_the_key():
    assert urls.reverse("home") == "/"
    set_script_prefix("/permis/")
    try:
        assert urls.reverse("home") == "/permis/"
    finally:
        set_script_prefix("/")
    with translation.override("en"):
        cle_en = urls.reverse("home")
    assert cle_en == "/"
    assert any(cle[-1] == "en" for cle in adresses_gardees._SANS_ARGUMENTS._rendus)


def test_another_urlconf_is_another_resolver():
    assert urls.reverse("home") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert urls.reverse("home") == "/ailleurs/"
    assert urls.reverse("home") == "/"


def test_paths_with_arguments_never_push_out_those_without(calculs, monkeypatch):
    """One path per request number met: kept apart, however many pass, the site's own paths
    (the header's, the footer's) stay computed once."""
    monkeypatch.setattr(adresses_gardees._AVEC_ARGUMENTS, "taille", 5)
    adresses_gardees._SANS_ARGUMENTS.oublier()
    assert urls.reverse("home") == "/"
    avant = calculs.call_count
    for rang in range(12):
        numero = f"AB12-CD34-{rang:04d}"
        assert urls.reverse("instruction:demande", args=[numero]).endswith(f"{numero}/")
        assert urls.reverse("home") == "/"
    assert calculs.call_count == avant + 12  # each number once, "home" never again
    assert len(adresses_gardees._AVEC_ARGUMENTS) <= 5
