"""The requester's side of a request's thread: the candidate, or the school under mandate.

The request is loaded through `Demande.objects.visibles_par(user)`: anyone else gets a 404,
for the thread and for each attachment. The back-office's side is in instruction/views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from demandes.enums import Etat
from demandes.fichiers_prives import fichier_prive
from demandes.models import Demande
from echanges import fil
from echanges.enums import Cote
from echanges.forms import MessageForm
from echanges.models import EchangeRefuse, Message, fil_ouvert


def _demande(user, numero: str) -> Demande:
    return get_object_or_404(
        Demande.objects.visibles_par(user).exclude(etat=Etat.BROUILLON), numero=numero
    )


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
    if request.method != "POST" and lecteur_concerne:
        Message.objects.marquer_lus(demande, request.user, cote)
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
