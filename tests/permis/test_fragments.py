"""`{% fige %}`: a fragment rendered once per process, forgotten when a setting changes."""

from django.template import Context, Template
from django.test import override_settings

GABARIT = Template('{% load fragments %}{% fige "essai" %}{{ valeur }}{% endfige %}|{{ valeur }}')


def test_a_fixed_fragment_is_rendered_once_then_kept():
    with override_settings(PERMIS_SERVICE_NAME="un"):  # starts from an empty store
        assert GABARIT.render(Context({"valeur": "premier"})) == "premier|premier"
        assert GABARIT.render(Context({"valeur": "second"})) == "premier|second"


def test_changing_a_setting_forgets_the_kept_fragments():
    with override_settings(PERMIS_SERVICE_NAME="un"):
        GABARIT.render(Context({"valeur": "avant"}))
    with override_settings(PERMIS_SERVICE_NAME="deux"):
        assert GABARIT.render(Context({"valeur": "après"})) == "après|après"
