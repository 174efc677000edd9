"""The one authentication backend: the same work whether the account exists or not.

allauth's backend looks the login up as an email, then as an identifiant, then as an
email again, hashing the password at each account found, and Django's ModelBackend hashes
once more before it: an existing email cost three PBKDF2 runs, an unknown one two, which
told anyone with a stopwatch which emails have an account. Here every attempt gathers the
accounts the login may name (by email and by identifiant, each looked up once) and hashes
the password exactly once: against the account found, or against nothing.

It also loads the logged-in account with its roles in one query: every page reads them (the
header's menu, each view's permission check), and loaded apart they cost a second query on
each request.
"""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.userkit import filter_users_by_email, get_user_by_username
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import OuterRef

from accounts.models import User


def compte_avec_roles(user_id) -> User | None:
    comptes = User.objects.filter(pk=user_id)
    if connection.vendor != "postgresql":  # the embedded SQLite default: roles read apart
        return comptes.first()
    from django.contrib.postgres.expressions import ArraySubquery

    groupes = Group.objects.filter(user=OuterRef("pk")).values("name")
    user = comptes.annotate(noms_des_roles=ArraySubquery(groupes)).first()
    if user is not None:
        user.__dict__["roles"] = frozenset(user.noms_des_roles)  # primes User.roles
    return user


class ConnexionBackend(AuthenticationBackend):
    def get_user(self, user_id):
        user = compte_avec_roles(user_id)
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
