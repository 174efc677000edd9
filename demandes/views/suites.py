"""What the candidate does after the back-office asked: replace the requested documents and
send the request back (completer), or ask for a returned licence to be posted again
(reexpedier)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from demandes import uploads
from demandes.enums import Etat
from demandes.forms import PiecesForm
from demandes.models import Demande, PieceJustificative


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


def _remplacee_depuis_la_demande(demande: Demande) -> set[str]:
    """Natures of the requested pieces sent again since the request went back to the candidate."""
    return set(
        demande.pieces.filter(
            nature__in=demande.pieces_a_completer, cree_le__gte=demande.etat_modifie_le
        ).values_list("nature", flat=True)
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
            with transaction.atomic():
                verrouillee = Demande.objects.select_for_update().get(pk=demande.pk)
                if verrouillee.etat != Etat.A_COMPLETER:
                    raise TransitionNotAllowed("Cette demande a déjà été renvoyée.")
                # Each valid file is kept, even when another one is refused.
                for nature, fichier in form.valides.items():
                    PieceJustificative.objects.remplacer(verrouillee, nature, fichier)
                manquantes = [
                    nature
                    for nature in form.natures
                    if nature.value not in _remplacee_depuis_la_demande(verrouillee)
                ]
                if not manquantes:
                    verrouillee.executer("completer", par=request.user)
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
            if nature.value not in form.errors:
                form.add_error(nature.value, "Ajoutez le nouveau justificatif.")
    return render(
        request,
        "demandes/completer.html",
        {
            "demande": demande,
            "form": form,
            "remplacees": _remplacee_depuis_la_demande(demande),
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
