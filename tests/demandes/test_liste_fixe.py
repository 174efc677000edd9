"""The état civil's reference lists (countries, départements) are written once per value and
attributes, then reused: the markup must stay what a plain <select> writes, for each value."""

from django import forms

from demandes.forms import EtatCivilForm, ListeFixe
from demandes.pays import choix_pays


def _champ(form, nom):
    return str(form[nom])


def test_a_fixed_list_writes_what_a_plain_select_writes_for_each_value():
    fixe, simple = ListeFixe("pays", choices=choix_pays), forms.Select(choices=choix_pays)
    for valeur in ("FR", "DE", None, "", "FR"):  # FR again: from the memo, still right
        attrs = {"id": "id_pays", "class": "fr-select"}
        assert fixe.render("pays", valeur, attrs=attrs) == simple.render("pays", valeur, attrs)
    assert 'value="DE" selected' in fixe.render("pays", "DE")
    assert "selected" not in fixe.render("pays", "")


def test_the_memo_tells_apart_attributes_names_and_lists():
    fixe = ListeFixe("pays", choices=choix_pays)
    sans_erreur = fixe.render("pays", "FR", attrs={"id": "id_pays"})
    en_erreur = fixe.render("pays", "FR", attrs={"id": "id_pays", "aria-invalid": "true"})
    assert 'aria-invalid="true"' in en_erreur and "aria-invalid" not in sans_erreur
    assert 'name="nationalite"' in fixe.render("nationalite", "FR")
    autre = ListeFixe("autre", choices=[("FR", "Francie")])
    assert "Francie" in autre.render("pays", "FR") and "Francie" not in sans_erreur


def test_the_etat_civil_form_shows_the_draft_s_country_and_its_errors():
    form = EtatCivilForm(None, instance=None, initial={"pays_naissance": "DE"})
    assert 'value="DE" selected' in _champ(form, "pays_naissance")
    assert 'value="FR" selected' not in _champ(form, "pays_naissance")
    erreur = EtatCivilForm({"pays_naissance": "ZZ", "nationalite": "FR"}, instance=None)
    assert not erreur.is_valid()
    champ = erreur["pays_naissance"].as_field_group()
    assert "Choisissez un pays de la liste." in champ and 'aria-invalid="true"' in champ
    assert 'value="FR" selected' in _champ(erreur, "nationalite")


def test_a_fixed_list_asks_for_required_as_a_plain_select_does():
    avec_vide = [("", "—"), ("69", "Rhône")]
    for liste, choix in (("pays-test", choix_pays), ("vide-test", avec_vide)):
        for initial in (None, "FR"):
            attendu = forms.Select(choices=choix).use_required_attribute(initial)
            assert ListeFixe(liste, choices=choix).use_required_attribute(initial) is attendu
    assert ListeFixe("vide-test", choices=avec_vide).use_required_attribute(None) is True
    assert ListeFixe("pays-test", choices=choix_pays).use_required_attribute(None) is False


def test_the_countries_are_read_in_the_active_language():
    from django.utils import translation

    with translation.override("fr"):
        francais = dict(choix_pays())
    with translation.override("en"):
        anglais = dict(choix_pays())
    assert francais["DE"] == "Allemagne" and anglais["DE"] == "Germany"


def test_a_fixed_lists_choice_is_valid_exactly_when_djangos_says_so():
    for nom in ("departement_naissance", "pays_naissance", "nationalite"):
        fixe = EtatCivilForm.base_fields[nom]
        simple = forms.ChoiceField(choices=fixe.choices, required=False)
        valeurs = [str(cle) for cle, _ in fixe.choices]
        for valeur in [*valeurs, "XX", "fr", "2a", "999", " FR", "0"]:
            assert fixe.valid_value(valeur) is simple.valid_value(valeur), (nom, valeur)
    assert EtatCivilForm.base_fields["pays_naissance"].valid_value("FR")
    assert not EtatCivilForm.base_fields["pays_naissance"].valid_value("XX")
