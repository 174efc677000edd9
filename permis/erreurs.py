"""The error pages: in French, on the DSFR layout, with a way back and no technical detail."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string

from permis.context_processors import site

logger = logging.getLogger(__name__)

# status -> (title, what happened, what the visitor can do)
PAGES = {
    400: (
        "Requête incorrecte",
        "La page demandée n'a pas pu être affichée : l'adresse ou le formulaire envoyé est "
        "incorrect.",
        "Vérifiez l'adresse saisie, ou revenez à la page précédente et recommencez.",
    ),
    403: (
        "Accès refusé",
        "Vous n'avez pas le droit d'accéder à cette page.",
        "Si vous pensez qu'il s'agit d'une erreur, vérifiez que vous êtes connecté(e) avec le bon "
        "compte.",
    ),
    404: (
        "Page non trouvée",
        "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.",
        "Si vous avez tapé l'adresse dans le navigateur, vérifiez qu'elle est correcte. La page "
        "n'est peut-être plus disponible : pour continuer, revenez à la page d'accueil.",
    ),
    500: (
        "Erreur inattendue",
        "Désolé, le service rencontre un problème : nous travaillons à le résoudre le plus "
        "rapidement possible.",
        "Ce que vous avez déjà enregistré est conservé. Réessayez dans quelques instants.",
    ),
    "csrf": (
        "Formulaire expiré",
        "Par sécurité, ce formulaire n'a pas pu être envoyé : la page était ouverte depuis trop "
        "longtemps, ou votre navigateur refuse les cookies de ce site.",
        "Revenez à la page précédente, rechargez-la puis envoyez de nouveau le formulaire. Les "
        "cookies de ce site doivent être autorisés.",
    ),
}


def _contexte(cle) -> dict:
    titre, explication, conseil = PAGES[cle]
    statut = 403 if cle == "csrf" else cle
    return {"titre": titre, "explication": explication, "conseil": conseil, "statut": statut}


def _page(request, cle) -> HttpResponse:
    contexte = _contexte(cle)
    return HttpResponse(
        render_to_string("erreur.html", contexte, request), status=contexte["statut"]
    )


def requete_incorrecte(request, exception=None):
    return _page(request, 400)


def acces_refuse(request, exception=None):
    return _page(request, 403)


def page_non_trouvee(request, exception=None):
    return _page(request, 404)


def echec_csrf(request, reason=""):
    # The reason ("CSRF cookie not set", ...) is for the logs, not the visitor.
    logger.warning("CSRF refusé sur %s : %s", request.path, reason)
    return _page(request, "csrf")


def erreur_serveur(request):
    """Rendered without the request's context processors: the user or the database may be what
    failed, so the page reads neither."""
    contexte = {**site(request), **_contexte(500), "user": AnonymousUser(), "request": request}
    return HttpResponse(get_template("erreur.html").render(contexte), status=500)
