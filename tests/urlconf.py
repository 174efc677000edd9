"""Every URL pattern of the portal, read from the URLconf itself, for the sweep tests.

A new view is in these lists as soon as it is routed: the sweeps cannot forget it.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Motif:
    """One routed pattern: `gabarit` is its path with %(name)s for each parameter."""

    gabarit: str
    parametres: tuple[str, ...]
    nom: str  # namespaced name ("demandes:detail"), "" when the pattern has none
    vue: object
    defauts: dict

    def chemin(self, valeurs: dict[str, str]) -> str:
        return "/" + self.gabarit % {p: valeurs[p] for p in self.parametres}

    @property
    def chemin_brut(self) -> str:
        return "/" + self.gabarit

    @property
    def module(self) -> str:
        vue = getattr(self.vue, "view_class", None) or getattr(self.vue, "cls", None) or self.vue
        return getattr(vue, "__module__", "") or ""


def motifs() -> list[Motif]:
    return list(_parcourir(get_resolver().url_patterns))


def _parcourir(patterns, gabarit="", parametres=(), espaces=()):
    for p in patterns:
        # The first reading Django's own reverse() would use for this pattern.
        morceau, noms = normalize(p.pattern.regex.pattern)[0]
        if isinstance(p, URLResolver):
            espace = (p.namespace,) if p.namespace else ()
            yield from _parcourir(
                p.url_patterns, gabarit + morceau, parametres + tuple(noms), espaces + espace
            )
        elif isinstance(p, URLPattern):
            nom = ":".join((*espaces, p.name)) if p.name else ""
            yield Motif(
                gabarit + morceau, parametres + tuple(noms), nom, p.callback, p.default_args
            )
