"""The fields allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS).

allauth.account.forms imports this module while it loads, so nothing here may import it
back: the subclasses of allauth's forms live in accounts/allauth_forms.py.
"""

from django import forms


class InscriptionForm(forms.Form):
    """The fields allauth's sign-up form adds to email and password: the person's name."""

    first_name = forms.CharField(label="Prénom(s)", max_length=150)
    first_name.widget.attrs["autocomplete"] = "given-name"  # after maxlength, as it always was
    last_name = forms.CharField(label="Nom", max_length=150)
    last_name.widget.attrs["autocomplete"] = "family-name"

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user):
        # allauth's adapter already copied first_name and last_name onto the user.
        pass
