"""Forms of the request wizard, one per step, with French messages next to each field."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.forms import NON_FIELD_ERRORS
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from dsfr.forms import DsfrBaseForm

from demandes import (
    champs_des_formulaires,
    geographie,
    photo_booth,
    telephones,
    timbre_fiscal,
    uploads,
    wizard,
)
from demandes.documents import age_le
from demandes.enums import Categorie, Famille, Motif, Piece, Sexe
from demandes.models import Demande
from demandes.pays import choix_pays
from permis.rendus_gardes import RendusGardes

# Letters (any script's, accented included) in words joined by a space, hyphen or apostrophe.
NOM = re.compile(r"^[^\W\d_]+(?:(?: |-|'|’| - )[^\W\d_]+)*$")
MESSAGE_NOM = (
    "Ce champ ne peut contenir que des lettres, des tirets, des apostrophes et des espaces."
)
# Commune names may hold digits ("Lyon 3e Arrondissement") and dots ("St. Denis").
COMMUNE = re.compile(r"^[^\W_]+(?:(?: |-|'|’|\. ?|\.-)[^\W_]+)*\.?$")
MESSAGE_COMMUNE = (
    "Ce champ ne peut contenir que des lettres, des chiffres, des tirets, des apostrophes "
    "et des espaces."
)


def normaliser_espaces(valeur: str) -> str:
    return " ".join((valeur or "").split())


def valider_nom(valeur: str) -> None:
    if valeur and not NOM.match(valeur):
        raise ValidationError(MESSAGE_NOM, code="nom")


def valider_commune(valeur: str) -> None:
    if valeur and not COMMUNE.match(valeur):
        raise ValidationError(MESSAGE_COMMUNE, code="commune")


class ChampNom(forms.CharField):
    def __init__(self, *, obligatoire: str | None = None, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(
            required=obligatoire is not None,
            validators=[valider_nom],
            error_messages={"required": obligatoire or ""},
            **kwargs,
        )

    def to_python(self, value):
        return normaliser_espaces(super().to_python(value))


class _SaisieSansRequisHtml(forms.TextInput):
    def use_required_attribute(self, initial) -> bool:
        return False


class ChampNomConditionnel(ChampNom):
    """A name required in some cases only, which the form's clean() checks (the legal
    representative of a minor): never labelled « (optionnel) », never `required` in HTML."""

    widget = _SaisieSansRequisHtml

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.required = True  # read by the DSFR label: not optional

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class ListeFixe(forms.Select):
    """A <select> of reference data shipped with the code (`liste` names it: countries,
    départements), whose options never change while the process runs: its markup is written
    once per value and attributes, then reused. The birth-country, nationality and
    département lists hold 250, 250 and 110 options: writing them was most of the état civil
    step's time."""

    # Each is 10 to 20 kB; the usual values (FR, none, an error) are few.
    _rendus = RendusGardes(taille=500)
    _premier_vide: dict = {}

    def __init__(self, liste: str, **kwargs):
        super().__init__(**kwargs)
        self.liste = liste

    def use_required_attribute(self, initial):
        # Select asks whether the first option is an empty placeholder, which builds the
        # whole list (before each rendering, memo or not): the answer is the list's own.
        if self.liste not in self._premier_vide:
            premier = next(iter(self.choices), None)
            self._premier_vide[self.liste] = premier is not None and (
                self._choice_has_empty_value(premier)
            )
        return (
            forms.Widget.use_required_attribute(self, initial) and (self._premier_vide[self.liste])
        )

    def render(self, name, value, attrs=None, renderer=None):
        cle = (
            self.liste,
            name,
            value,
            tuple(self.attrs.items()),
            tuple((attrs or {}).items()),
            get_language(),
            id(renderer),
        )
        return self._rendus.obtenir(
            cle, lambda: super(ListeFixe, self).render(name, value, attrs, renderer)
        )


class ChoixFixe(forms.ChoiceField):
    """A choice among a ListeFixe's options, checked against the set of its values, made once
    per list: Django normalizes the whole list at each check (the 250 countries, twice per
    état civil sent), half the CPU of validating that step."""

    _valeurs: dict = {}

    def valid_value(self, value) -> bool:
        liste = self.widget.liste
        if liste not in self._valeurs:
            self._valeurs[liste] = frozenset(
                str(cle)
                for groupe, libelle in self.choices
                for cle in (
                    [c for c, _ in libelle] if isinstance(libelle, list | tuple) else [groupe]
                )
            )
        return str(value) in self._valeurs[liste]


# The unbound forms whose HTML is a function of their values (cle_de_rendu), kept per
# process: the état civil's is some 40 kB with its two country lists.
_RENDUS = RendusGardes(taille=300)
_TROU = "\x01"  # no template writes it: it marks where a text field's value goes
# The widgets whose value shows only in their own value="…" (permis/rendu_formulaires.py).
_SAISIES_LIBRES = (forms.TextInput, forms.EmailInput, forms.DateInput)


class FormulaireDsfr(DsfrBaseForm):
    """DSFR rendering, plus the list of errors shown in a summary at the top of the page."""

    # True when the unbound form's HTML is a function of its fields' initial values and of
    # what _rendu_depend_aussi_de names: it is then kept per process (cle_de_rendu).
    rendu_selon_valeurs = False
    # Text fields whose value is written only in their value attribute: the kept HTML has a
    # hole there, filled with the value at each use, so that one render serves every
    # candidate's names and addresses (keyed by them, a kept form was never used again).
    valeurs_en_trou: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        # DsfrBaseForm.__init__'s classes are on the class's fields, prepared once.
        champs_des_formulaires.preparer(type(self))
        super(DsfrBaseForm, self).__init__(*args, **kwargs)

    def get_context(self):
        # Skips DsfrBaseForm's deprecation warning; required fields keep their marker.
        context = forms.BaseForm.get_context(self)
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", False)
        return context

    def rafraichir_champs(self) -> None:
        """After fields changed in __init__: a bound field copies its help text when built."""
        self._bound_fields_cache.clear()

    def _rendu_depend_aussi_de(self) -> tuple:
        return ()

    def _trous(self) -> list[str]:
        return [
            nom
            for nom in self.valeurs_en_trou
            if nom in self.fields and isinstance(self.fields[nom].widget, _SAISIES_LIBRES)
        ]

    def _valeurs_ecrites(self) -> dict:
        """What each hole's widget writes in value="…" (None: no attribute), unbound, read
        once per form: its key, its kept HTML's marks and their filling all ask for them."""
        try:
            return self._ecrites
        except AttributeError:
            pass
        self._ecrites = {}
        for nom in self._trous():
            champ = self.fields[nom]
            # BoundField.value() of an unbound form, without building the BoundField.
            valeur = champ.prepare_value(self.get_initial_for_field(champ, nom))
            self._ecrites[nom] = champ.widget.format_value(valeur)
        return self._ecrites

    @property
    def cle_de_rendu(self) -> tuple | None:
        """What the unbound form's HTML depends on, to keep it per process; None once bound
        (values and errors sent back render live). A hole's value is not part of it, only
        whether there is one."""
        if self.is_bound or not self.rendu_selon_valeurs:
            return None
        ecrites = self._valeurs_ecrites()
        valeurs = []
        for nom, champ in self.fields.items():
            if nom in ecrites:
                valeur = ecrites[nom] is not None
            else:
                valeur = self.get_initial_for_field(champ, nom)
            valeurs.append((nom, tuple(valeur) if isinstance(valeur, list) else valeur))
        return (type(self), get_language(), *self._rendu_depend_aussi_de(), *valeurs)

    def render(self, template_name=None, context=None, renderer=None):
        cle = None if template_name or context or renderer else self.cle_de_rendu
        if cle is None:
            return self._rendre(template_name, context, renderer)
        morceaux = _RENDUS.obtenir(cle, self._rendre_avec_trous)
        ecrites = self._valeurs_ecrites()
        # "a\x01email\x01b" → ["a", "email", "b"]: text, then a hole's field, then text…
        return mark_safe(  # noqa: S308 - kept HTML, and each value escaped as its widget does
            "".join(
                m if i % 2 == 0 else conditional_escape(ecrites[m]) for i, m in enumerate(morceaux)
            )
        )

    __str__ = render  # RenderableMixin's are its own render, not this one
    __html__ = render

    def _rendre(self, template_name=None, context=None, renderer=None):
        """The form's HTML, rendered live."""
        return super().render(template_name, context, renderer)

    def _rendre_avec_trous(self) -> tuple:
        """The HTML with a mark in place of each hole's value, cut at the marks."""
        self._marques = {
            nom: f"{_TROU}{nom}{_TROU}"
            for nom, ecrite in self._valeurs_ecrites().items()
            if ecrite is not None  # no value attribute: nothing to fill
        }
        self._bound_fields_cache.clear()
        try:
            html = self._rendre()
        finally:
            del self._marques
            self._bound_fields_cache.clear()
        return tuple(html.split(_TROU))

    def get_initial_for_field(self, field, field_name):
        marques = getattr(self, "_marques", None)
        if marques and field_name in marques:
            return marques[field_name]
        return super().get_initial_for_field(field, field_name)

    def resume_erreurs(self) -> list[tuple[str, str]]:
        """(anchor, text) of each error, in the order of the fields, for the summary."""
        resume = [("formulaire-etape", str(e)) for e in self.errors.get(NON_FIELD_ERRORS, [])]
        for nom, champ in self.fields.items():
            if nom not in self.errors:
                continue
            bf = self[nom]
            if isinstance(champ.widget, forms.RadioSelect):
                ancre = f"radio-{bf.auto_id}"
            elif isinstance(champ.widget, forms.CheckboxSelectMultiple):
                ancre = f"checkboxes-{bf.auto_id}"
            else:
                ancre = bf.id_for_label or bf.auto_id
            resume += [(ancre, f"{champ.label} : {e}") for e in self.errors[nom]]
        return resume


class FormulaireEtape(FormulaireDsfr, forms.ModelForm):
    """A step that writes fields of the Demande."""

    def champs_enregistres(self) -> list[str]:
        # Disabled (locked) fields too: they hold their locked value.
        return list(self.fields)


# --- 1. Motif ----------------------------------------------------------------------------


class ChampCategories(forms.MultipleChoiceField):
    """Shown as required, since most motifs ask for categories; the form checks it per motif."""

    def validate(self, value):
        if value:
            super().validate(value)


def _choix_motifs() -> list:
    groupes = []
    for famille in Famille:
        motifs = [(m.value, m.label) for m in Motif if m.famille == famille]
        groupes.append((famille.label, motifs))
    return [("", "Choisissez un motif")] + groupes


class MotifForm(FormulaireEtape):
    motif = forms.ChoiceField(
        label="Motif de la demande",
        choices=_choix_motifs,
        error_messages={
            "required": "Choisissez le motif de votre demande.",
            "invalid_choice": "Choisissez un motif de la liste.",
        },
        help_text="Les démarches sont regroupées par famille.",
    )
    categories = ChampCategories(
        label="Catégories demandées",
        choices=Categorie.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Pour une inscription, la fabrication du titre après l'examen, la conversion d'un "
            "brevet militaire ou la validation d'un diplôme professionnel ; les autres "
            "démarches n'en demandent pas."
        ),
        error_messages={"invalid_choice": "Choisissez des catégories de la liste."},
    )
    conduite_accompagnee = forms.BooleanField(
        label="Apprentissage anticipé de la conduite (AAC, conduite accompagnée)",
        required=False,
        help_text="Pour une inscription en catégorie B : possible dès 15 ans.",
    )
    levee_code_78 = forms.BooleanField(
        label="Levée de la mention 78 (boîte de vitesses automatique)",
        required=False,
        help_text="Pour la fabrication du titre après une formation de 7 heures.",
    )

    class Meta:
        model = Demande
        fields = ["motif", "categories", "conduite_accompagnee", "levee_code_78"]

    rendu_selon_valeurs = True

    def _rendu_depend_aussi_de(self) -> tuple:
        return (bool(self.instance.depose_par_id),)  # a school's: inscriptions only

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        motif = self.instance.motif_enum
        if motif is None:
            if self.instance.depose_par_id:
                # A driving school files inscriptions only, under the student's mandate.
                self.fields["motif"].choices = [
                    ("", "Choisissez un motif"),
                    (
                        Famille.INSCRIPTION.label,
                        [(m.value, m.label) for m in Motif if m.est_inscription],
                    ),
                ]
            return
        # The motif is chosen once: it stays as it was, whatever is posted.
        champ = self.fields["motif"]
        champ.disabled = True
        champ.help_text = (
            "Le motif ne peut plus être modifié. Pour un autre motif, commencez une nouvelle "
            "demande (vous pouvez abandonner celle-ci depuis « Mes demandes »)."
        )
        for champ in wizard.champs_hors_motif(motif):
            del self.fields[champ.nom]
        self.rafraichir_champs()

    def clean_categories(self) -> list[str]:
        choisies = set(self.cleaned_data.get("categories") or [])
        return [c.value for c in Categorie if c.value in choisies]

    def clean(self):
        donnees = super().clean()
        if not donnees.get("motif"):
            return donnees
        motif = Motif(donnees["motif"])
        # What does not apply to the motif is dropped (the fields of a new request all show).
        for champ in wizard.champs_hors_motif(motif):
            if champ.nom in self.fields:
                donnees[champ.nom] = champ.vide
        categories = donnees.get("categories") or []
        if motif.demande_categories and not categories and "categories" not in self.errors:
            self.add_error("categories", "Choisissez au moins une catégorie.")
        if donnees.get("conduite_accompagnee") and wizard.CATEGORIE_AAC not in categories:
            self.add_error(
                "conduite_accompagnee",
                "L'apprentissage anticipé de la conduite ne concerne que la catégorie B.",
            )
        if self.instance.date_naissance and categories:
            probleme = wizard.controle_age(
                self.instance.date_naissance,
                categories,
                bool(donnees.get("conduite_accompagnee")),
            )
            if probleme:
                self.add_error("categories", probleme)
        return donnees


# --- 2. État civil -----------------------------------------------------------------------


class EtatCivilForm(FormulaireEtape):
    # autocomplete: the browser may fill in what it knows of its user (RGAA 11.13).
    nom_naissance = ChampNom(
        label="Nom de naissance",
        obligatoire="Saisissez votre nom de naissance.",
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    nom_usage = ChampNom(
        label="Nom d'usage",
        help_text="Par exemple le nom d'époux ou d'épouse, s'il est différent.",
    )
    prenoms = ChampNom(
        label="Prénoms",
        max_length=150,
        obligatoire="Saisissez vos prénoms.",
        help_text="Tous vos prénoms, dans l'ordre de l'état civil, séparés par des espaces.",
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    sexe = forms.ChoiceField(
        label="Sexe",
        choices=Sexe.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre sexe."},
    )
    date_naissance = forms.DateField(
        label="Date de naissance",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Au format jj/mm/aaaa.",
        error_messages={
            "required": "Saisissez votre date de naissance.",
            "invalid": "Saisissez une date de naissance valide, par exemple 14/05/2007.",
        },
    )
    commune_naissance = forms.CharField(
        label="Commune de naissance",
        max_length=100,
        validators=[valider_commune],
        help_text="Pour une naissance à l'étranger, la ville de naissance.",
        error_messages={"required": "Saisissez votre commune de naissance."},
    )
    departement_naissance = ChoixFixe(
        label="Département de naissance",
        required=False,
        choices=lambda: [("", "—"), *geographie.choix_tous_departements()],
        widget=ListeFixe("departements"),
        help_text="Pour une naissance en France.",
    )
    pays_naissance = ChoixFixe(
        label="Pays de naissance",
        choices=choix_pays,
        widget=ListeFixe("pays"),
        error_messages={"invalid_choice": "Choisissez un pays de la liste."},
    )
    nationalite = ChoixFixe(
        label="Nationalité",
        choices=choix_pays,
        widget=ListeFixe("pays"),
        error_messages={"invalid_choice": "Choisissez une nationalité de la liste."},
    )
    sous_tutelle = forms.BooleanField(
        label="Je suis sous tutelle (majeur protégé)",
        required=False,
    )
    representant_nom = ChampNomConditionnel(
        label="Nom du représentant légal",
        help_text="Obligatoire pour un candidat mineur ou sous tutelle.",
    )
    representant_prenoms = ChampNomConditionnel(
        label="Prénoms du représentant légal",
        max_length=150,
        help_text="Obligatoire pour un candidat mineur ou sous tutelle.",
    )

    class Meta:
        model = Demande
        fields = [
            "nom_naissance",
            "nom_usage",
            "prenoms",
            "sexe",
            "date_naissance",
            "commune_naissance",
            "departement_naissance",
            "pays_naissance",
            "nationalite",
            "sous_tutelle",
            "representant_nom",
            "representant_prenoms",
        ]

    rendu_selon_valeurs = True
    valeurs_en_trou = (
        "nom_naissance",
        "nom_usage",
        "prenoms",
        "date_naissance",
        "commune_naissance",
        "representant_nom",
        "representant_prenoms",
    )

    def _rendu_depend_aussi_de(self) -> tuple:
        return tuple(sorted(self.verrouilles))  # locked (their values are the initial ones)

    def _rendre(self, template_name=None, context=None, renderer=None):
        if template_name or context or renderer:
            return super()._rendre(template_name, context, renderer)
        # Its fields in fieldsets: a page template (the form renderer's engine has no DIRS).
        return render_to_string("demandes/wizard/champs_etat_civil.html", {"form": self})

    def __init__(self, *args, verrouilles: dict | None = None, **kwargs):
        """`verrouilles`: fields certified by FranceConnect, shown locked with their value."""
        super().__init__(*args, **kwargs)
        self.verrouilles = {n: v for n, v in (verrouilles or {}).items() if n in self.fields}
        for nom, valeur in self.verrouilles.items():
            champ = self.fields[nom]
            champ.disabled = True
            champ.help_text = "Transmis par FranceConnect : ne peut pas être modifié ici."
            self.initial[nom] = valeur
        self.rafraichir_champs()

    def clean_commune_naissance(self) -> str:
        return normaliser_espaces(self.cleaned_data["commune_naissance"])

    def clean_date_naissance(self) -> date:
        naissance = self.cleaned_data["date_naissance"]
        if naissance > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        if naissance.year < 1900:
            raise ValidationError("Vérifiez l'année de naissance : elle est antérieure à 1900.")
        return naissance

    def clean(self):
        donnees = super().clean()
        naissance = donnees.get("date_naissance")
        if naissance is None:
            return donnees
        probleme = wizard.controle_age(
            naissance, self.instance.categories, self.instance.conduite_accompagnee
        )
        if probleme and "date_naissance" not in self.errors:
            self.add_error("date_naissance", probleme)
        mineur = age_le(naissance, timezone.localdate()) < 18
        if mineur or donnees.get("sous_tutelle"):
            qui = "mineur" if mineur else "sous tutelle"
            for champ in ("representant_nom", "representant_prenoms"):
                if not donnees.get(champ) and champ not in self.errors:
                    self.add_error(
                        champ,
                        f"Pour un candidat {qui}, indiquez le représentant légal.",
                    )
        return donnees


# --- 3. Adresse et contact ---------------------------------------------------------------


class AdresseForm(FormulaireEtape):
    rendu_selon_valeurs = True  # the communes offered follow the postal code, a field
    valeurs_en_trou = ("adresse", "complement_adresse", "email", "telephone")

    adresse = forms.CharField(
        label="Numéro et voie",
        max_length=200,
        help_text="Par exemple : 12 rue de la République.",
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": "Saisissez votre adresse (numéro et voie)."},
    )
    complement_adresse = forms.CharField(
        label="Complément d'adresse",
        max_length=200,
        required=False,
        help_text="Bâtiment, étage, lieu-dit…",
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    code_postal = forms.CharField(
        label="Code postal",
        max_length=5,
        help_text="5 chiffres, par exemple 69002.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        error_messages={"required": "Saisissez votre code postal."},
    )
    commune = forms.CharField(
        label="Commune",
        max_length=100,
        validators=[valider_commune],
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        error_messages={"required": "Saisissez votre commune."},
    )
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr. Vous y recevrez le suivi de la demande.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Saisissez votre adresse électronique.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.",
        },
    )
    telephone = forms.CharField(
        label="Téléphone portable",
        max_length=20,
        required=False,
        help_text=(
            "Facultatif, pour recevoir le suivi par SMS. Par exemple 06 12 34 56 78, "
            "ou 0692 12 34 56 à La Réunion."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = Demande
        fields = ["adresse", "complement_adresse", "code_postal", "commune", "email", "telephone"]

    def clean_adresse(self) -> str:
        return normaliser_espaces(self.cleaned_data["adresse"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once a postal code is known, its communes are offered: no JavaScript needed.
        code_postal = self.data.get(self.add_prefix("code_postal")) if self.is_bound else None
        code_postal = (code_postal or self.instance.code_postal or "").strip()
        communes = geographie.communes_du_code_postal(code_postal)
        if communes:
            self.fields["commune"].widget = forms.Select(
                choices=[("", "Choisissez la commune"), *((c.nom, c.nom) for c in communes)],
                attrs={"autocomplete": "address-level2"},
            )
            self.fields["commune"].help_text = (
                f"Les communes du code postal {code_postal}. Si vous changez le code postal, "
                "validez : la liste sera mise à jour."
            )
            self.rafraichir_champs()
        self.commune_officielle = None
        if self.initial.get("telephone"):
            self.initial["telephone"] = telephones.affichage(self.initial["telephone"])

    def clean_code_postal(self) -> str:
        code = self.cleaned_data["code_postal"].strip()
        try:
            geographie.verifier_code_postal(code)
        except geographie.AdresseInvalide as exc:
            raise ValidationError(str(exc)) from exc
        return code

    def clean_commune(self) -> str:
        return normaliser_espaces(self.cleaned_data["commune"])

    def clean(self):
        donnees = super().clean()
        code_postal, nom = donnees.get("code_postal"), donnees.get("commune")
        if code_postal and nom:
            try:
                self.commune_officielle = geographie.commune_de_l_adresse(code_postal, nom)
            except geographie.AdresseInvalide as exc:
                self.add_error(exc.champ, str(exc))
            else:
                donnees["commune"] = self.commune_officielle.nom  # the official spelling
        if donnees.get("telephone"):
            departement = self.commune_officielle.departement if self.commune_officielle else ""
            try:
                donnees["telephone"] = telephones.portable_e164(
                    donnees["telephone"], telephones.region_telephonique(departement)
                )
            except telephones.NumeroInvalide as exc:
                self.add_error("telephone", ValidationError(str(exc), code="portable"))
        return donnees

    def clean_telephone(self) -> str:
        """Read in clean(), in the numbering region of the commune (overseas included)."""
        return self.cleaned_data["telephone"].strip()

    def save(self, commit=True):
        self.instance.departement = self.commune_officielle.departement
        return super().save(commit)

    def champs_enregistres(self) -> list[str]:
        return [*super().champs_enregistres(), "departement"]


# --- 4. Photo et signature ---------------------------------------------------------------


class CodePhotoForm(FormulaireDsfr):
    rendu_selon_valeurs = True
    valeurs_en_trou = ("code_photo",)

    code_photo = forms.CharField(
        label="Code photo numérique",
        max_length=40,
        help_text=(
            "Les 22 lettres et chiffres imprimés sur la planche remise par la cabine ou le "
            "photographe agréé."
        ),
        error_messages={"required": "Saisissez le code photo numérique."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code_photo(self) -> str:
        try:
            self.photo_signature = photo_booth.client().recuperer(self.cleaned_data["code_photo"])
        except photo_booth.CodePhotoRefuse as exc:
            raise ValidationError(str(exc)) from exc
        return self.photo_signature.code


class ConfirmationPhotoForm(FormulaireDsfr):
    rendu_selon_valeurs = True

    confirme = forms.BooleanField(
        label="Je confirme que cette photo et cette signature sont les miennes.",
        error_messages={"required": "Cochez la case pour confirmer la photo et la signature."},
    )


# --- 5. Pièces justificatives ------------------------------------------------------------


class PiecesForm(FormulaireDsfr):
    """One file field per piece the matrix requires; files already sent stay."""

    def __init__(self, *args, demande: Demande, **kwargs):
        super().__init__(*args, **kwargs)
        self.demande = demande
        self.deja_envoyees = {p.nature: p for p in demande.pieces_envoyees()}
        self.natures = [p for p in demande.pieces_requises() if p.televersee]
        for nature in self.natures:
            # Required, but a file already sent counts (it is the field's initial value).
            champ = forms.FileField(
                label=nature.label,
                allow_empty_file=True,  # refused by uploads.verifier, with the file's name
                error_messages={"required": "Ajoutez ce justificatif."},
                help_text=(
                    f"JPEG, PNG ou PDF, {uploads.TAILLE_MAX // (1024 * 1024)} Mo au plus."
                    + (
                        " Un nouvel envoi remplace le fichier actuel."
                        if nature in self.deja_envoyees
                        else ""
                    )
                ),
                widget=forms.FileInput(attrs={"accept": uploads.ACCEPT, "class": "fr-upload"}),
            )
            champ.widget.group_class = "fr-upload-group"
            self.fields[nature.value] = champ
            if nature in self.deja_envoyees:
                self.initial[nature.value] = self.deja_envoyees[nature].fichier
        self.valides: dict[Piece, uploads.FichierVerifie] = {}

    def cle_du_champ(self, nature: Piece) -> tuple | None:
        """What the unbound field group of `nature` depends on, to keep its HTML per process
        (`{% fige %}` in pieces.html): its label and whether a file was sent (its help text,
        no `required` then); None once bound (its errors render live)."""
        if self.is_bound:
            return None
        return (nature.value, nature in self.deja_envoyees)

    def clean(self):
        donnees = super().clean()
        for nature in self.natures:
            fichier = donnees.get(nature.value)
            if not isinstance(fichier, UploadedFile):
                continue  # nothing new: the file already sent stays
            try:
                self.valides[nature] = uploads.verifier(fichier)
            except ValidationError as exc:
                self.add_error(nature.value, exc)
        return donnees


# --- 6. Timbre fiscal --------------------------------------------------------------------


class TimbreForm(FormulaireEtape):
    timbre_fiscal = forms.CharField(
        label="Numéro du timbre fiscal électronique",
        max_length=30,
        help_text="Les 16 chiffres du timbre, indiqués sur le justificatif d'achat.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le numéro du timbre fiscal."},
    )

    class Meta:
        model = Demande
        fields = ["timbre_fiscal"]

    rendu_selon_valeurs = True
    valeurs_en_trou = ("timbre_fiscal",)

    def clean_timbre_fiscal(self) -> str:
        montant = Motif(self.instance.motif).timbre_fiscal
        try:
            numero = timbre_fiscal.verifier_format(self.cleaned_data["timbre_fiscal"])
            timbre_fiscal.client().verifier(numero, montant=montant)
        except timbre_fiscal.TimbreRefuse as exc:
            raise ValidationError(str(exc)) from exc
        return numero


# --- 7. Récapitulatif --------------------------------------------------------------------


class DepotForm(FormulaireDsfr):
    rendu_selon_valeurs = True

    attestation = forms.BooleanField(
        label=(
            "Je certifie sur l'honneur l'exactitude des informations fournies et des pièces "
            "jointes."
        ),
        error_messages={"required": "Cochez la case pour certifier vos informations."},
    )
