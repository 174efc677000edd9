"""The one authentication backend: the same work whether the account exists or not.

allauth's backend looks the login up as an email, then as an identifiant, then as an
email again, hashing the password at each account found, and Django's ModelBackend hashes
once more before it: an existing email cost three PBKDF2 runs, an unknown one two, which
told anyone with a stopwatch which emails have an account. Here every attempt gathers the
accounts the login may name (by email and by identifiant, each looked up once) and hashes
the password exactly once: against the account found, or against nothing.

It also loads the logged-in account with its roles in one query: every page reads them (the
header's menu, each view's permission check), and loaded apart they cost a second query on
each request. The same query says whether the account has a TOTP authenticator, which the
second-factor door (accounts/double_facteur.py) asks on every back-office page, and whether
it has a FranceConnect identity, which the request wizard reads at three of its steps: an
account without one (most) is then known to have none without a query.
"""

import functools

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.userkit import filter_users_by_email, get_user_by_username
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Exists, OuterRef

from accounts import comptes_gardes
from accounts.models import IdentitePivot, User
from permis.requetes_compilees import compilee

# What the account's query adds to its columns, read off the instance it gives.
_LUS_AVEC_LE_COMPTE = ("noms_des_roles", "a_totp", "a_identite")


# Compiled once per process (permis/requetes_compilees.py): building it through the ORM (the
# ArraySubquery above all) cost about a millisecond of CPU on every logged-in request, ten
# times what running it costs. Its rows are what accounts/comptes_gardes.py keeps.
@compilee(user_id=int)
def _compte_avec_roles(user_id: int):
    from django.contrib.postgres.expressions import ArraySubquery

    groupes = Group.objects.filter(user=OuterRef("pk")).values("name")
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    identite = IdentitePivot.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(pk=user_id).annotate(
        noms_des_roles=ArraySubquery(groupes), a_totp=Exists(totp), a_identite=Exists(identite)
    )


def _ligne_du_compte(user_id: int) -> tuple | None:
    lignes = _compte_avec_roles.lignes(user_id=user_id)
    return lignes[0] if lignes else None


# (secret key, password hash) -> User.get_session_auth_hash(), as Django computes it.
_HASHES_DE_SESSION: dict[tuple[str, str], str] = {}


def _hash_de_session(user: User) -> str:
    """User.get_session_auth_hash, which django.contrib.auth.get_user checks against the
    session's at every request: an HMAC of the password hash, the same until the password or
    the secret key changes, computed once per process for each pair of them."""
    cle = (settings.SECRET_KEY, user.password)
    try:
        return _HASHES_DE_SESSION[cle]
    except KeyError:
        if len(_HASHES_DE_SESSION) >= comptes_gardes.TAILLE_MAX:
            _HASHES_DE_SESSION.clear()
        valeur = _HASHES_DE_SESSION[cle] = User.get_session_auth_hash(user)
        return valeur


def _compte(ligne: tuple) -> User:
    user = _compte_avec_roles.objet(ligne)  # a new instance for each request
    roles, totp, identite = (user.__dict__.pop(nom) for nom in _LUS_AVEC_LE_COMPTE)
    user.get_session_auth_hash = functools.partial(_hash_de_session, user)
    user.__dict__["roles"] = frozenset(roles)  # primes User.roles
    user.a_totp_au_chargement = totp  # read by accounts.double_facteur.a_double_facteur
    if not identite:  # User.identite_franceconnect is None without a query
        User.identite_pivot.related.set_cached_value(user, None)
    return user


def compte_avec_roles(user_id) -> User | None:
    if connection.vendor != "postgresql":  # the embedded SQLite default: roles read apart
        return User.objects.filter(pk=user_id).first()
    ligne = _ligne_du_compte(User._meta.pk.to_python(user_id))
    return None if ligne is None else _compte(ligne)


def compte_de_la_session(user_id) -> User | None:
    """compte_avec_roles, from the row this process kept when the accounts' generation read
    with the session says it still holds (accounts/comptes_gardes.py)."""
    jeton = comptes_gardes.prendre_jeton()
    if jeton is None or jeton is comptes_gardes.PAS_LU or connection.vendor != "postgresql":
        return compte_avec_roles(user_id)
    user_id = User._meta.pk.to_python(user_id)
    ligne = comptes_gardes.ligne_gardee(user_id, jeton)
    if ligne is None:
        ligne = _ligne_du_compte(user_id)
        if ligne is None:
            return None
        comptes_gardes.garder(user_id, jeton, ligne)
    return _compte(ligne)


class ConnexionBackend(AuthenticationBackend):
    def get_user(self, user_id):
        user = compte_de_la_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _authenticate(self, request, **credentials):
        password = credentials.get("password") or ""
        saisies = dict.fromkeys(
            s for s in (credentials.get("email"), credentials.get("username")) if s
        )
        comptes = {}
        for saisie in saisies:
            for user in filter_users_by_email(saisie, prefer_verified=True, for_login=True):
                comptes.setdefault(user.pk, user)
            user = get_user_by_username(saisie)
            if user is not None:
                comptes.setdefault(user.pk, user)
        # Emails and identifiants are unique: at most one account, so at most one hash
        # (and AuthenticationBackend.authenticate hashes once when there was none).
        for user in comptes.values():
            if self._check_password(user, password):
                return user
        return None
