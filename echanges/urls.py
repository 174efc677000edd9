from django.urls import path

import permis.convertisseurs  # noqa: F401 (registers <numero:…>)
from echanges import views

app_name = "echanges"
urlpatterns = [
    path("<numero:numero>/messages/", views.fil_demandeur, name="fil"),
    path(
        "<numero:numero>/messages/<int:message_id>/piece-jointe/",
        views.piece_jointe,
        name="piece_jointe",
    ),
]
