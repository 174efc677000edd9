from django.urls import path

from instruction import views

app_name = "instruction"
urlpatterns = [
    path("", views.file, name="file"),
    path("pilotage/", views.pilotage, name="pilotage"),
    path("demandes/<str:numero>/", views.demande, name="demande"),
    path(
        "demandes/<str:numero>/prise-en-charge/",
        views.prendre_en_charge,
        name="prendre_en_charge",
    ),
    path("demandes/<str:numero>/liberation/", views.liberer, name="liberer"),
    path("demandes/<str:numero>/photo/", views.photo, name="photo"),
    path("demandes/<str:numero>/signature/", views.signature, name="signature"),
    path("demandes/<str:numero>/pieces/<int:piece_id>/", views.piece, name="piece"),
    path("demandes/<str:numero>/documents/<int:document_id>/", views.document, name="document"),
    path("demandes/<str:numero>/<slug:action>/", views.agir, name="agir"),
]
