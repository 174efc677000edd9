from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path(
        "franceconnect/deconnexion/",
        views.franceconnect_deconnexion,
        name="franceconnect_deconnexion",
    ),
]
