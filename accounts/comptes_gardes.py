"""The logged-in account kept per process between requests, dropped by any write that changes it.

Every logged-in request read its account with its roles, TOTP and FranceConnect identity
from PostgreSQL (accounts/backends.py): about a fifth of the candidate home's CPU in the
worker, and PostgreSQL's on top, for a row that changes a few times in an account's life.
Each process now keeps the row it read, tagged with the accounts' generation: a random token
in the shared cache, read with the session in the same round trip (accounts/sessions.py).
Every write that could change an account as read (its row, its groups, a group's name or
existence, an authenticator, a FranceConnect identity) replaces the token, at once and again
once its transaction has committed; a kept row serves only under the token it was read
under. Roles are permissions: a role taken away, an account deactivated, a password or a
second factor changed apply at the next request, in every process.

Why the order holds: a process reads the token, then, only if it keeps nothing under it,
the row. The token replaced after a write's commit is either read by the process, which then
reads the committed row, or read after it, and the row kept under the old token never serves
again. The replacement inside the transaction is for writes that never commit (tests run in
one transaction): alone it would not do, a row read before the commit could be kept under it.

A write made around the ORM's signals (SQL by hand, QuerySet.update, bulk_create on these
tables: the portal makes none, tests/accounts/test_comptes_gardes.py looks) would go unseen:
a kept row is read again after AGE_MAX seconds anyway, and sessions without the shared cache
(the embedded default, a cache per process) keep nothing.
"""

import contextvars
import logging
import secrets
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

CLE = "comptes:generation"  # the cache key of the token
AGE_MAX = 60  # seconds a kept row serves at most, whatever the token says
TAILLE_MAX = 5_000  # rows kept per process; past it, all are dropped and kept afresh

PAS_LU = object()  # the session was not read by accounts.sessions: keep nothing

# The token read with this request's session (None: the cache holds none yet), taken by the
# authentication backend; reset when taken, so that no request uses another's.
_jeton_lu: contextvars.ContextVar = contextvars.ContextVar("jeton_des_comptes", default=PAS_LU)

# user id -> (token, monotonic time read, row as the backend's query returns it)
_lignes: dict = {}


def jeton_lu_avec_la_session(jeton) -> None:
    _jeton_lu.set(jeton)


def prendre_jeton():
    """The token read with this request's session, PAS_LU if none was, or None if the cache
    holds none (a fresh one is put there for the next requests)."""
    jeton = _jeton_lu.get()
    if jeton is PAS_LU:
        return PAS_LU
    _jeton_lu.set(PAS_LU)
    if jeton is None:
        try:
            cache.add(CLE, secrets.token_hex(8), timeout=None)
        except Exception:  # the cache unreachable: nothing kept, the request goes on
            logger.warning("the accounts' generation could not be set", exc_info=True)
    return jeton


def ligne_gardee(user_id, jeton):
    """The row kept for this account under this token, or None."""
    garde = _lignes.get(user_id)
    if garde is None or garde[0] != jeton or time.monotonic() - garde[1] > AGE_MAX:
        return None
    return garde[2]


def garder(user_id, jeton, ligne) -> None:
    if len(_lignes) >= TAILLE_MAX:
        _lignes.clear()
    _lignes[user_id] = (jeton, time.monotonic(), ligne)


def _remplacer_le_jeton() -> None:
    cache.set(CLE, secrets.token_hex(8), timeout=None)


def oublier_les_comptes(using: str = "default") -> None:
    """After a write that changes an account as read: every process reads it again.

    Raises inside the transaction when the cache cannot be reached (the write does not
    happen unseen); after the commit, a failure is logged and AGE_MAX bounds its effect.
    """
    _remplacer_le_jeton()
    transaction.on_commit(_remplacer_le_jeton, using=using, robust=True)
