from django.urls import path

import permis.convertisseurs  # noqa: F401 (registers <numero:…> and <jeton:…>)
from simulateurs import views

app_name = "simulateurs"
urlpatterns = [
    path("cabine-photo/", views.cabine_accueil, name="cabine"),
    path("cabine-photo/<jeton:code>/", views.cabine_planche, name="cabine_planche"),
    path(
        "cabine-photo/<jeton:code>/photo.jpg",
        views.cabine_image,
        {"image": "photo"},
        name="cabine_photo",
    ),
    path(
        "cabine-photo/<jeton:code>/signature.png",
        views.cabine_image,
        {"image": "signature"},
        name="cabine_signature",
    ),
    path("timbres-fiscaux/", views.timbres_accueil, name="timbres"),
    path("timbres-fiscaux/<jeton:numero>/", views.timbre_justificatif, name="timbre_justificatif"),
]
