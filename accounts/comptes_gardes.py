"""The logged-in account kept per process between requests, dropped by any write that changes it.

Every logged-in request read its account with its roles, TOTP and FranceConnect identity
from PostgreSQL (accounts/backends.py): about a fifth of the candidate home's CPU in the
worker, and PostgreSQL's on top, for a row that changes a few times in an account's life.
Each process now keeps the row it read, tagged with two generations: random tokens in the
shared cache, the accounts' one and the account's own, read with the session in the same round
trip (accounts/sessions.py: the account's key is known from the session's earlier requests in
this process; at its first, the account's token costs a second read). A write to one account
(its row, its groups, an authenticator, a FranceConnect identity) replaces that account's
token, a write to a group (renamed, deleted, its members changed from its side all at once)
the accounts' one, at once and again once its transaction has committed; a kept row serves
only under the two tokens it was read under. A login writes last_login: it renews that
account's token only, not every account kept by every process (with one token for all, at
peak hours each login sent every process back to the database for every account). Roles are
permissions: a role taken away, an account deactivated, a password or a second factor changed
apply at the next request, in every process.

Why the order holds (for each of the two tokens): a process reads the token, then, only if it
keeps nothing under it, the row. The token replaced after a write's commit is either read by
the process, which then reads the committed row, or read after it, and the row kept under the
old token never serves again. The replacement inside the transaction is for writes that never
commit (tests run in one transaction): alone it would not do, a row read before the commit
could be kept under it.

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

CLE = "comptes:generation"  # the cache key of the accounts' token; an account's: cle_du_compte
AGE_MAX = 60  # seconds a kept row serves at most, whatever the token says
TAILLE_MAX = 5_000  # rows kept per process; past it, all are dropped and kept afresh

PAS_LU = object()  # the session was not read by accounts.sessions: keep nothing

# The tokens read with this request's session, as (accounts' token, account's token, the
# account's key), taken by the authentication backend; reset when taken, so that no request
# uses another's.
_jeton_lu: contextvars.ContextVar = contextvars.ContextVar("jeton_des_comptes", default=PAS_LU)

# user id -> (tokens, monotonic time read, row as the backend's query returns it)
_lignes: dict = {}

# session key -> the user id its session holds, as text: the account's key read with it
_comptes_des_sessions: dict[str, str] = {}


def cle_du_compte(user_id) -> str:
    return f"{CLE}:{user_id}"


def compte_de_la_session(session_key) -> str | None:
    """The user id this session held at its last request in this process, or None."""
    return _comptes_des_sessions.get(session_key)


def retenir_la_session(session_key, user_id) -> None:
    if len(_comptes_des_sessions) >= TAILLE_MAX:
        _comptes_des_sessions.clear()
    _comptes_des_sessions[session_key] = user_id


def jeton_lu_avec_la_session(jeton) -> None:
    _jeton_lu.set(jeton)


def prendre_jeton():
    """The tokens read with this request's session (accounts' and account's), PAS_LU if none
    were, or None if the cache holds either not yet (a fresh one is put there for the next
    requests)."""
    lu = _jeton_lu.get()
    if lu is PAS_LU:
        return PAS_LU
    _jeton_lu.set(PAS_LU)
    general, du_compte, cle = lu
    if general is not None and du_compte is not None:
        return general, du_compte
    try:
        if general is None:
            cache.add(CLE, secrets.token_hex(8), timeout=None)
        if du_compte is None:
            cache.add(cle, secrets.token_hex(8), timeout=None)
    except Exception:  # the cache unreachable: nothing kept, the request goes on
        logger.warning("the accounts' generation could not be set", exc_info=True)
    return None


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


def _remplacer_les_jetons(cles: list[str]) -> None:
    cache.set_many({cle: secrets.token_hex(8) for cle in cles}, timeout=None)
    if CLE not in cles:  # a flushed cache: the accounts' token too, for the next reads
        cache.add(CLE, secrets.token_hex(8), timeout=None)


def oublier_les_comptes(using: str = "default", user_ids=None) -> None:
    """After a write that changes these accounts as read (every account: None): every process
    reads them again.

    Raises inside the transaction when the cache cannot be reached (the write does not
    happen unseen); after the commit, a failure is logged and AGE_MAX bounds its effect.
    """
    cles = [CLE] if user_ids is None else [cle_du_compte(user_id) for user_id in user_ids]
    if not cles:
        return
    _remplacer_les_jetons(cles)
    transaction.on_commit(lambda: _remplacer_les_jetons(cles), using=using, robust=True)
