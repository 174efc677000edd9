"""Logging out of the portal also ends the FranceConnect session (RP-initiated logout).

At a FranceConnect login the ID token is kept in the portal's session; at logout the
portal sends the browser to FranceConnect's end-session endpoint with that `id_token_hint`,
a fresh `state` and the registered `post_logout_redirect_uri`, and checks the state when
FranceConnect sends the browser back.
"""

import logging
import secrets

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.utils import build_absolute_uri
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from accounts.franceconnect.views import PROVIDER_ID

logger = logging.getLogger(__name__)

SESSION_ID_TOKEN = "franceconnect_id_token"
SESSION_ETAT = "franceconnect_etat_deconnexion"


def memoriser_id_token(request, id_token: str) -> None:
    request.session[SESSION_ID_TOKEN] = id_token


def url_fin_de_session(request) -> str | None:
    """Where to send the browser to end its FranceConnect session, or None if it has none."""
    id_token = request.session.get(SESSION_ID_TOKEN)
    if not id_token:
        return None
    try:
        provider = get_adapter(request).get_provider(request, PROVIDER_ID)
        endpoint = provider.get_oauth2_adapter(request).openid_config["end_session_endpoint"]
    except (SocialApp.DoesNotExist, requests.RequestException, KeyError, ValueError):
        logger.warning("FranceConnect end-session endpoint unavailable", exc_info=True)
        return None
    etat = secrets.token_urlsafe(32)
    # Stored in the new session once Django's logout has flushed the old one.
    request._franceconnect_etat_deconnexion = etat
    retour = build_absolute_uri(request, reverse("accounts:franceconnect_deconnexion"))
    parametres = {"id_token_hint": id_token, "state": etat, "post_logout_redirect_uri": retour}
    return f"{endpoint}?{urlencode(parametres)}"


def apres_deconnexion(request) -> None:
    etat = getattr(request, "_franceconnect_etat_deconnexion", None)
    if etat:
        request.session[SESSION_ETAT] = etat


def retour_confirme(request, etat: str) -> bool:
    """Whether FranceConnect came back with the state this browser's logout sent."""
    attendu = request.session.pop(SESSION_ETAT, "")
    return bool(attendu) and constant_time_compare(attendu, etat or "")
