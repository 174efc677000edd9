from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from demandes.models import Demande


@login_required
def liste(request):
    demandes = Demande.objects.visibles_par(request.user).order_by("-modifie_le")
    return render(request, "demandes/liste.html", {"demandes": demandes})


@login_required
def detail(request, numero: str):
    demande = get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    return render(
        request,
        "demandes/detail.html",
        {
            "demande": demande,
            "historique": demande.historique(),
            "peut_abandonner": "abandonner" in demande.transitions_possibles(request.user),
        },
    )


@login_required
@require_POST
def abandonner(request, numero: str):
    demande = get_object_or_404(Demande.objects.visibles_par(request.user), numero=numero)
    try:
        demande.executer("abandonner", par=request.user)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"La demande {demande.numero} a été abandonnée.")
    return redirect("demandes:detail", numero=demande.numero)
