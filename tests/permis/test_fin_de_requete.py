"""permis/fin_de_requete.py: Django's close_caches off request_finished while no cache closes."""

from django.core import signals
from django.core.cache import close_caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from permis import fin_de_requete


class CacheQuiFerme(LocMemCache):
    fermetures = 0

    def close(self, **kwargs):
        type(self).fermetures += 1


def _branchee() -> bool:
    return close_caches in [r() for _, r, *_ in signals.request_finished.receivers]


def test_ni_redis_ni_locmem_ne_ferment_rien():
    assert fin_de_requete.rien_a_fermer()  # the project's cache (Redis, or LocMem without it)
    assert not _branchee()
    with override_settings(CACHES={"default": {"BACKEND": "permis.cache_redis.RedisCache"}}):
        assert fin_de_requete.rien_a_fermer()
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": locmem}):
        assert fin_de_requete.rien_a_fermer()
        assert not _branchee()  # no call to close() that does nothing at each request's end


def test_un_cache_qui_ferme_est_ferme_a_la_fin_de_chaque_requete(client):
    chemin = f"{__name__}.CacheQuiFerme"
    caches_ = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "autre": {"BACKEND": chemin},
    }
    with override_settings(CACHES=caches_):
        assert _branchee()
        from django.core.cache import caches

        caches["autre"].get("x")  # used in this request: closed at its end, as Django does
        avant = CacheQuiFerme.fermetures
        signals.request_finished.send(sender=None)
        assert CacheQuiFerme.fermetures == avant + 1
    assert _branchee() == (not fin_de_requete.rien_a_fermer())


def test_un_moteur_introuvable_laisse_django_faire():
    with override_settings(CACHES={"default": {"BACKEND": "nulle.part.Cache"}}):
        assert not fin_de_requete.rien_a_fermer()
        assert _branchee()
