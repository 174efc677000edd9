"""Django's AuthenticationMiddleware, the session's account found without the per-request
imports of django.contrib.auth.get_user.

At every logged-in request Django's get_user looked the user model up again
(get_user_model(): the setting split, the app registry asked) to convert the session's id,
and made a new backend by its dotted path (load_backend: import_string, then the class
called). Here the user model's key field and each backend named in AUTHENTICATION_BACKENDS
are found once per process, and again when either setting changes (override_settings in
the tests). The backends are stateless (accounts.backends.ConnexionBackend keeps nothing on
itself), so one instance serves every request. Everything else is Django's get_user, copied
for the Django version it was read from (VERSION_DJANGO: tests/accounts/test_authentification.py
fails on another; compare with its django.contrib.auth.get_user, then update it), and on
another version Django's own is called.
"""

from functools import partial

import django
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import middleware as middleware_de_django
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

VERSION_DJANGO = (5, 2)  # the django.contrib.auth.get_user copied below
_COPIE_A_JOUR = django.VERSION[:2] == VERSION_DJANGO
# "pk": the user model's key field; a backend's dotted path: its instance.
_TROUVES: dict = {}


def _champ_de_la_cle():
    try:
        return _TROUVES["pk"]
    except KeyError:
        champ = _TROUVES["pk"] = auth.get_user_model()._meta.pk
        return champ


def _backend(chemin: str):
    try:
        return _TROUVES[chemin]
    except KeyError:
        backend = _TROUVES[chemin] = auth.load_backend(chemin)
        return backend


@receiver(setting_changed)
def _oublier(setting, **kwargs) -> None:
    if setting in ("AUTH_USER_MODEL", "AUTHENTICATION_BACKENDS"):
        _TROUVES.clear()


def get_user(request):
    """django.contrib.auth.get_user (Django 5.2), the model's key field and the backend kept."""
    if not _COPIE_A_JOUR:
        return auth.get_user(request)
    from django.contrib.auth.models import AnonymousUser

    user = None
    try:
        user_id = _champ_de_la_cle().to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = _backend(backend_path)
            user = backend.get_user(user_id)
            # Verify the session
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    # If the current secret does not verify the session, try
                    # with the fallback secrets and stop when a matching one is
                    # found.
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None

    return user or AnonymousUser()


def _utilisateur(request):
    """django.contrib.auth.middleware.get_user: the user found once per request."""
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(middleware_de_django.AuthenticationMiddleware):
    """Django's (a subclass, as the admin's check asks), with get_user above."""

    def process_request(self, request):
        if not hasattr(request, "session"):
            return super().process_request(request)  # Django's ImproperlyConfigured
        request.user = SimpleLazyObject(partial(_utilisateur, request))
        request.auser = partial(middleware_de_django.auser, request)
