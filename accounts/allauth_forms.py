"""allauth's login and sign-up forms, worded for the portal (ACCOUNT_FORMS)."""

from allauth.account import app_settings
from allauth.account.fields import EmailField, PasswordField
from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.utils.functional import cached_property, lazy
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.identifiants import normaliser_identifiant
from accounts.models import User


class Vierge:
    """`vierge`: the form shows no value of anyone's (unbound, nothing filled in beforehand), so
    its page's HTML is the same for every visitor and kept once per process (`{% fige %}`)."""

    @property
    def vierge(self) -> bool:
        return (
            not self.is_bound
            and not self.initial
            and all(champ.initial is None for champ in self.fields.values())
        )


class InscriptionCompleteForm(Vierge, SignupForm):
    """allauth's sign-up form (InscriptionForm's names, email, passwords), its fields declared
    in French as allauth builds them for ACCOUNT_SIGNUP_FIELDS (email*, password1*, password2*).

    allauth builds them in the __init__ of SignupForm and BaseSignupForm, from settings read at
    each form (like ConnexionForm's); tests/accounts/test_formulaires_allauth.py checks they
    are still what allauth builds.
    """

    username = None  # declared by allauth, not in ACCOUNT_SIGNUP_FIELDS: the portal draws it
    email = EmailField(label="Adresse électronique", help_text="Format attendu : nom@domaine.fr")
    email.widget.attrs.pop("placeholder")
    password1 = PasswordField(
        label=_("Password"),
        autocomplete="new-password",
        # at each render, as allauth's own help text: the validators are settings
        help_text=lazy(password_validation.password_validators_help_text_html, SafeString)(),
    )
    password1.widget.attrs.pop("placeholder")
    password2 = PasswordField(label="Confirmation du mot de passe", autocomplete="new-password")
    password2.widget.attrs.pop("placeholder")

    def __init__(self, *args, **kwargs):
        self.by_passkey = kwargs.pop("by_passkey", False)
        self.account_already_exists = False
        self._has_phone_field = False
        forms.Form.__init__(self, *args, **kwargs)  # not allauth's, which build the fields
        if self.by_passkey:
            del self.fields["password1"], self.fields["password2"]

    @cached_property
    def _signup_fields(self) -> dict:
        """What allauth's clean and save read of ACCOUNT_SIGNUP_FIELDS (its __init__ set it)."""
        return app_settings.SIGNUP_FIELDS

    def try_save(self, request):
        """An address that already has an account: no account made, yet the same work.

        allauth then only mails the owner (no enumeration through the page); hashing the
        password as a new account would keeps the answer as slow as a real sign-up.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ConnexionForm(Vierge, LoginForm):
    """allauth's login form, its fields declared in French as allauth builds them for the
    portal's settings (ACCOUNT_LOGIN_METHODS username and email, a password, no
    ACCOUNT_SESSION_REMEMBER so « rester connecté » is asked).

    allauth builds them in LoginForm.__init__ from a dozen of its settings read at each form, a
    fifth of the login page's CPU; declared, each form copies them as any Django form does.
    tests/accounts/test_formulaires_allauth.py checks they are still what allauth builds.
    """

    login = forms.CharField(
        label="Identifiant ou adresse électronique",
        help_text="L'identifiant vous a été envoyé par courriel, par exemple 7K2MX-Q9RTB.",
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    password = PasswordField(
        label="Mot de passe", autocomplete="current-password", show_reset_help=True
    )
    password.widget.attrs.pop("placeholder")
    remember = forms.BooleanField(label="Rester connecté sur cet appareil", required=False)
    field_order = ["login", "password", "remember"]

    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        forms.Form.__init__(self, *args, **kwargs)  # not LoginForm's, which builds the fields

    def clean_login(self) -> str:
        saisie = super().clean_login()
        if "@" in saisie or User.objects.filter(username=saisie).exists():
            return saisie
        # "7k2mx q9rtb", "7K2MXQ9RTB" and "7K2MX-Q9RTB" are the same identifiant.
        return normaliser_identifiant(saisie) or saisie
