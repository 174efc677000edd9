"""accounts/authentification.py: Django's get_user, the user model's key and the backend kept."""

import inspect
import re
from unittest import mock

import django
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory, override_settings
from django.urls import reverse

from accounts import authentification

CHEMIN = "accounts.backends.ConnexionBackend"


def _code(fonction) -> str:
    """The function's code without its docstring, comments and any blank (as formatted)."""
    source = re.sub(r'"""[\s\S]*?"""', "", inspect.getsource(fonction))
    return re.sub(r"\s", "", "".join(ligne.split("#")[0] for ligne in source.splitlines()))


def test_la_copie_est_celle_de_django():
    """On another Django, compare its django.contrib.auth.get_user with ours, then update
    VERSION_DJANGO."""
    assert django.VERSION[:2] == authentification.VERSION_DJANGO
    notre = _code(authentification.get_user)
    notre = notre.replace("ifnot_COPIE_A_JOUR:returnauth.get_user(request)", "")
    notre = notre.replace("fromdjango.contrib.auth.models", "from.models")
    notre = notre.replace(
        "_champ_de_la_cle().to_python(request.session[SESSION_KEY])",
        "_get_user_session_key(request)",
    )
    notre = notre.replace("=_backend(backend_path)", "=load_backend(backend_path)")
    assert notre == _code(auth.get_user)


def test_ni_le_modele_ni_le_backend_cherches_a_chaque_requete(client, candidat):
    client.force_login(candidat)
    client.get(reverse("home"))
    with (
        mock.patch.object(auth, "load_backend", wraps=auth.load_backend) as load_backend,
        mock.patch.object(auth, "get_user_model", wraps=auth.get_user_model) as modele,
    ):
        reponse = client.get(reverse("home"))
    assert reponse.context["user"] == candidat  # the same account, found
    assert load_backend.call_count == 0  # Django's get_user: once a request each
    assert modele.call_count == 0


def _requete(session: dict):
    store = SessionStore()
    store.update(session)
    store.save()
    requete = RequestFactory().get("/")
    requete.session = SessionStore(store.session_key)
    return requete


def test_comme_django_pour_chaque_session(candidat, settings):
    bonne = {
        SESSION_KEY: str(candidat.pk),
        BACKEND_SESSION_KEY: CHEMIN,
        HASH_SESSION_KEY: candidat.get_session_auth_hash(),
    }
    cas = {
        "bonne": bonne,
        "vide": {},
        "autre hash": {**bonne, HASH_SESSION_KEY: "x" * 64},
        "sans hash": {k: v for k, v in bonne.items() if k != HASH_SESSION_KEY},
        "backend retiré": {**bonne, BACKEND_SESSION_KEY: "django.contrib.auth.backends.X"},
        "compte inconnu": {**bonne, SESSION_KEY: str(candidat.pk + 10_000)},
    }
    for nom, session in cas.items():
        a, b = _requete(session), _requete(session)
        de_django, notre = auth.get_user(a), authentification.get_user(b)
        assert type(notre) is type(de_django), nom
        assert notre.pk == de_django.pk, nom
        assert dict(b.session.items()) == dict(a.session.items()), nom  # flushed alike
    assert authentification.get_user(_requete(bonne)) == candidat
    assert isinstance(authentification.get_user(_requete(cas["autre hash"])), AnonymousUser)


def test_une_ancienne_cle_secrete_renouvelle_la_session(candidat, settings):
    ancien = candidat.get_session_auth_hash()
    session = {SESSION_KEY: str(candidat.pk), BACKEND_SESSION_KEY: CHEMIN, HASH_SESSION_KEY: ancien}
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une-autre-cle-secrete-0123456789-abcdefghijklmnopqrstuvwxyz"
    requete = _requete(session)
    avant = requete.session.session_key
    assert authentification.get_user(requete) == candidat
    assert requete.session.session_key != avant  # cycle_key, as Django
    assert requete.session[HASH_SESSION_KEY] == candidat.get_session_auth_hash() != ancien


def test_un_autre_backend_apres_un_changement_de_reglage(candidat):
    session = {
        SESSION_KEY: str(candidat.pk),
        BACKEND_SESSION_KEY: CHEMIN,
        HASH_SESSION_KEY: candidat.get_session_auth_hash(),
    }
    assert authentification.get_user(_requete(session)) == candidat
    with override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"]):
        assert isinstance(authentification.get_user(_requete(session)), AnonymousUser)
        modele = {**session, BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"}
        user = authentification.get_user(_requete(modele))
        assert user == candidat and not hasattr(user, "a_totp_au_chargement")  # ModelBackend's
    assert authentification.get_user(_requete(session)).a_totp_au_chargement is False


def test_le_middleware_est_celui_de_django():
    from django.contrib.auth.middleware import AuthenticationMiddleware

    assert issubclass(authentification.AuthenticationMiddleware, AuthenticationMiddleware)
