from django.urls import path

import permis.convertisseurs  # noqa: F401 (registers <numero:…> and <jeton:…>)
from demandes import views

app_name = "demandes"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouvelle/", views.commencer, name="commencer"),
    path("<numero:numero>/", views.detail, name="detail"),
    path("<numero:numero>/reprendre/", views.reprendre, name="reprendre"),
    path("<numero:numero>/abandonner/", views.abandonner, name="abandonner"),
    path("<numero:numero>/completer/", views.completer, name="completer"),
    path("<numero:numero>/reexpedier/", views.reexpedier, name="reexpedier"),
    path("<numero:numero>/etape/<slug:slug>/", views.etape, name="etape"),
    path("<numero:numero>/confirmation/", views.confirmation, name="confirmation"),
    path("<numero:numero>/photo.jpg", views.photo_image, {"image": "photo"}, name="photo"),
    path(
        "<numero:numero>/signature.png", views.photo_image, {"image": "signature"}, name="signature"
    ),
    path("<numero:numero>/pieces/<int:pk>/", views.piece, name="piece"),
    path(
        "<numero:numero>/pieces/<int:pk>/supprimer/", views.supprimer_piece, name="supprimer_piece"
    ),
    path("<numero:numero>/documents/<int:pk>/", views.document, name="document"),
]
