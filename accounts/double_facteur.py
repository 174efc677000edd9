"""Staff accounts need a second factor (allauth.mfa: TOTP, with recovery codes).

Administrators, CTN agents and DDT instructors see every candidate's identity documents.
Before they reach the back-office or the admin they enrol a TOTP authenticator (an app on
their phone); from then on allauth asks for a code at every login, the admin's included
(its login is allauth's, see permis/urls.py). A session opened with the password alone,
before the enrolment, confirms a code first.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.enums import ROLES_AGENTS

# The URL namespaces of the back-office and the admin.
ESPACES_PROTEGES = frozenset({"instruction", "admin"})
VUES_LIBRES = frozenset({"admin:logout"})
# Where allauth logs the ways this session was authenticated (password, mfa, socialaccount).
METHODES_DE_LA_SESSION = "account_authentication_methods"

MESSAGE_ACTIVATION = (
    "Votre compte donne accès aux dossiers des candidats : activez la double "
    "authentification avant d'y accéder. Ajoutez la clé ci-dessous dans une application "
    "d'authentification (FreeOTP, Aegis, Google Authenticator…), puis saisissez le code à six "
    "chiffres qu'elle affiche."
)


def doit_avoir_double_facteur(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or user.has_role(*ROLES_AGENTS)
    )


def a_double_facteur(user) -> bool:
    # The request's account was read with the answer (accounts/backends.py): no second query
    # on each back-office page. The door asks before the view, so nothing changed it since.
    connu = getattr(user, "a_totp_au_chargement", None)
    if connu is not None:
        return connu
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def session_confirmee(request) -> bool:
    """False when allauth opened this session without a second factor (before enrolment)."""
    methodes = request.session.get(METHODES_DE_LA_SESSION)
    if methodes is None:
        return True  # not opened by allauth's login: no step of it to check
    return any(m.get("method") == "mfa" for m in methodes)


class DoubleFacteurMiddleware:
    """After AuthenticationMiddleware: staff without a second factor stop at the door."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not ESPACES_PROTEGES & set(match.namespaces):
            return None
        if match.view_name in VUES_LIBRES or not doit_avoir_double_facteur(request.user):
            return None
        suite = urlencode({"next": request.get_full_path()})
        if not a_double_facteur(request.user):
            messages.info(request, MESSAGE_ACTIVATION)
            return redirect(f"{reverse('mfa_activate_totp')}?{suite}")
        if not session_confirmee(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{suite}")
        return None
