from django.urls import path

from demandes import views

app_name = "demandes"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouvelle/", views.commencer, name="commencer"),
    path("<str:numero>/", views.detail, name="detail"),
    path("<str:numero>/reprendre/", views.reprendre, name="reprendre"),
    path("<str:numero>/abandonner/", views.abandonner, name="abandonner"),
    path("<str:numero>/completer/", views.completer, name="completer"),
    path("<str:numero>/reexpedier/", views.reexpedier, name="reexpedier"),
    path("<str:numero>/etape/<slug:slug>/", views.etape, name="etape"),
    path("<str:numero>/confirmation/", views.confirmation, name="confirmation"),
    path("<str:numero>/photo.jpg", views.photo_image, {"image": "photo"}, name="photo"),
    path("<str:numero>/signature.png", views.photo_image, {"image": "signature"}, name="signature"),
    path("<str:numero>/pieces/<int:pk>/", views.piece, name="piece"),
    path("<str:numero>/pieces/<int:pk>/supprimer/", views.supprimer_piece, name="supprimer_piece"),
    path("<str:numero>/documents/<int:pk>/", views.document, name="document"),
]
