"""The wizard forms' fields prepared once per class (demandes/champs_des_formulaires.py): each
form has its own copies, with the DSFR's classes DsfrBaseForm puts on them."""

from django import forms
from dsfr.forms import DsfrBaseForm

from demandes.forms import AdresseForm, EtatCivilForm, FormulaireDsfr
from demandes.models import Demande


def test_each_form_has_its_own_copies_of_the_fields():
    premier, second = AdresseForm(instance=Demande()), AdresseForm(instance=Demande())
    champ = premier.fields["adresse"]
    champ.widget.attrs["placeholder"] = "modifié"
    champ.error_messages["required"] = "modifié"
    champ.validators.append(lambda valeur: None)
    champ.label = "modifié"
    for autre in (second.fields["adresse"], AdresseForm.base_fields["adresse"]):
        assert autre is not champ and autre.widget is not champ.widget
        assert "placeholder" not in autre.widget.attrs
        assert autre.error_messages["required"] == "Saisissez votre adresse (numéro et voie)."
        assert len(autre.validators) == len(champ.validators) - 1
        assert autre.label == "Numéro et voie"
    # A field that copies itself otherwise (its choices) is copied by its own __deepcopy__.
    pays = EtatCivilForm(instance=Demande()).fields["pays_naissance"]
    assert pays is not EtatCivilForm.base_fields["pays_naissance"]


def test_the_fields_carry_the_classes_dsfr_puts_on_them():
    class Libre(DsfrBaseForm):
        texte = forms.CharField()
        choix = forms.ChoiceField(choices=[("a", "A")])
        case = forms.BooleanField()
        cache = forms.CharField(widget=forms.HiddenInput)

    class Prepare(FormulaireDsfr):
        texte = forms.CharField()
        choix = forms.ChoiceField(choices=[("a", "A")])
        case = forms.BooleanField()
        cache = forms.CharField(widget=forms.HiddenInput)

    libre, prepare = Libre(), Prepare()
    for nom in ("texte", "choix", "case", "cache"):
        attendu, champ = libre.fields[nom], prepare.fields[nom]
        assert champ.widget.attrs == attendu.widget.attrs, nom
        assert champ.label_suffix == attendu.label_suffix, nom
        assert getattr(champ.widget, "group_class", None) == getattr(
            attendu.widget, "group_class", None
        )
