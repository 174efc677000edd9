from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.enums import ROLES_AGENTS


def agent_requis(view):
    """Back-office views: CTN agents and DDT instructors only (candidates get 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(*ROLES_AGENTS):
            raise PermissionDenied("Espace réservé aux agents instructeurs.")
        return view(request, *args, **kwargs)

    return wrapped
