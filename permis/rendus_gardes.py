"""HTML rendered once per process for a key and reused: `RendusGardes`.

Several parts of pages are the same for many requests and costly to render (the header per
user name and roles, the footer, the queue's blank filters, the backlog's chart, the long
<select>s of the état civil). Each keeps its renders in a `RendusGardes`, whose key must hold
everything the HTML depends on. The store is bounded (emptied when it grows past its size, so
memory stays flat however many keys pass), and every store is forgotten when a setting
changes (override_settings in the tests) or, under runserver, when a template file changes
(the server keeps running then, and the kept HTML would hide the edit).
"""

from collections.abc import Callable
from pathlib import Path

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed

_MAGASINS: list["RendusGardes"] = []


class RendusGardes:
    def __init__(self, taille: int):
        self.taille = taille
        self._rendus: dict = {}
        _MAGASINS.append(self)

    def obtenir(self, cle, rendre: Callable[[], object]):
        """The render kept for `cle`, or `rendre()` kept for it. An unhashable key (a value
        that cannot be compared as a key) renders every time."""
        try:
            return self._rendus[cle]
        except TypeError:
            return rendre()
        except KeyError:
            pass
        rendu = rendre()
        if len(self._rendus) >= self.taille:
            self._rendus.clear()
        self._rendus[cle] = rendu
        return rendu

    def oublier(self) -> None:
        self._rendus.clear()

    def __len__(self) -> int:
        return len(self._rendus)


@receiver(setting_changed)
def _oublier_tout(**kwargs) -> None:
    for magasin in _MAGASINS:
        magasin.oublier()


@receiver(file_changed)
def _oublier_si_gabarit(sender, file_path: Path, **kwargs) -> None:
    if Path(file_path).suffix in {".html", ".txt", ".css", ".svg"}:
        _oublier_tout()
