"""The portal's URLs plus views that fail on purpose, to see each error page as a visitor would."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.urls import path

from permis import urls


def _echoue(exception):
    def vue(request):
        raise exception

    return vue


urlpatterns = [
    path("echec/400/", _echoue(BadRequest("détail technique secret"))),
    path("echec/403/", _echoue(PermissionDenied("détail technique secret"))),
    path("echec/404/", _echoue(Http404("détail technique secret"))),
    path("echec/500/", _echoue(RuntimeError("détail technique secret"))),
    *urls.urlpatterns,
]
handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
