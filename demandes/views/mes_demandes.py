"""The candidate's requests: "Mes demandes", one request's page, resuming, withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django_fsm import TransitionNotAllowed

from demandes import etats, requetes_du_candidat, wizard
from demandes.enums import Etat, Motif
from demandes.models import Demande, demandes_et_documents
from permis.pages_gardees import PagesGardees
from permis.templatetags.fragments import cle_de_l_en_tete

ETATS = dict(Etat.choices)


# « Mes demandes » and a request's page kept whole (permis/pages_gardees.py) per every value
# they show (`lignes`, `contenu`) and the header's key: their holes are base.html's messages
# and nonce, the header's CSRF token, and in a request's page the resend form's. About 16
# and 18 kB a page.
_LISTES = PagesGardees(taille=500)
_PAGES = PagesGardees(taille=500)


def _en_tete(request) -> tuple:
    """The header's key (its user's name and roles, the page): part of a kept page's key, as
    the page kept under another would be checked and rendered in full at every view."""
    return cle_de_l_en_tete({"user": request.user, "request": request})


@login_required
def liste(request):
    texte = requetes_du_candidat.texte_de_mes_demandes(request.user)
    return _LISTES.reponse(
        request,
        (texte, _en_tete(request)),
        {"lignes": texte},  # the kept body's key, checked at each view
        lambda: TemplateResponse(
            request,
            "demandes/liste.html",
            # The rows as read (one JSON text) hold every value liste.html shows: the key
            # its HTML is kept under ({% fige %}), so that any change to what it shows
            # renders it again.
            {"lignes": texte, "liste": _Liste(texte)},
        ),
    )


class _Liste:
    """The requests of the rows, made only when the kept HTML is rendered anew."""

    def __init__(self, texte: str):
        self._texte = texte

    @cached_property
    def _demandes(self) -> list[Demande]:
        return demandes_et_documents(
            requetes_du_candidat.lignes_de(self._texte), requetes_du_candidat.COLONNES_LISTE
        )

    @cached_property
    def brouillons(self) -> list[Demande]:
        return [d for d in self._demandes if d.etat == Etat.BROUILLON]

    @cached_property
    def deposees(self) -> list[Demande]:
        return [d for d in self._demandes if d.etat != Etat.BROUILLON]


# What detail.html shows of the request itself: part of the key its HTML is kept under
# (who filed it and for whom: the history names its authors from them, etats.auteur).
COLONNES_DETAIL = (
    "numero",
    "motif",
    "categories",
    "etat",
    "etat_modifie_le",
    "motifs_rejet",
    "pieces_a_completer",
    "completer_avant",
    "message_candidat",
    "neph",
    "numero_suivi",
    "candidat_id",
    "depose_par_id",
)


@login_required
def detail(request, numero: str):
    demande = requetes_du_candidat.demande_visible(request.user, numero)
    delai = demande.delai_constate()
    en_retard = delai is not None and delai.depasse_par(demande)
    peut_abandonner = peut_abandonner_la(demande, request.user)
    etape_a_reprendre = (
        wizard.etape_a_reprendre(demande) if demande.etat == Etat.BROUILLON else None
    )
    # Every value the page's kept part shows ({% fige %} in detail.html; the CSRF token is a
    # live hole in it): the history, pieces and documents as read with the request, their
    # JSON texts, and what the apps read with it show (the thread's counts, its messages).
    contenu = (
        *(_valeur_cle(getattr(demande, colonne)) for colonne in COLONNES_DETAIL),
        (delai.departement, delai.mediane, delai.decile_9) if delai else None,
        en_retard,
        demande.historique_lu,  # JSON texts
        demande.pieces_lues,
        demande.documents_lus,
        peut_abandonner,
        etape_a_reprendre.slug if etape_a_reprendre else None,
        *(lu.cle(demande, request.user) for lu in requetes_du_candidat.LUS_AVEC_LA_DEMANDE),
    )

    def page_complete():
        return TemplateResponse(
            request,
            "demandes/detail.html",
            {
                "demande": demande,
                "delai": delai,
                "en_retard": en_retard,
                "lus": _Lus(demande),
                "a_faire": etats.a_faire(demande),
                "sens": etats.sens(demande.etat),
                "peut_abandonner": peut_abandonner,
                "etape_a_reprendre": etape_a_reprendre,
                "contenu": contenu,
            },
        )

    # The inner fragments' keys read its number and `contenu`.
    trous = {"demande": demande, "contenu": contenu}
    return _PAGES.reponse(request, (contenu, _en_tete(request)), trous, page_complete)


class _Lus:
    """The request's history, pieces and documents as the page shows them, made from what was
    read with it only when the kept HTML is rendered anew."""

    def __init__(self, demande: Demande):
        self._demande = demande

    @cached_property
    def historique(self) -> list[tuple]:
        demande = self._demande
        return [
            (entree, ETATS.get(entree.state, entree.state), etats.auteur(entree, demande))
            for entree in requetes_du_candidat.historique(demande)
        ]

    @cached_property
    def pieces(self) -> list:
        return requetes_du_candidat.pieces(self._demande)

    @cached_property
    def documents(self) -> list:
        return requetes_du_candidat.documents(self._demande)


_ABANDONNER = Demande.abandonner._django_fsm  # type: ignore[attr-defined]


def peut_abandonner_la(demande: Demande, user) -> bool:
    """Whether `user` may withdraw `demande` now: "abandonner" among its
    transitions_possibles, judged as django-fsm judges it (from this state, its conditions,
    its permission) for that transition alone, not for all of them (a draft's completeness,
    deposer's condition, is no question of the page's)."""
    etat = demande.etat
    return (
        _ABANDONNER.has_transition(etat)
        and _ABANDONNER.conditions_met(demande, etat)
        and _ABANDONNER.get_transition(etat).has_perm(demande, user)
    )


def _valeur_cle(valeur):
    """A column's value as part of a key: its lists (ArrayField) as tuples."""
    return tuple(valeur) if isinstance(valeur, list) else valeur


@login_required
def reprendre(request, numero: str):
    """Back to a draft where the candidate stopped: its first incomplete step."""
    demande = get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    if demande.etat != Etat.BROUILLON:
        return redirect("demandes:detail", numero=demande.numero)
    etape = wizard.etape_a_reprendre(demande)
    return redirect("demandes:etape", numero=demande.numero, slug=etape.slug)


@login_required
def abandonner(request, numero: str):
    """Withdrawing is final: a page says what it costs, and only its confirmed form withdraws."""
    demande = get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    if request.method != "POST" or request.POST.get("confirmation") != "oui":
        if not peut_abandonner_la(demande, request.user):
            messages.error(request, "Cette demande ne peut plus être abandonnée.")
            return redirect("demandes:detail", numero=demande.numero)
        return render(
            request,
            "demandes/abandonner.html",
            {"demande": demande, "montant_timbre": Motif(demande.motif).timbre_fiscal},
        )
    try:
        demande.executer("abandonner", par=request.user)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"La demande {demande.numero} a été abandonnée.")
    return redirect("demandes:detail", numero=demande.numero)
