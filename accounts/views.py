from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from accounts.enums import Role


@login_required
def accueil(request):
    """Where each role lands after login."""
    user = request.user
    if user.has_role(Role.AGENT_CTN, Role.INSTRUCTEUR_DDT):
        return redirect("instruction:file")
    if user.is_staff and not user.roles:
        return redirect("admin:index")
    return redirect("demandes:liste")
