from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from accounts.enums import Role
from accounts.franceconnect import deconnexion


@login_required
def accueil(request):
    """Where each role lands after login."""
    user = request.user
    if user.has_role(Role.AGENT_CTN, Role.INSTRUCTEUR_DDT):
        return redirect("instruction:file")
    if user.has_role(Role.AUTO_ECOLE) and hasattr(user, "membre_auto_ecole"):
        return redirect("auto_ecoles:tableau_de_bord")
    if user.is_staff and not user.roles:
        return redirect("admin:index")
    return redirect("demandes:liste")


@require_GET
def franceconnect_deconnexion(request):
    """FranceConnect's post-logout return: the state must be the one this logout sent."""
    if deconnexion.retour_confirme(request, request.GET.get("state", "")):
        messages.success(request, "Vous êtes également déconnecté de FranceConnect.")
    else:
        messages.warning(
            request,
            "La déconnexion de FranceConnect n'a pas pu être confirmée. Fermez votre navigateur "
            "si vous utilisez un ordinateur partagé.",
        )
    return redirect("home")
