from django.urls import path

import permis.convertisseurs  # noqa: F401 (registers <numero:…> and <jeton:…>)
from instruction import views

app_name = "instruction"
urlpatterns = [
    path("", views.file, name="file"),
    path("pilotage/", views.pilotage, name="pilotage"),
    path("export.<slug:extension>", views.exporter, name="exporter"),
    path("demandes/<numero:numero>/", views.demande, name="demande"),
    path(
        "demandes/<numero:numero>/prise-en-charge/",
        views.prendre_en_charge,
        name="prendre_en_charge",
    ),
    path("demandes/<numero:numero>/liberation/", views.liberer, name="liberer"),
    path("demandes/<numero:numero>/photo/", views.photo, name="photo"),
    path("demandes/<numero:numero>/signature/", views.signature, name="signature"),
    path("demandes/<numero:numero>/pieces/<int:piece_id>/", views.piece, name="piece"),
    path("demandes/<numero:numero>/documents/<int:document_id>/", views.document, name="document"),
    path("demandes/<numero:numero>/messages/", views.fil_messages, name="messages"),
    path(
        "demandes/<numero:numero>/messages/<int:message_id>/piece-jointe/",
        views.piece_jointe,
        name="piece_jointe",
    ),
    path("demandes/<numero:numero>/<slug:action>/", views.agir, name="agir"),
]
