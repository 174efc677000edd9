"""FranceConnect v2's URL layout, mounted under the simulator's issuer URL."""

from django.urls import path

import permis.convertisseurs  # noqa: F401 (registers <numero:…> and <jeton:…>)
from fc_simulateur import views

app_name = "fc_simulateur"
urlpatterns = [
    path(".well-known/openid-configuration", views.configuration, name="configuration"),
    path("jwks", views.jwks, name="jwks"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
    path("userinfo", views.userinfo, name="userinfo"),
    path("session/end", views.session_end, name="session_end"),
    path("interaction/<jeton:uid>", views.choix_fournisseur, name="choix_fournisseur"),
    path("interaction/<jeton:uid>/demo", views.fournisseur_demo, name="fournisseur_demo"),
]
