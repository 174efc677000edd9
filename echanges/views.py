"""The requester's side of a request's thread: the candidate, or the school under mandate.

The request is loaded through `Demande.objects.visibles_par(user)`: anyone else gets a 404,
for the thread and for each attachment. The back-office's side is in instruction/views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from demandes.enums import Etat
from demandes.fichiers_prives import fichier_prive
from demandes.models import Demande
from demandes.requetes_du_candidat import _compte, _forme
from echanges import fil
from echanges.enums import Cote
from echanges.forms import MessageForm
from echanges.models import EchangeRefuse, Message, fil_ouvert
from permis.requetes_compilees import compilee


@compilee(user_id=int, numero=str)  # on every view of the thread: building it cost ~1 ms
def _visible(actif: bool, roles: frozenset, user_id: int, numero: str):
    # The scope of the requester's pages (demandes.requetes_du_candidat: one query per kind of
    # account); the thread reads of its request only its number, state and candidate.
    return (
        Demande.objects.visibles_par(_compte(actif, roles, user_id))
        .exclude(etat=Etat.BROUILLON)
        .filter(numero=numero)
        .only("numero", "etat", "candidat_id")
    )


def _demande(user, numero: str) -> Demande:
    """`Demande.objects.visibles_par(user)` but drafts, asked for one request; 404 outside."""
    trouvees = _visible(*_forme(user), user_id=user.pk, numero=numero)
    if not trouvees:
        raise Http404("Demande introuvable.")
    return trouvees[0]


def traiter(
    request,
    demande: Demande,
    cote: Cote,
    retour: str,
    refus: str | None = None,
    lecteur_concerne: bool = True,
):
    """GET: the thread, the other side's messages now read by `request.user` when they are
    the one it is written to (the receipt its authors see); POST: send a message. Shared by
    both sides' views, once each checked who may see the thread. `refus`: why this reader
    may not write now (the form is not offered, a POST is refused with it)."""
    formulaire = MessageForm(request.POST or None, request.FILES or None)
    ouvert = fil_ouvert(demande)
    if not ouvert:
        refus = (
            f"Les échanges sur cette demande sont clos : elle est « {demande.get_etat_display()} »."
        )
    if request.method == "POST":
        if refus:
            messages.error(request, refus)
            return redirect(retour)
        if formulaire.is_valid():
            try:
                Message.objects.envoyer(
                    demande,
                    request.user,
                    cote,
                    formulaire.cleaned_data["texte"],
                    formulaire.fichier,
                )
            except EchangeRefuse as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Votre message a été envoyé.")
            return redirect(retour)
    # Read before the receipt is written, so the messages new to the reader are marked so.
    lignes = fil.lignes(demande, cote, request.user)
    # Nothing shown unread by this side: no UPDATE (a round trip and its WAL write) to make.
    if request.method != "POST" and lecteur_concerne and fil.a_lire(lignes):
        Message.objects.marquer_lus(demande, request.user, cote)
    # The page's body is kept by what it shows; a form sent back with its errors, live.
    page = None
    if not formulaire.is_bound:
        page = repr((cote, demande.numero, ouvert, refus, fil.cle_des_lignes(lignes)))
    return render(
        request,
        "echanges/fil.html",
        {
            "demande": demande,
            "cote": cote,
            "lignes": lignes,
            "ouvert": ouvert,
            "refus": refus,
            "form": formulaire,
            "page": page,
        },
    )


@login_required
def fil_demandeur(request, numero: str):
    demande = _demande(request.user, numero)
    return traiter(request, demande, Cote.DEMANDEUR, request.path)


@login_required
def piece_jointe(request, numero: str, message_id: int):
    message = get_object_or_404(
        Message.objects.visibles_par(request.user), pk=message_id, demande__numero=numero
    )
    return fichier_prive(message.piece_jointe, message.type_mime, message.nom_original)
