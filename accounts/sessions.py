"""Django's cached_db sessions, read in one round trip with the accounts' generation.

Sessions live in the shared cache (Redis) and are written through to the database, as with
django.contrib.sessions.backends.cached_db. Loading one asks the cache for the accounts'
generation too (accounts/comptes_gardes.py), in the same MGET: the authentication backend
then knows whether the account it kept from an earlier request still holds, without a round
trip of its own.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from accounts import comptes_gardes


class SessionStore(cached_db.SessionStore):
    def load(self):
        if not settings.PERMIS_COMPTES_GARDES:
            return super().load()
        cle = self.cache_key
        try:
            valeurs = self._cache.get_many([cle, comptes_gardes.CLE])
            jeton = valeurs.get(comptes_gardes.CLE)
        except Exception:  # as Django's: a key the cache refuses resets the session
            valeurs, jeton = {}, comptes_gardes.PAS_LU
        comptes_gardes.jeton_lu_avec_la_session(jeton)
        data = valeurs.get(cle)
        if data is None:
            s = self._get_session_from_db()
            if s:
                data = self.decode(s.session_data)
                self._cache.set(cle, data, self.get_expiry_age(expiry=s.expire_date))
            else:
                data = {}
        return data
