"""Path converters for the values the portal puts in its URLs.

Each matches only what the portal itself generates, so a malformed segment (a NUL byte,
a control character, a quote) is a 404 from the resolver, before any view or query.
Importing this module registers them; the urls.py files that use them import it.
"""

from django.urls import register_converter


class NumeroDemande:
    """A request number as demandes/numeros.py writes it: XXXX-XXXX-XXXX in Crockford base 32."""

    regex = "[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class Jeton:
    """A token, code or number drawn by the portal or a simulator: URL-safe, at most 64."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NumeroDemande, "numero")
register_converter(Jeton, "jeton")
