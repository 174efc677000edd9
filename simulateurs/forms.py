from django import forms

from simulateurs.timbres import MONTANTS

_LETTRES = r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$"


class SeanceForm(forms.Form):
    """The photo booth's screen: who is being photographed (for the signature)."""

    nom = forms.RegexField(
        regex=_LETTRES,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"invalid": "Lettres, espaces, tirets et apostrophes uniquement."},
    )
    prenoms = forms.RegexField(
        label="Prénoms",
        regex=_LETTRES,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"invalid": "Lettres, espaces, tirets et apostrophes uniquement."},
    )


class AchatTimbreForm(forms.Form):
    montant = forms.TypedChoiceField(
        label="Timbre", choices=list(MONTANTS.items()), coerce=int, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label="Adresse électronique (pour recevoir le justificatif)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
