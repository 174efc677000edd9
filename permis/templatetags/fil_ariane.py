"""`{% fil_ariane %}`: django-dsfr's breadcrumb, with its data given in the template.

`dsfr_breadcrumb` takes a dict, which a template cannot build; this tag takes the current
page's title then (title, url) pairs of the pages above it, and renders the same
dsfr/breadcrumb.html (whose first link is always the home page).
"""

from django import template

register = template.Library()


@register.inclusion_tag("dsfr/breadcrumb.html")
def fil_ariane(courant: str, *liens: str) -> dict:
    if len(liens) % 2:
        raise template.TemplateSyntaxError("fil_ariane takes (title, url) pairs after the title")
    paires = zip(liens[::2], liens[1::2], strict=True)
    return {
        "self": {
            "current": courant,
            "links": [{"title": titre, "url": url} for titre, url in paires],
            # One breadcrumb per page: a fixed id keeps pages byte-identical when they must be
            # (the tracking page answers a wrong date exactly as an unknown number).
            "id": "fil-ariane",
        }
    }
