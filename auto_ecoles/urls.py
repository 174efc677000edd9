from django.urls import path

import permis.convertisseurs  # noqa: F401 (registers <numero:…> and <jeton:…>)
from auto_ecoles import views

app_name = "auto_ecoles"
urlpatterns = [
    path("mandats/", views.mes_mandats, name="mes_mandats"),
    path("mandats/<int:pk>/retirer/", views.retirer_mon_mandat, name="retirer_mon_mandat"),
    path("invitation/<jeton:jeton>/", views.invitation, name="invitation"),
    path("ecole/", views.tableau_de_bord, name="tableau_de_bord"),
    path("ecole/inviter/<slug:type>/", views.inviter, name="inviter"),
    path("ecole/mandats/<int:pk>/retirer/", views.retirer_mandat, name="retirer_mandat"),
    path("ecole/mandats/<int:pk>/demande/", views.nouvelle_demande, name="nouvelle_demande"),
]
