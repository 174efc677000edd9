"""The one loader of the outside services (docs/services.md).

Each outside service the portal calls (photo booth, tax stamp shop, SMS gateway, print
centre, post office) has a small `Protocol` and a `client()` beside the code that calls
it; `client()` asks this loader for an instance of the class whose import path is in the
service's `PERMIS_*` setting, so the simulator of `simulateurs/` and a real client are
swapped by configuration only.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def classe(chemin: str) -> type:
    return import_string(chemin)


def charger(reglage: str):
    """A new instance of the class named by `settings.<reglage>` (an import path)."""
    return classe(getattr(settings, reglage))()
