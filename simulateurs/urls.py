from django.urls import path

from simulateurs import views

app_name = "simulateurs"
urlpatterns = [
    path("cabine-photo/", views.cabine_accueil, name="cabine"),
    path("cabine-photo/<str:code>/", views.cabine_planche, name="cabine_planche"),
    path(
        "cabine-photo/<str:code>/photo.jpg",
        views.cabine_image,
        {"image": "photo"},
        name="cabine_photo",
    ),
    path(
        "cabine-photo/<str:code>/signature.png",
        views.cabine_image,
        {"image": "signature"},
        name="cabine_signature",
    ),
    path("timbres-fiscaux/", views.timbres_accueil, name="timbres"),
    path("timbres-fiscaux/<str:numero>/", views.timbre_justificatif, name="timbre_justificatif"),
]
