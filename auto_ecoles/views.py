"""Driving schools: students give and withdraw mandates; school staff invite and follow."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from accounts.enums import Role
from auto_ecoles import requetes, tasks
from auto_ecoles.forms import InvitationForm, MandatForm
from auto_ecoles.models import Invitation, InvitationInvalide, Mandat
from demandes.brouillons import preremplir
from demandes.models import Demande
from demandes.wizard import MOTIF
from permis.pages_gardees import PagesGardees
from permis.templatetags.fragments import cle_de_l_en_tete


def membre_requis(view=None, *, avec_eleves: bool = False):
    """Views of a school's staff: request.membre is their membership (403 for anyone else);
    with `avec_eleves`, for the views that show the dashboard, its students' rows read with it."""
    if view is None:
        return lambda view: membre_requis(view, avec_eleves=avec_eleves)

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        membre = requetes.membre_de(request.user, avec_eleves)
        if membre is None or not request.user.has_role(Role.AUTO_ECOLE):
            raise PermissionDenied("Espace réservé aux auto-écoles.")
        request.membre = membre
        return view(request, *args, **kwargs)

    return wrapped


# --- Student side --------------------------------------------------------------------------


# « Mes auto-écoles » and the dashboard kept whole (permis/pages_gardees.py) per what they
# show; their holes are base.html's messages and nonce, the error summary, the form's action
# and the CSRF tokens. About 17 kB a page.
_MES_MANDATS = PagesGardees(taille=500)
_TABLEAUX = PagesGardees(taille=500)


def _en_tete(request) -> tuple:
    """The header's key (its user's name and roles, the page): part of a kept page's key, as
    the page kept under another would be checked and rendered in full at every view."""
    return cle_de_l_en_tete({"user": request.user, "request": request})


@login_required
def mes_mandats(request):
    donnees = request.POST or None
    form = None if donnees is None else MandatForm(donnees)
    if form is not None and form.is_valid():
        form.auto_ecole.recevoir_mandat(request.user)
        messages.success(
            request,
            f"{form.auto_ecole.nom} peut désormais déposer et suivre vos demandes d'inscription.",
        )
        return redirect("auto_ecoles:mes_mandats")
    # The rows key the kept table; their objects are made only when it is rendered anew.
    lignes = requetes.mandats_donnes(request.user)
    if form is not None:
        return _mes_mandats(request, lignes, form)
    cles = {"cle_mandats": lignes, "cle_formulaire": True}
    return _MES_MANDATS.reponse(
        request, (lignes, _en_tete(request)), cles, lambda: _mes_mandats(request, lignes)
    )


def _mes_mandats(request, lignes: tuple, form: MandatForm | None = None):
    return TemplateResponse(
        request,
        "auto_ecoles/mes_mandats.html",
        {
            # A form sent back (base.html's title and the error summary read it), else the
            # blank one, made only when its kept HTML is rendered anew.
            "form": form,
            "formulaire_vierge": SimpleLazyObject(MandatForm) if form is None else None,
            "mandats": SimpleLazyObject(lambda: requetes.mandats_donnes_objets(lignes)),
            "cle_mandats": lignes,
            "cle_formulaire": True if form is None else None,
        },
    )


@login_required
@require_POST
def retirer_mon_mandat(request, pk: int):
    mandat = get_object_or_404(Mandat.objects.actifs(), pk=pk, candidat=request.user)
    mandat.retirer(par=request.user)
    messages.success(request, f"Le mandat donné à {mandat.auto_ecole.nom} est retiré.")
    return redirect("auto_ecoles:mes_mandats")


@login_required
def invitation(request, jeton: str):
    invitation = get_object_or_404(Invitation.objects.select_related("auto_ecole"), jeton=jeton)
    pour_ce_compte = invitation.destinee_a(request.user)
    if request.method == "POST" and pour_ce_compte:
        try:
            invitation.accepter(request.user)
        except InvitationInvalide as exc:
            messages.error(request, str(exc))
        else:
            if invitation.type == Invitation.Type.ELEVE:
                messages.success(request, f"Vous avez donné mandat à {invitation.auto_ecole.nom}.")
                return redirect("auto_ecoles:mes_mandats")
            messages.success(request, f"Vous avez rejoint l'équipe de {invitation.auto_ecole.nom}.")
            return redirect("auto_ecoles:tableau_de_bord")
    # Another account sees why it may not accept; the invitation stays its addressee's.
    return render(
        request,
        "auto_ecoles/invitation.html",
        {"invitation": invitation, "pour_ce_compte": pour_ce_compte},
        status=200 if pour_ce_compte else 403,
    )


# --- School side ---------------------------------------------------------------------------

# What the dashboard shows of the school (agrement_lisible is made of numero_agrement).
ECOLE_AFFICHEE = ("nom", "numero_agrement", "siret", "adresse", "code_postal", "commune")


@membre_requis(avec_eleves=True)
def tableau_de_bord(request):
    cles = _cles(request.membre)
    # The keys of the fragments inside the page (its title, table, invitation forms, header).
    cle = (cles["cle_eleves"], cles["cle_invitations"], _en_tete(request))
    return _TABLEAUX.reponse(request, cle, cles, lambda: _tableau_de_bord(request))


def _cles(membre, renvoye: InvitationForm | None = None) -> dict:
    """What the page's kept fragments are keyed on: the school and its students' rows as
    read, whether the member manages the school (None for a form sent back: live)."""
    ecole = membre.auto_ecole
    return {
        "ecole": ecole,
        "cle_eleves": (tuple(getattr(ecole, c) for c in ECOLE_AFFICHEE), *membre.eleves),
        "cle_invitations": None if renvoye is not None else membre.gestionnaire,
    }


def _tableau_de_bord(request, renvoye: InvitationForm | None = None, type: str = ""):
    """The dashboard; an invitation form sent back with errors comes back as it was typed,
    under its own type (the two forms' fields have distinct ids)."""
    # Only what the table shows, as rows: they key its kept HTML, their objects are made
    # only when it is rendered anew.
    mandats, demandes = request.membre.eleves

    def formulaires():  # read only where the invitation forms are rendered anew
        blancs = {t: InvitationForm(auto_id=f"id_{t}_%s") for t in Invitation.Type.values}
        return blancs | ({type: renvoye} if renvoye is not None else {})

    return TemplateResponse(
        request,
        "auto_ecoles/tableau_de_bord.html",
        {
            **_cles(request.membre, renvoye),
            "mandats": SimpleLazyObject(lambda: requetes.mandats_objets(mandats, demandes)),
            "formulaires": SimpleLazyObject(formulaires),
            # The form sent back, if any: the error summary and the title's « Erreur : ».
            "form": renvoye,
            "membre": request.membre,
        },
    )


# A form sent back shows the dashboard again: its rows are read with the membership.
@membre_requis(avec_eleves=True)
@require_POST
def inviter(request, type: str):
    if type not in Invitation.Type.values:
        raise PermissionDenied
    if type == Invitation.Type.MEMBRE and not request.membre.gestionnaire:
        raise PermissionDenied("Seul le gestionnaire de l'auto-école invite des membres.")
    form = InvitationForm(request.POST, auto_id=f"id_{type}_%s")
    if not form.is_valid():
        return _tableau_de_bord(request, renvoye=form, type=type)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            auto_ecole=request.membre.auto_ecole,
            type=type,
            email=form.cleaned_data["email"],
            envoyee_par=request.user,
        )
        transaction.on_commit(lambda: tasks.envoyer_invitation.delay(invitation.pk))
    messages.success(request, f"Invitation envoyée à {invitation.email}.")
    return redirect("auto_ecoles:tableau_de_bord")


@membre_requis
@require_POST
def retirer_mandat(request, pk: int):
    mandat = get_object_or_404(Mandat.objects.actifs(), pk=pk, auto_ecole=request.membre.auto_ecole)
    mandat.retirer(par=request.user)
    messages.success(request, f"Le mandat de {mandat.candidat.get_full_name()} est retiré.")
    return redirect("auto_ecoles:tableau_de_bord")


@membre_requis
@require_POST
def nouvelle_demande(request, pk: int):
    """Start an inscription request for a student under mandate; the wizard takes over."""
    mandat = get_object_or_404(
        Mandat.objects.actifs().select_related("candidat"),
        pk=pk,
        auto_ecole=request.membre.auto_ecole,
    )
    demande = Demande(candidat=mandat.candidat, depose_par=request.user)
    preremplir(demande, mandat.candidat)  # the student's identity, never the staff member's
    demande.save()
    messages.success(
        request,
        f"Brouillon n° {demande.numero} créé pour {mandat.candidat.get_full_name() or mandat.candidat.email}.",
    )
    return redirect("demandes:etape", numero=demande.numero, slug=MOTIF.slug)
