"""The login, sign-up and password reset pages as an anonymous visitor opens them, blank: kept
whole.

Routed before allauth's URLs (permis/urls.py), these views answer the plain GET of a visitor
who is not logged in, has no login under way and nothing offered to the form: allauth would
show them all the same page but for the CSRF token, `next` and the messages. They get it from
the kept page (permis/pages_gardees.py), rendered the first time by allauth's own view, its
holes filled with what allauth's view computes for them. Anything else (a form sent, a
logged-in visitor, a pending login, an address offered, an AJAX call) goes to allauth's view,
with its rate limits, its checks of `next` and its messages.
"""

from allauth.account.adapter import get_adapter
from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
from allauth.account.mixins import NextRedirectMixin
from allauth.account.utils import passthrough_next_redirect_url
from allauth.account.views import login, password_reset, signup
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic.base import ContextMixin

from permis.pages_gardees import PagesGardees

_PAGES = PagesGardees(taille=20)


def _vierge(request) -> bool:
    """Whether allauth's login or sign-up view would answer with its blank page: a GET with at
    most `next`, not AJAX, from a visitor not logged in, with no login stashed in the session
    (allauth resumes it). The messages are a live part of the page."""
    return (
        request.method == "GET"
        and request.GET.keys() <= {"next"}
        and not get_adapter(request).is_ajax(request)
        and not request.user.is_authenticated
        and LOGIN_SESSION_KEY not in request.session
    )


class _Suivant(NextRedirectMixin, ContextMixin):
    """allauth's own computation of the `next` hidden field (NextRedirectMixin)."""

    def __init__(self, request):
        self.request = request


def _trous(request) -> dict:
    """What the page's holes read, as allauth's views put it in their context: the `next`
    field, and the links to the other page with `next` if it is safe (get_entrance_context_data)."""
    return {
        **_Suivant(request).get_context_data(),
        "signup_url": passthrough_next_redirect_url(request, reverse("account_signup"), "next"),
        "login_url": passthrough_next_redirect_url(request, reverse("account_login"), "next"),
    }


@login_not_required
@never_cache
def connexion(request):
    if not _vierge(request):
        return login(request)
    return _PAGES.reponse(request, "connexion", _trous(request), lambda: login(request))


@login_not_required
@never_cache
def inscription(request):
    if not (
        _vierge(request)
        and get_adapter(request).is_open_for_signup(request)  # else allauth says it is closed
        # allauth offers the address a social login verified (SignupView.get_context_data)
        and not request.session.get("account_verified_email")
    ):
        return signup(request)
    return _PAGES.reponse(request, "inscription", _trous(request), lambda: signup(request))


@login_not_required
def mot_de_passe_oublie(request):
    # (allauth's reset page is not never_cache, unlike its login and sign-up: same headers)
    if not _vierge(request):
        return password_reset(request)
    return _PAGES.reponse(
        request, "mot de passe oublié", _trous(request), lambda: password_reset(request)
    )
