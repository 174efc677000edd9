"""What the candidate does after the back-office asked: replace the requested documents and
send the request back (completer), or ask for a returned licence to be posted again
(reexpedier)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from demandes import uploads
from demandes.enums import Etat
from demandes.forms import PiecesForm
from demandes.models import Demande


class RemplacementPiecesForm(PiecesForm):
    """Only the pieces the agent asked for; each must be sent again."""

    def __init__(self, *args, demande: Demande, **kwargs):
        super().__init__(*args, demande=demande, **kwargs)
        demandees = set(demande.pieces_a_completer)
        for nature in self.natures:
            if nature.value not in demandees:
                del self.fields[nature.value]
        self.natures = [nature for nature in self.natures if nature.value in demandees]
        for nature in self.natures:
            champ = self.fields[nature.value]
            champ.help_text = (
                f"JPEG, PNG ou PDF, {uploads.TAILLE_MAX // (1024 * 1024)} Mo au plus. "
                "Le nouveau fichier remplace celui qui a été refusé."
            )


@login_required
def completer(request, numero: str):
    demande = get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    if demande.etat != Etat.A_COMPLETER:
        messages.info(request, "Cette demande n'attend pas de pièce de votre part.")
        return redirect("demandes:detail", numero=demande.numero)
    form = RemplacementPiecesForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        demande=demande,
    )
    if request.method == "POST":
        form.is_valid()
        try:
            manquantes = demande.remplacer_pieces_demandees(form.valides, par=request.user)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("demandes:detail", numero=demande.numero)
        if not manquantes:
            messages.success(
                request,
                f"Merci : votre demande {demande.numero} est renvoyée au service instructeur.",
            )
            return redirect("demandes:detail", numero=demande.numero)
        for nature in manquantes:
            if nature in form.fields and nature not in form.errors:
                form.add_error(nature, "Ajoutez le nouveau justificatif.")
    return render(
        request,
        "demandes/completer.html",
        {
            "demande": demande,
            "form": form,
            "remplacees": demande.pieces_remplacees(),
        },
    )


@login_required
@require_POST
def reexpedier(request, numero: str):
    demande = get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    try:
        demande.executer("reexpedier", par=request.user)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Votre permis va vous être renvoyé : vous recevrez son numéro de suivi."
        )
    return redirect("demandes:detail", numero=demande.numero)
