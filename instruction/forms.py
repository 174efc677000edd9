"""Back-office forms: the queue's filters and the confirmation of each action."""

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from dsfr.forms import DsfrBaseForm

from demandes.delais import COMPLEMENT_MAX, COMPLEMENT_PROPOSE
from demandes.enums import Categorie, Etat, Motif, MotifRejet, Piece
from permis.rendus_gardes import RendusGardes

TAILLES_PAGE = (25, 50, 100)
ANCIENNETES = (7, 15, 30)


def _sans_octets_nuls(donnees) -> dict[str, str] | None:
    """GET parameters without NUL bytes, which PostgreSQL refuses in a query."""
    if donnees is None:
        return None
    return {cle: valeur.replace("\x00", "") for cle, valeur in donnees.items()}


class FiltresFile(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        help_text="Numéro de demande, NEPH ou nom du candidat",
        required=False,
        max_length=100,
    )
    motif = forms.ChoiceField(label="Motif", required=False)
    categorie = forms.ChoiceField(label="Catégorie", required=False)
    etat = forms.ChoiceField(label="État", required=False)
    anciennete = forms.TypedChoiceField(
        label="Ancienneté",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Toutes")]
        + [(jours, f"Déposées depuis plus de {jours} jours") for jours in ANCIENNETES],
    )
    prise = forms.ChoiceField(
        label="Prise en charge",
        required=False,
        choices=[("", "Toutes"), ("moi", "Par moi"), ("libres", "Non prises en charge")],
    )
    reponse = forms.ChoiceField(
        label="Messages",
        required=False,
        choices=[("", "Toutes"), ("recue", "Réponse reçue")],
        help_text="Un message du candidat que personne n'a lu",
    )
    par_page = forms.TypedChoiceField(
        label="Demandes par page",
        required=False,
        coerce=int,
        empty_value=TAILLES_PAGE[0],
        choices=[(n, str(n)) for n in TAILLES_PAGE],
    )

    def __init__(self, data=None, *, etats: tuple[Etat, ...] = ()):
        super().__init__(_sans_octets_nuls(data))
        self.fields["motif"].choices = [("", "Tous")] + Motif.choices
        self.fields["categorie"].choices = [("", "Toutes")] + Categorie.choices
        self.fields["etat"].choices = [("", "Tous")] + [(e.value, e.label) for e in etats]
        if len(etats) < 2:
            del self.fields["etat"]

    def filtres(self) -> dict:
        """The valid filters; an invalid one is ignored (and its error shown next to it)."""
        self.is_valid()
        return {nom: valeur for nom, valeur in self.cleaned_data.items() if valeur}


# The filters form of a queue view, rendered, and its valid filters: {(the queue's states,
# language, the values given but the search's, the search's kind): (filters, whether a
# value is in error, the HTML before and after the search's value)}. Building and rendering
# the form (~8 fields deep-copied, six <select>s) cost a filtered page ~3 ms, as much as its
# query; the same filters come back page after page, and the search typed is a hole.
_RENDUS = RendusGardes(taille=256)
_GABARIT = "instruction/_filtres.html"
# What the form is rendered with in place of the search typed: written out unchanged by the
# escaping, and valid (at most 100 characters, nothing to strip).
_TROU = "TrouDeLaRechercheTapee"


def rendu_des_filtres(donnees, etats: tuple[Etat, ...]) -> tuple[dict, bool, str, dict]:
    """(filters, whether one filters (the page size apart), the form's HTML, what base.html
    reads of the form) for the queue view's GET parameters `donnees`: FiltresFile's, its
    render kept per values but the search's."""
    donnees = _sans_octets_nuls(donnees)
    brute = donnees.get("q", "")
    recherche = brute.strip()
    if len(recherche) > FiltresFile.base_fields["q"].max_length:
        return _rendre(donnees, etats)  # its error is shown: never kept
    # The search as the form shows it: no value attribute, one but no search, a search.
    sorte = 2 if recherche else 1 if brute else 0
    valeurs = tuple(
        (nom, donnees[nom]) for nom in FiltresFile.base_fields if nom in donnees and nom != "q"
    )
    cle = (etats, get_language(), valeurs, sorte)

    def rendre():
        if not sorte:
            filtres, actif, html, formulaire = _rendre(donnees, etats)
            return filtres, actif, (html,), formulaire
        filtres, actif, html, formulaire = _rendre({**donnees, "q": _TROU}, etats, sorte == 2)
        filtres.pop("q")
        morceaux = tuple(html.split(_TROU))
        return filtres, actif, morceaux, formulaire

    filtres, actif, morceaux, formulaire = _RENDUS.obtenir(cle, rendre)
    filtres = dict(filtres)
    if len(morceaux) == 1:
        return filtres, actif, morceaux[0], formulaire
    if len(morceaux) != 2:  # the search's value written elsewhere too: not kept
        return _rendre(donnees, etats)
    if sorte == 2:
        filtres["q"] = recherche
    return filtres, actif, mark_safe(morceaux[0] + escape(brute) + morceaux[1]), formulaire  # noqa: S308


def _rendre(donnees: dict, etats, recherche: bool | None = None) -> tuple[dict, bool, str, dict]:
    """FiltresFile's filters and render; `recherche`: whether a search is typed, if the
    search given is a stand-in."""
    formulaire = FiltresFile(donnees, etats=etats)
    filtres = formulaire.filtres()
    actif = any(nom != "par_page" for nom in filtres if nom != "q" or recherche is None)
    actif = actif or bool(recherche)
    html = render_to_string(_GABARIT, {"formulaire": formulaire, "filtre_actif": actif})
    return filtres, actif, html, {"errors": bool(formulaire.errors)}


class ConfirmationForm(DsfrBaseForm):
    """A plain action: confirmed by submitting, with an optional note kept in the history."""

    commentaire = forms.CharField(
        label="Commentaire",
        help_text="Conservé dans l'historique de la demande, non communiqué au candidat.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, demande=None, **kwargs):
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict:
        return {"description": self.cleaned_data["commentaire"].strip() or None}


class RefusForm(DsfrBaseForm):
    motifs = forms.MultipleChoiceField(
        label="Motifs du rejet",
        help_text="Au moins un motif.",
        choices=[(m.value, m.label) for m in MotifRejet if m != MotifRejet.HORS_DELAI],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un motif de rejet."},
    )
    message = forms.CharField(
        label="Message au candidat",
        help_text="Expliquez ce qui ne va pas : ce message lui est envoyé par courriel.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Écrivez un message au candidat."},
    )

    def __init__(self, *args, demande=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Écrivez un message au candidat.")
        return message

    def arguments(self) -> dict:
        motifs = self.cleaned_data["motifs"]
        libelles = ", ".join(MotifRejet(m).label for m in motifs)
        return {
            "motifs": motifs,
            "message": self.cleaned_data["message"],
            "description": f"Motifs : {libelles}",
        }


class ComplementForm(DsfrBaseForm):
    pieces = forms.MultipleChoiceField(
        label="Pièces à remplacer",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une pièce à remplacer."},
    )
    avant = forms.DateField(
        label="À compléter avant le",
        help_text=f"Au plus tard dans {COMPLEMENT_MAX}.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, par exemple 31/12/2026."},
    )
    message = forms.CharField(
        label="Message au candidat",
        help_text="Ce qui ne va pas dans les pièces à remplacer.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Dites au candidat ce qui ne va pas."},
    )

    def __init__(self, *args, demande, **kwargs):
        kwargs.setdefault(
            "initial",
            {"avant": timezone.localdate() + COMPLEMENT_PROPOSE},
        )
        super().__init__(*args, **kwargs)
        self.fields["pieces"].choices = [
            (piece.value, piece.label) for piece in demande.pieces_requises() if piece.televersee
        ]

    def clean_avant(self):
        avant = self.cleaned_data["avant"]
        aujourd_hui = timezone.localdate()
        if avant <= aujourd_hui:
            raise forms.ValidationError("La date limite doit être postérieure à aujourd'hui.")
        if avant > aujourd_hui + COMPLEMENT_MAX:
            raise forms.ValidationError(f"La date limite ne peut dépasser {COMPLEMENT_MAX}.")
        return avant

    def arguments(self) -> dict:
        pieces = self.cleaned_data["pieces"]
        avant = self.cleaned_data["avant"]
        libelles = ", ".join(Piece(p).label for p in pieces)
        return {
            "pieces": pieces,
            "avant": avant,
            "message": self.cleaned_data["message"].strip(),
            "description": f"Pièces à remplacer : {libelles} — avant le {avant:%d/%m/%Y}",
        }
