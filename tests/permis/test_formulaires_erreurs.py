"""Every form sent back with errors, as the GOV.UK and DSFR patterns want it: « Erreur : »
first in the title, a summary at the top (focused on arrival) linking to each wrong field,
and what was typed still there (passwords excepted: they are never sent back to the page)."""

import html
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from tests.auto_ecoles.factories import MembreFactory
from tests.factories import MOT_DE_PASSE, AgentCTNFactory, CandidatFactory


def _renvoye(reponse, *champs: str) -> str:
    """The page of a form sent back: its title, its summary's links to `champs`."""
    assert reponse.status_code == 200, reponse.status_code
    page = html.unescape(reponse.content.decode())
    titre = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert titre.startswith("Erreur : ") and not titre.startswith("Erreur : Erreur"), titre
    assert 'id="resume-erreurs" tabindex="-1" autofocus' in page
    resume = page[page.index('id="resume-erreurs"') :]
    resume = resume[: resume.index("</ul>")]
    for champ in champs:
        assert f'href="#{champ}"' in resume, (champ, resume)
        assert f'id="{champ}"' in page, champ
    assert page.count('id="resume-erreurs"') == 1
    return page


@pytest.mark.django_db
def test_password_reset_keeps_the_address_typed(client):
    reponse = client.post(reverse("account_reset_password"), {"email": "pas-une-adresse"})
    page = _renvoye(reponse, "id_email")
    assert 'value="pas-une-adresse"' in page


@pytest.mark.django_db
def test_password_change_names_the_wrong_current_password(client):
    candidat = CandidatFactory()
    client.force_login(candidat)
    reponse = client.post(
        reverse("account_change_password"),
        {"oldpassword": "pas-le-bon", "password1": "court", "password2": "autre"},
    )
    _renvoye(reponse, "id_oldpassword")


@pytest.mark.django_db
def test_adding_an_email_address_keeps_what_was_typed(client):
    client.force_login(CandidatFactory())
    reponse = client.post(reverse("account_email"), {"action_add": "", "email": "camille@"})
    page = _renvoye(reponse, "id_email")
    assert 'value="camille@"' in page


@pytest.mark.django_db
def test_reauthentication_with_a_wrong_password(client):
    client.force_login(CandidatFactory())
    reponse = client.post(reverse("account_reauthenticate"), {"password": "pas-le-bon"})
    _renvoye(reponse, "id_password")
    assert MOT_DE_PASSE not in reponse.content.decode()


@pytest.mark.django_db
def test_second_factor_reauthentication_with_a_wrong_code(client):
    client.force_login(AgentCTNFactory())
    reponse = client.post(reverse("mfa_reauthenticate"), {"code": "12"})
    page = _renvoye(reponse, "id_code")
    assert 'value="12"' in page


@pytest.mark.django_db
def test_a_school_invitation_to_a_wrong_address_comes_back_as_typed(client):
    membre = MembreFactory(gestionnaire=True)
    client.force_login(membre.user)
    for type in ["eleve", "membre"]:
        reponse = client.post(
            reverse("auto_ecoles:inviter", args=[type]), {"email": "hugo@exemple"}
        )
        page = _renvoye(reponse, f"id_{type}_email")
        assert page.count('value="hugo@exemple"') == 1, type
        # The other form stays empty, its field under its own id.
        autre = "membre" if type == "eleve" else "eleve"
        assert f'id="id_{autre}_email"' in page


@pytest.mark.django_db
def test_a_mandate_to_an_unknown_school_keeps_the_number_typed(client, candidat):
    client.force_login(candidat)
    reponse = client.post(
        reverse("auto_ecoles:mes_mandats"), {"numero_agrement": "E 99 999 9999 9"}
    )
    page = _renvoye(reponse, "id_numero_agrement")
    assert 'value="E 99 999 9999 9"' in page


@pytest.mark.django_db
def test_a_malformed_verification_code_says_error_once(client):
    page = _renvoye(client.get(reverse("verifier"), {"code": "AB12"}), "id_code")
    assert 'value="AB12"' in page


def test_every_form_leaves_checking_to_the_server():
    for chemin in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for balise in re.findall(r"<form\b[^>]*>", chemin.read_text()):
            assert "novalidate" in balise, (chemin, balise)


def test_every_post_form_names_its_action():
    """A form with no action posts to the page's address fragment included (#content, left by
    the skip link); the page that comes back keeps it, and a page opened on a fragment
    ignores autofocus: the error summary would not get the focus."""
    for chemin in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for balise in re.findall(r"<form\b[^>]*>", chemin.read_text()):
            if 'method="post"' in balise:
                assert "action=" in balise, (chemin, balise)


class _Formulaire(forms.Form):
    nom = forms.CharField()


@pytest.mark.parametrize(
    "valeurs",
    [
        {},
        {"form": None},
        {"form": ""},
        {"form": _Formulaire()},  # unbound: no errors
        {"form": _Formulaire({"nom": "Lou"})},
        {"form": _Formulaire({})},
        {"formulaire": _Formulaire({})},
        {"form": _Formulaire({"nom": "Lou"}), "formulaire": _Formulaire({})},
        {"form": {"errors": ["une"]}},  # what a template's look-up reads of a dict
        {"formulaire": {"errors": []}},
    ],
)
def test_the_titles_error_word_is_the_templates_test_of_both_forms(valeurs):
    """{% erreur_au_titre %} says « Erreur : » exactly when base.html's former
    {% if form.errors or formulaire.errors %} did."""
    nous = Template("{% load formulaires %}{% erreur_au_titre %}").render(Context(valeurs))
    gabarit = '{% load i18n %}{% if form.errors or formulaire.errors %}{% translate "Erreur :" %} {% endif %}'
    assert nous == Template(gabarit).render(Context(valeurs))
