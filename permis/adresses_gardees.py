"""reverse() kept per process: the same URL name, arguments, prefix and language, the same path.

Django's reverse (every live `{% url %}`, every reverse() of a view, redirect() by name) reads
asgiref's Locals five times (the URLconf, the script prefix, the language three times) and
walks the resolver's possibilities: ~35 µs a call here. Its path depends on nothing but the
resolver (a new one after clear_url_caches(), which override_settings(ROOT_URLCONF) calls), the
script prefix, the language, the name, current_app and the arguments: kept under those, the
resolver itself part of the key, when the arguments are plain str or int (str() of anything
else may change) and there is no query or fragment.

Two bounded stores (permis/rendus_gardes.py, forgotten when a setting or a template changes):
the paths without arguments, a few hundred for the whole site (its names, prefixes and
languages), and those with arguments, one per request number or id met, so many that alone
they would push the others out at every turn of the store.
"""

import django.shortcuts
from django import urls
from django.urls import base
from django.utils.translation import get_language

from permis.rendus_gardes import RendusGardes

_SANS_ARGUMENTS = RendusGardes(taille=2_000)
_AVEC_ARGUMENTS = RendusGardes(taille=10_000)
_SIMPLES = (str, int)  # type() in it: neither bool nor str subclasses such as lazy strings
_reverse_de_django = base.reverse


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None, **options):
    if options or type(viewname) is not str or type(current_app) not in (str, type(None)):
        return _reverse_de_django(viewname, urlconf, args, kwargs, current_app, **options)
    args = tuple(args) if args else ()
    kwargs = tuple(sorted(kwargs.items())) if kwargs else ()
    if not all(type(a) in _SIMPLES for a in args) or not all(
        type(v) in _SIMPLES for _, v in kwargs
    ):
        return _reverse_de_django(viewname, urlconf, args, dict(kwargs), current_app)
    resolveur = base.get_resolver(base.get_urlconf() if urlconf is None else urlconf)
    cle = (resolveur, viewname, args, kwargs, current_app, base.get_script_prefix(), get_language())
    magasin = _AVEC_ARGUMENTS if args or kwargs else _SANS_ARGUMENTS
    return magasin.obtenir(
        cle, lambda: _reverse_de_django(viewname, urlconf, args, dict(kwargs), current_app)
    )


def installer() -> None:
    """In django.urls and the modules that imported it before the apps were ready."""
    base.reverse = urls.reverse = django.shortcuts.reverse = reverse
