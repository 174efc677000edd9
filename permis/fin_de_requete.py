"""Django's close_caches left off request_finished while no configured cache closes anything.

At the end of every request Django calls close() on each cache used (django.core.cache
.close_caches): for ours (permis.cache_redis, as Django's Redis backend, or LocMemCache) that
is BaseCache.close, which does nothing, after building the list of caches through asgiref's
Local (~5 µs a request). It is disconnected when every backend in CACHES has BaseCache's
close, connected again as Django does when one has its own (memcached's, which closes its
client), and decided again when CACHES changes (override_settings in the tests).
"""

from django.conf import settings
from django.core import signals
from django.core.cache import close_caches
from django.core.cache.backends.base import BaseCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


def rien_a_fermer() -> bool:
    """Whether every cache in CACHES closes nothing (BaseCache.close)."""
    for config in settings.CACHES.values():
        try:
            classe = import_string(config["BACKEND"])
        except (ImportError, KeyError):
            return False  # Django's close_caches then, as without this module
        if getattr(classe, "close", None) is not BaseCache.close:
            return False
    return True


def brancher() -> None:
    if rien_a_fermer():
        signals.request_finished.disconnect(close_caches)
    else:
        signals.request_finished.connect(close_caches)


@receiver(setting_changed)
def _caches_changees(setting, **kwargs) -> None:
    if setting == "CACHES":
        brancher()
