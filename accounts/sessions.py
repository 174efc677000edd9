"""Django's cached_db sessions, read in one round trip with the accounts' generations.

Sessions live in the shared cache (Redis) and are written through to the database, as with
django.contrib.sessions.backends.cached_db. Loading one asks the cache for the accounts'
generation and the session's account's own too (accounts/comptes_gardes.py), in the same
MGET: the authentication backend then knows whether the account it kept from an earlier
request still holds, without a round trip of its own. The account is the one the session held
at its last request in this process (a session key never changes hands: login makes a new
one); at the first, its generation is read apart, once.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from accounts import comptes_gardes


class SessionStore(cached_db.SessionStore):
    def load(self):
        if not settings.PERMIS_COMPTES_GARDES:
            return super().load()
        cle = self.cache_key
        devine = comptes_gardes.compte_de_la_session(self.session_key)
        cles = [cle, comptes_gardes.CLE]
        if devine is not None:
            cles.append(comptes_gardes.cle_du_compte(devine))
        try:
            valeurs = self._cache.get_many(cles)
        except Exception:  # as Django's: a key the cache refuses resets the session
            valeurs, cles = {}, None
        data = valeurs.get(cle)
        if data is None:
            s = self._get_session_from_db()
            if s:
                data = self.decode(s.session_data)
                self._cache.set(cle, data, self.get_expiry_age(expiry=s.expire_date))
            else:
                data = {}
        compte = data.get(SESSION_KEY)
        if cles is None or compte is None:
            comptes_gardes.jeton_lu_avec_la_session(comptes_gardes.PAS_LU)
            return data
        cle_du_compte = comptes_gardes.cle_du_compte(compte)
        if compte == devine:
            du_compte = valeurs.get(cle_du_compte)
        else:  # the session's first request in this process
            comptes_gardes.retenir_la_session(self.session_key, compte)
            try:
                du_compte = self._cache.get(cle_du_compte)
            except Exception:
                comptes_gardes.jeton_lu_avec_la_session(comptes_gardes.PAS_LU)
                return data
        comptes_gardes.jeton_lu_avec_la_session(
            (valeurs.get(comptes_gardes.CLE), du_compte, cle_du_compte)
        )
        return data
