"""allauth's login and sign-up forms, worded for the portal (ACCOUNT_FORMS)."""

from allauth.account.fields import PasswordField
from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.contrib.auth.hashers import make_password

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
    """allauth's sign-up form (email, passwords, plus InscriptionForm's names), labelled for DSFR."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique"
        self.fields["email"].help_text = "Format attendu : nom@domaine.fr"
        self.fields["password2"].label = "Confirmation du mot de passe"
        for champ in self.fields.values():
            champ.widget.attrs.pop("placeholder", None)

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
