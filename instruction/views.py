"""Back-office views, for CTN agents and DDT instructors.

Every request is loaded through `consultables_par(user)` (404 outside it); a state change
is one transition run through `Demande.executer`, by the agent who holds the request.
"""

import time

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from demandes.fichiers_prives import fichier_prive
from demandes.models import Demande, PieceJustificative
from echanges import views as echanges
from echanges.enums import Cote
from echanges.models import Message
from instruction import exports, graphique, queries, rendu_demande, rendu_file, requetes_demande
from instruction.actions import ACTIONS, actions_possibles, refus_de_l_action
from instruction.forms import TAILLES_PAGE, FiltresFile, rendu_des_filtres
from instruction.models import PriseEnCharge, PriseEnChargeRefusee
from instruction.pagination import PaginateurPlafonne
from instruction.permissions import agent_requis
from permis.rendus_gardes import RendusGardes


def _demande(user, numero: str) -> Demande:
    return get_object_or_404(queries.consultables_par(user), numero=numero)


# The unfiltered search and filters form, rendered: {(the queue's states, language): HTML}.
# It depends on nothing else (no value typed, no error, a GET form without a CSRF token).
_FILTRES_VIERGES = RendusGardes(taille=64)


def _sans_filtre(get) -> bool:
    """A queue opened without a filter: the page number is the only parameter it may have."""
    return not get or set(get) == {"page"}


def _filtres_vierges(etats: tuple) -> str:
    """templates/instruction/_filtres.html with no filter set (the queue as agents open it,
    and after each action), rendered once per queue and language: the form's ~8 fields cost
    more to build (each field and its choices deep-copied) and render than the page's rows."""

    def rendre():
        contexte = {"formulaire": FiltresFile(etats=etats), "filtre_actif": False}
        return render_to_string("instruction/_filtres.html", contexte)

    return _FILTRES_VIERGES.obtenir((etats, get_language()), rendre)


@agent_requis
def file(request):
    """The agent's queue (and département for instructors), oldest first, filtered."""
    etats = queries.etats_de_la_file(request.user)
    if _sans_filtre(request.GET):
        formulaire, filtres, filtre_actif = None, {}, False
        html_filtres = _filtres_vierges(etats)
    else:
        filtres, filtre_actif, html_filtres, formulaire = rendu_des_filtres(request.GET, etats)
    demandes = queries.file_a_paginer(request.user, filtres)
    par_page = filtres.get("par_page") or TAILLES_PAGE[0]
    taille = None
    if isinstance(demandes, queries.FileEntiere):
        taille = demandes.lire_page(request.GET.get("page"), par_page)
    par_nom = queries.recherche_par_nom(filtres)
    if taille is None and (par_nom or not filtre_actif):
        taille = queries.taille_de_la_file(request.user)
    paginator = PaginateurPlafonne(
        demandes,
        par_page,
        taille=None if filtre_actif else taille,
        estimer=taille if par_nom else None,
    )
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return render(
        request,
        "instruction/file.html",
        {
            "page": page,
            "lignes": rendu_file.lignes(page.object_list, request.user),
            "formulaire": formulaire,
            "filtres": html_filtres,
            "filtre_actif": filtre_actif,
            # What the kept parts show, read here once rather than by the template's lookups
            # (the lazy user's, the paginator's), and the export links' query.
            "cle_presentation": (request.user.roles, request.user.departement or ""),
            "cle_legende": (paginator.plafonne, paginator.plafond, paginator.count, filtre_actif),
            "suite_export": f"?{request.GET.urlencode()}" if request.GET else "",
        },
    )


@agent_requis
def exporter(request, extension: str):
    """The queue with the filters of the queue page, every row, as CSV or ODS."""
    if extension not in exports.FORMATS:
        raise Http404("Format d'export inconnu.")
    formulaire = FiltresFile(request.GET or None, etats=queries.etats_de_la_file(request.user))
    filtres = formulaire.filtres() if formulaire.is_bound else {}
    try:
        return exports.FORMATS[extension](queries.file_filtree(request.user, filtres))
    except exports.ExportTropLong as exc:
        messages.error(request, str(exc))
        suite = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("instruction:file") + suite)


@agent_requis
def pilotage(request):
    """The backlog at a glance: counts per state and département, oldest, median decision
    time, and the last weeks drawn as a chart beside their table."""
    pilotage, valeurs, semaines = _chiffres_de_la_portee(request.user)
    return render(
        request,
        "instruction/pilotage.html",
        {
            "pilotage": pilotage,
            # Every value the figures and their table show, the agent's paragraph included:
            # the key of their kept HTML.
            "cle_des_chiffres": (
                "agent_ctn" in request.user.roles,
                request.user.departement,
                valeurs,
            ),
            "semaines": semaines,
            "fraicheur": settings.PERMIS_PILOTAGE_FRAICHEUR,
            "fraicheur_mediane": queries.DUREE_CACHE_MEDIANE // 60,
        },
    )


# The figures of a scope as the page shows them, kept per process for a slice of
# PERMIS_PILOTAGE_FRAICHEUR seconds (the page says how old they may be): every agent of a
# scope reads the same figures, which cost a query, a round trip to the cache and their
# building, about a quarter of the page's CPU. Per (scope, language, slice); the store is
# emptied when full, and when a setting changes.
_CHIFFRES = RendusGardes(taille=64)


def _chiffres_de_la_portee(agent) -> tuple:
    """(the scope's Pilotage, the values its figures show, its weeks rendered)."""
    fraicheur = settings.PERMIS_PILOTAGE_FRAICHEUR
    sa_portee = queries.portee(agent)
    if not fraicheur or sa_portee is None:
        return _chiffres(agent)
    tranche = int(time.monotonic() // fraicheur)
    return _CHIFFRES.obtenir((sa_portee, get_language(), tranche), lambda: _chiffres(agent))


def _chiffres(agent) -> tuple:
    pilotage = queries.pilotage(agent)
    return pilotage, _valeurs_des_chiffres(pilotage), graphique.rendu(pilotage.semaines)


def _valeurs_des_chiffres(pilotage: queries.Pilotage) -> tuple:
    """Every value the page's figures and table show: the waiting time as written (it grows
    with the clock), the rest as computed."""
    return (
        tuple(pilotage.etats),
        tuple((ligne.departement, tuple(ligne.comptes), ligne.total) for ligne in pilotage.lignes),
        tuple(pilotage.totaux),
        pilotage.total,
        pilotage.plus_ancienne,
        pilotage.attente_max_lisible,
        pilotage.mediane_lisible,
        pilotage.decisions_recentes,
    )


@agent_requis
def demande(request, numero: str):
    demande, prise = requetes_demande.demande_et_prise(request.user, numero, dossier=True)
    contexte = {
        "demande": demande,
        "prise": prise,
        "je_la_tiens": prise is not None and prise.agent_id == request.user.pk,
        "dans_ma_file": queries.dans_la_file(request.user, demande),
        "actions": actions_possibles(demande, request.user),
        "motifs_rejet": demande.libelles_motifs_rejet(),
        "pieces_a_completer": demande.libelles_pieces_a_completer(),
        "dossier": rendu_demande.Dossier(demande),
    }
    contexte["page"] = rendu_demande.cle_de_la_page(contexte)
    return render(request, "instruction/demande.html", contexte)


@agent_requis
@require_POST
def prendre_en_charge(request, numero: str):
    demande = _demande(request.user, numero)
    try:
        PriseEnCharge.objects.prendre(demande, request.user)
    except PriseEnChargeRefusee as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Vous avez pris en charge la demande {demande.numero}.")
    return redirect("instruction:demande", numero=demande.numero)


@agent_requis
@require_POST
def liberer(request, numero: str):
    demande = _demande(request.user, numero)
    if PriseEnCharge.objects.liberer(demande, request.user):
        messages.success(request, f"La demande {demande.numero} est de nouveau libre.")
    else:
        messages.info(request, "Vous ne teniez pas cette demande.")
    return redirect("instruction:file")


@agent_requis
def agir(request, numero: str, action: str):
    """GET: the confirmation page of an action (with its form); POST: run it."""
    definition = ACTIONS.get(action)
    if definition is None:
        raise Http404("Action inconnue.")
    demande = _demande(request.user, numero)
    if refus := refus_de_l_action(demande, definition, request.user):
        messages.error(request, refus)
        return redirect("instruction:demande", numero=demande.numero)
    formulaire = definition.formulaire(
        request.POST if request.method == "POST" else None, demande=demande
    )
    if request.method == "POST" and formulaire.is_valid():
        try:
            demande.executer(definition.transition, par=request.user, **formulaire.arguments())
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("instruction:demande", numero=demande.numero)
        messages.success(request, definition.succes.format(numero=demande.numero))
        if Demande.objects.file_de(request.user).filter(pk=demande.pk).exists():
            return redirect("instruction:demande", numero=demande.numero)
        return redirect("instruction:file")
    return render(
        request,
        "instruction/confirmer.html",
        {"demande": demande, "action": definition, "cle": action, "formulaire": formulaire},
    )


# --- Files of a request, shown in its page --------------------------------------------------


@agent_requis
# The request's page shows its PDF pieces in a frame: the portal may frame them, no one else.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def piece(request, numero: str, piece_id: int):
    demande = _demande(request.user, numero)
    fichier = get_object_or_404(PieceJustificative, pk=piece_id, demande=demande)
    extension = "pdf" if fichier.est_pdf else fichier.fichier.name.rsplit(".", 1)[-1]
    return fichier_prive(
        fichier.fichier, fichier.type_mime, f"{fichier.nature}-{demande.numero}.{extension}"
    )


@agent_requis
def photo(request, numero: str):
    demande = _demande(request.user, numero)
    return fichier_prive(demande.photo, "image/jpeg", f"photo-{demande.numero}.jpg")


@agent_requis
def signature(request, numero: str):
    demande = _demande(request.user, numero)
    return fichier_prive(demande.signature, "image/png", f"signature-{demande.numero}.png")


@agent_requis
def document(request, numero: str, document_id: int):
    demande = _demande(request.user, numero)
    produit = get_object_or_404(demande.documents_produits, pk=document_id)
    return fichier_prive(produit.fichier, "application/pdf", produit.nom_telechargement)


# --- The request's thread with the candidate (echanges/) -------------------------------------


@agent_requis
def fil_messages(request, numero: str):
    """Any agent who may open the request reads its thread; the agents whose queue holds it
    are those it is written to (their reading is the candidate's read receipt); only the one
    who holds it writes (the claim rule of the actions)."""
    demande, prise = requetes_demande.demande_et_prise(request.user, numero)
    refus = None
    if prise is None or prise.agent_id != request.user.pk:
        refus = "Prenez d'abord cette demande en charge pour écrire au candidat."
    return echanges.traiter(
        request,
        demande,
        Cote.SERVICE,
        request.path,
        refus=refus,
        lecteur_concerne=queries.dans_la_file(request.user, demande),
    )


@agent_requis
def piece_jointe(request, numero: str, message_id: int):
    demande = _demande(request.user, numero)
    message = get_object_or_404(Message, pk=message_id, demande=demande)
    return fichier_prive(message.piece_jointe, message.type_mime, message.nom_original)
