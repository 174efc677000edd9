"""The one authentication backend: the same work whether the account exists or not.

allauth's backend looks the login up as an email, then as an identifiant, then as an
email again, hashing the password at each account found, and Django's ModelBackend hashes
once more before it: an existing email cost three PBKDF2 runs, an unknown one two, which
told anyone with a stopwatch which emails have an account. Here every attempt gathers the
accounts the login may name (by email and by identifiant, each looked up once) and hashes
the password exactly once: against the account found, or against nothing.
"""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.userkit import filter_users_by_email, get_user_by_username


class ConnexionBackend(AuthenticationBackend):
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
