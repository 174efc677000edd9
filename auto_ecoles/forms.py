from django import forms
from dsfr.forms import DsfrBaseForm

from auto_ecoles.models import AutoEcole
from auto_ecoles.validators import normaliser, valider_agrement


class MandatForm(DsfrBaseForm):
    """A student gives a mandate to a school, found by its numéro d'agrément."""

    numero_agrement = forms.CharField(
        label="Numéro d'agrément de l'auto-école",
        help_text="Il figure sur le contrat de formation et l'affichage de l'auto-école (ex. : E 24 069 0012 0).",
        max_length=20,
    )

    def clean_numero_agrement(self):
        numero = normaliser(self.cleaned_data["numero_agrement"])
        valider_agrement(numero)
        ecole = AutoEcole.objects.filter(numero_agrement=numero).first()
        if ecole is None:
            raise forms.ValidationError(
                "Aucune auto-école n'est enregistrée avec ce numéro d'agrément."
            )
        self.auto_ecole = ecole
        return numero


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique", max_length=254)
