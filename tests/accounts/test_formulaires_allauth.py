"""The fields declared on the portal's allauth forms are the ones allauth itself builds for the
portal's settings, relabelled in French: if allauth or ACCOUNT_* changes, this fails."""

import pytest
from allauth.account.forms import LoginForm

from accounts.allauth_forms import ConnexionForm


def connexion_d_allauth(*args, **kwargs) -> LoginForm:
    """allauth's login form as the portal used it before declaring its fields: built by
    LoginForm.__init__, then relabelled."""
    form = LoginForm(*args, **kwargs)
    champ = form.fields["login"]
    champ.label = "Identifiant ou adresse électronique"
    champ.help_text = "L'identifiant vous a été envoyé par courriel, par exemple 7K2MX-Q9RTB."
    champ.widget.attrs.pop("placeholder", None)
    form.fields["password"].label = "Mot de passe"
    form.fields["password"].widget.attrs.pop("placeholder", None)
    form.fields["remember"].label = "Rester connecté sur cet appareil"
    return form


def description(form) -> list:
    return [
        (
            nom,
            type(champ),
            str(champ.label),
            str(champ.help_text),
            champ.required,
            champ.initial,
            getattr(champ, "max_length", None),
            getattr(champ, "strip", None),
            type(champ.widget),
            champ.widget.attrs,
            getattr(champ.widget, "render_value", None),
            form[nom].value() if form.is_bound else str(form[nom]),  # the HTML, blank
        )
        for nom, champ in form.fields.items()
    ]


@pytest.mark.parametrize(
    "donnees",
    [None, {"login": " 7K2MX-Q9RTB ", "password": "secret", "remember": "on"}],
    ids=["vierge", "rempli"],
)
def test_the_declared_login_fields_are_allauths(donnees):
    portail, allauth = ConnexionForm(donnees), connexion_d_allauth(donnees)
    assert description(portail) == description(allauth)


def test_a_login_form_sent_incomplete_says_the_same_as_allauths():
    portail, allauth = ConnexionForm({"login": " "}), connexion_d_allauth({"login": " "})
    assert not portail.is_valid() and not allauth.is_valid()
    assert portail.errors == allauth.errors
    assert description(portail) == description(allauth)
    assert [str(portail[nom]) for nom in portail.fields] == [
        str(allauth[n]) for n in allauth.fields
    ]


def test_the_login_field_is_asked_for_identifiant_or_email():
    assert list(ConnexionForm().fields) == ["login", "password", "remember"]
