"""The request wizard: one view per step, each saving the draft when its form validates."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from accounts.enums import ROLES_AGENTS
from demandes import photo_booth, wizard
from demandes.brouillons import preremplir
from demandes.enums import Etat, Motif
from demandes.forms import (
    AdresseForm,
    CodePhotoForm,
    ConfirmationPhotoForm,
    DepotForm,
    EtatCivilForm,
    MotifForm,
    PiecesForm,
    TimbreForm,
)
from demandes.models import Demande, PieceJustificative
from demandes.pays import nom_pays
from demandes.wizard import (
    ADRESSE,
    ETAT_CIVIL,
    MOTIF,
    PHOTO,
    PIECES,
    RECAPITULATIF,
    TIMBRE,
    DemandeDejaDeposee,
)
from permis.requetes_compilees import compilee

RETOUR_RECAPITULATIF = "recapitulatif"


def _url_etape(demande: Demande, etape: wizard.Etape, retour: str = "") -> str:
    url = reverse("demandes:etape", kwargs={"numero": demande.numero, "slug": etape.slug})
    return f"{url}?retour={RETOUR_RECAPITULATIF}" if retour == RETOUR_RECAPITULATIF else url


def _retour(request) -> str:
    # A GET has no form to read: request.POST would build one (~5 µs) for nothing.
    valeur = (request.method == "POST" and request.POST.get("retour")) or request.GET.get("retour")
    return RETOUR_RECAPITULATIF if valeur == RETOUR_RECAPITULATIF else ""


def _donnees(request, fichiers: bool = False):
    """What a form is bound to: the POST (even empty), or None for a GET."""
    if request.method != "POST":
        return (None, None) if fichiers else None
    return (request.POST, request.FILES) if fichiers else request.POST


@compilee(numero=str, candidat=int)  # on every step: building it cost more than running it
def _du_candidat(numero, candidat):
    return Demande.objects.filter(numero=numero, candidat_id=candidat).order_by()


@compilee(candidat=int)  # on each new request's page and its motif's POST
def _brouillons_du_candidat(candidat):
    return Demande.objects.filter(candidat_id=candidat).brouillons().order_by("-cree_le", "-pk")


def demande_visible(request, numero: str) -> Demande:
    """The request `numero` if the user may see it (Demande.objects.visibles_par), else 404.

    On the filing path it is nearly always the candidate's own: that simple query is tried
    first, the school's mandate (a subquery costlier to build than the request's read) only
    when it finds nothing."""
    trouvees = _du_candidat(numero=numero, candidat=request.user.pk)
    if not trouvees:
        return get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    demande = trouvees[0]
    # Its candidate is the account already loaded: the pages that name them read it no more.
    Demande.candidat.field.set_cached_value(demande, request.user)
    return demande


def _verifier_candidat(user) -> None:
    if user.has_role(*ROLES_AGENTS):
        raise PermissionDenied("Les agents ne déposent pas de demandes.")


def _rendre(request, demande, etape, template, **contexte):
    return render(
        request,
        template,
        {
            "demande": demande,
            "etape": etape,
            "stepper": wizard.stepper(demande, etape),
            "precedente": wizard.precedente(demande, etape),
            "suivante": wizard.suivante(demande, etape),
            "retour": _retour(request),
            **contexte,
        },
    )


def _suite(request, demande: Demande, etape: wizard.Etape):
    """After a step is saved: back to the recap when it sent us, else the next step."""
    if _retour(request) == RETOUR_RECAPITULATIF:
        # A change that asks for more (a new piece...) leads to what is now missing first.
        a_reprendre = wizard.etape_a_reprendre(demande)
        if a_reprendre is RECAPITULATIF:
            return redirect(_url_etape(demande, RECAPITULATIF))
        return redirect(_url_etape(demande, a_reprendre, RETOUR_RECAPITULATIF))
    suivante = wizard.suivante(demande, etape)
    if not wizard.accessible(demande, suivante):
        suivante = wizard.etape_a_reprendre(demande)
    return redirect(_url_etape(demande, suivante))


# --- Starting -----------------------------------------------------------------------------


@login_required
def commencer(request):
    """Step 1 of a new request: the motif. A draft for the same motif is resumed instead."""
    _verifier_candidat(request.user)
    brouillons = _brouillons_du_candidat(candidat=request.user.pk)  # the newest first
    demande = Demande(candidat=request.user)
    form = MotifForm(_donnees(request), instance=demande)
    if request.method == "POST" and form.is_valid():
        motif = form.cleaned_data["motif"]
        existant = next((b for b in brouillons if b.motif == motif), None)
        if existant is not None:
            return render(request, "demandes/wizard/brouillon_existant.html", {"demande": existant})
        demande = form.save(commit=False)
        preremplir(demande, request.user)
        wizard.retirer_reponses_caduques(demande)
        demande.save()
        messages.success(
            request,
            f"Votre brouillon n° {demande.numero} est créé : chaque étape validée est "
            "enregistrée, vous pouvez reprendre plus tard depuis « Mes demandes ».",
        )
        return redirect(_url_etape(demande, wizard.suivante(demande, MOTIF)))
    return render(
        request,
        "demandes/wizard/motif.html",
        {
            "demande": None,
            "etape": MOTIF,
            "stepper": wizard.stepper(None, MOTIF),
            "form": form,
            "brouillons": brouillons,
        },
    )


# --- One step of a draft ------------------------------------------------------------------


@login_required
def etape(request, numero: str, slug: str):
    demande = demande_visible(request, numero)
    if demande.etat != Etat.BROUILLON:
        messages.info(request, "Cette demande a été déposée : elle ne peut plus être modifiée.")
        return redirect("demandes:detail", numero=demande.numero)
    etape = wizard.PAR_SLUG.get(slug)
    if etape is None or etape not in _GESTIONNAIRES or etape not in wizard.etapes(demande):
        raise Http404("Étape inconnue.")
    if etape is RECAPITULATIF and request.method != "POST":
        demande.pieces_envoyees()  # the recap lists them and its access judges them: one read
    # The recap's POST is judged by _recapitulatif: a submission checks the whole draft under
    # its lock, and reading the pieces here too would read them twice.
    if not (etape is RECAPITULATIF and request.method == "POST") and not wizard.accessible(
        demande, etape
    ):
        return _terminer_d_abord(request, demande)
    try:
        return _GESTIONNAIRES[etape](request, demande, etape)
    except DemandeDejaDeposee:
        messages.info(request, "Cette demande a été déposée : elle ne peut plus être modifiée.")
        return redirect("demandes:detail", numero=demande.numero)


def _terminer_d_abord(request, demande: Demande):
    """A step opened before the ones it follows are complete: to the first incomplete one."""
    a_reprendre = wizard.etape_a_reprendre(demande)
    messages.info(request, f"Terminez d'abord l'étape « {a_reprendre.titre} ».")
    return redirect(_url_etape(demande, a_reprendre))


def _etape_formulaire(classe, template: str):
    """A step whose form writes fields of the draft."""

    def gerer(request, demande: Demande, etape: wizard.Etape, **kwargs):
        form = classe(_donnees(request), instance=demande, **kwargs)
        if request.method == "POST" and form.is_valid():
            form.save(commit=False)
            wizard.enregistrer(demande, form.champs_enregistres())
            return _suite(request, demande, etape)
        return _rendre(request, demande, etape, template, form=form)

    return gerer


_motif = _etape_formulaire(MotifForm, "demandes/wizard/motif.html")
_adresse = _etape_formulaire(AdresseForm, "demandes/wizard/formulaire.html")
_timbre = _etape_formulaire(TimbreForm, "demandes/wizard/timbre.html")
_etat_civil_formulaire = _etape_formulaire(EtatCivilForm, "demandes/wizard/etat_civil.html")


def _etat_civil(request, demande, etape):
    # The identity is the candidate's, even when a driving school fills the request.
    verrouilles = wizard.identite_verrouillee(demande.candidat)
    return _etat_civil_formulaire(request, demande, etape, verrouilles=verrouilles)


def _photo(request, demande: Demande, etape):
    action = request.POST.get("action") if request.method == "POST" else None
    form_code = CodePhotoForm(
        request.POST if action == "code" else None, initial={"code_photo": demande.code_photo}
    )
    form_confirmation = ConfirmationPhotoForm(request.POST if action == "confirmer" else None)
    if action == "code" and form_code.is_valid():
        code = form_code.cleaned_data["code_photo"]
        if code != demande.code_photo or not demande.photo_confirmee:
            wizard.changer_code_photo(demande, code)
        return redirect(_url_etape(demande, PHOTO, _retour(request)))
    refus = None
    if demande.code_photo and not demande.photo_confirmee:
        # A code waiting for confirmation is checked again: it may have expired or been used.
        try:
            images = photo_booth.client().recuperer(demande.code_photo)
        except photo_booth.CodePhotoRefuse as exc:
            refus = str(exc)
        else:
            if action == "confirmer" and form_confirmation.is_valid():
                wizard.garder_photo(demande, images)
                return _suite(request, demande, etape)
    return _rendre(
        request,
        demande,
        etape,
        "demandes/wizard/photo.html",
        form=form_code if form_code.errors else form_confirmation,
        form_code=form_code,
        form_confirmation=form_confirmation,
        refus=refus,
    )


def _pieces(request, demande: Demande, etape):
    form = PiecesForm(*_donnees(request, fichiers=True), demande=demande)
    if request.method == "POST":
        form.is_valid()
        with transaction.atomic():
            # Locks the draft, checks it is one.
            natures = wizard.enregistrer_dans_la_transaction(demande, [])
            # Valid files are kept even when another one is refused.
            for nature, fichier in form.valides.items():
                PieceJustificative.objects.remplacer(
                    demande, nature, fichier, deja_envoyee=nature in natures
                )
        # Read under the lock, then written: where to go next needs no other read.
        demande.retenir_natures(natures | {nature.value for nature in form.valides})
        if form.valides:
            messages.success(
                request,
                "Fichier enregistré." if len(form.valides) == 1 else "Fichiers enregistrés.",
            )
        if not form.errors:
            return _suite(request, demande, etape)
    return _rendre(
        request,
        demande,
        etape,
        "demandes/wizard/pieces.html",
        form=form,
        lignes=_lignes_pieces(form, demande, request.method == "POST"),
    )


def _lignes_pieces(form: PiecesForm, demande: Demande, apres_envoi: bool) -> list[tuple]:
    """(field, piece sent or None, the key its field group is kept under) per piece asked."""
    # The form read the pieces already sent; after an upload they are read again.
    envoyees = (
        {p.nature: p for p in demande.pieces_envoyees()} if apres_envoi else form.deja_envoyees
    )
    return [
        (form[nature.value], envoyees.get(nature), form.cle_du_champ(nature))
        for nature in form.natures
    ]


@dataclass(frozen=True)
class FormeDuRecapitulatif:
    """Which optional lines and links the recap shows: with the language, the key of its kept
    sections (`{% fige "récapitulatif" forme %}`), whose conditions read this only; the
    draft's values are holes of it."""

    categories: bool
    conduite_accompagnee: bool
    levee_code_78: bool
    motif_modifiable: bool
    nom_usage: bool
    departement_naissance: bool
    sous_tutelle: bool
    representant: bool
    timbre: bool

    @classmethod
    def de(cls, demande: Demande, timbre) -> "FormeDuRecapitulatif":
        motif = demande.motif_enum
        return cls(
            categories=bool(demande.categories),
            conduite_accompagnee=bool(demande.conduite_accompagnee),
            levee_code_78=bool(demande.levee_code_78),
            motif_modifiable=bool(motif.demande_categories or motif.est_inscription),
            nom_usage=bool(demande.nom_usage),
            departement_naissance=bool(demande.departement_naissance),
            sous_tutelle=bool(demande.sous_tutelle),
            representant=bool(demande.representant_nom),
            timbre=bool(timbre),
        )


def _recapitulatif(request, demande: Demande, etape):
    form = DepotForm(_donnees(request))
    if request.method == "POST":
        # Not judged by etape(): a valid submission checks the draft under its lock, its
        # access judged only when the submission is refused or the form sent back.
        if form.is_valid():
            try:
                demande.executer("deposer", par=request.user)
            except TransitionNotAllowed as exc:
                if not wizard.accessible(demande, etape):
                    return _terminer_d_abord(request, demande)
                form.add_error(None, str(exc))
            else:
                return redirect("demandes:confirmation", numero=demande.numero)
        elif not wizard.accessible(demande, etape):
            return _terminer_d_abord(request, demande)
    timbre = Motif(demande.motif).timbre_fiscal
    return _rendre(
        request,
        demande,
        etape,
        "demandes/wizard/recapitulatif.html",
        form=form,
        forme=FormeDuRecapitulatif.de(demande, timbre),
        pieces=demande.pieces_envoyees(),
        timbre=timbre,
        pays_naissance=nom_pays(demande.pays_naissance),
        nationalite=nom_pays(demande.nationalite),
    )


_GESTIONNAIRES = {
    MOTIF: _motif,
    ETAT_CIVIL: _etat_civil,
    ADRESSE: _adresse,
    PHOTO: _photo,
    PIECES: _pieces,
    TIMBRE: _timbre,
    RECAPITULATIF: _recapitulatif,
}


@login_required
def confirmation(request, numero: str):
    demande = demande_visible(request, numero)
    if demande.etat == Etat.BROUILLON:
        return redirect("demandes:reprendre", numero=demande.numero)
    return render(
        request,
        "demandes/wizard/confirmation.html",
        {
            "demande": demande,
            "etape": wizard.CONFIRMATION,
            "stepper": wizard.stepper(demande, wizard.CONFIRMATION),
        },
    )
