"""The fields declared on the portal's allauth forms are the ones allauth itself builds for the
portal's settings, relabelled in French: if allauth or ACCOUNT_* changes, this fails."""

import pytest
from allauth.account.forms import LoginForm, SignupForm

from accounts.allauth_forms import ConnexionForm, InscriptionCompleteForm


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


def inscription_d_allauth(*args, **kwargs) -> SignupForm:
    """allauth's sign-up form as the portal used it before declaring its fields."""
    form = SignupForm(*args, **kwargs)
    form.fields["email"].label = "Adresse électronique"
    form.fields["email"].help_text = "Format attendu : nom@domaine.fr"
    if "password2" in form.fields:
        form.fields["password2"].label = "Confirmation du mot de passe"
    for champ in form.fields.values():
        champ.widget.attrs.pop("placeholder", None)
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


INSCRIPTIONS = [
    None,
    {"first_name": "Zoé", "last_name": "Martin", "email": "zoe@exemple.fr", "password1": "x"},
]


@pytest.mark.parametrize("donnees", INSCRIPTIONS, ids=["vierge", "rempli"])
def test_the_declared_sign_up_fields_are_allauths(donnees):
    portail, allauth = InscriptionCompleteForm(donnees), inscription_d_allauth(donnees)
    assert description(portail) == description(allauth)
    for attribut in ("by_passkey", "account_already_exists", "_has_phone_field", "_signup_fields"):
        assert getattr(portail, attribut) == getattr(allauth, attribut)


def test_a_sign_up_form_sent_wrong_says_the_same_as_allauths():
    donnees = {"first_name": "Zoé", "last_name": "", "email": "zoe@", "password1": "court"}
    portail, allauth = InscriptionCompleteForm(donnees), inscription_d_allauth(donnees)
    assert not portail.is_valid() and not allauth.is_valid()
    assert portail.errors == allauth.errors
    assert [str(portail[nom]) for nom in portail.fields] == [
        str(allauth[n]) for n in allauth.fields
    ]


def test_a_sign_up_by_passkey_asks_no_password():
    assert "password1" not in InscriptionCompleteForm(by_passkey=True).fields
    assert list(InscriptionCompleteForm(by_passkey=True).fields) == list(
        inscription_d_allauth(by_passkey=True).fields
    )
