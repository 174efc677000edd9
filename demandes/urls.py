from django.urls import path

from demandes import views

app_name = "demandes"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<str:numero>/", views.detail, name="detail"),
    path("<str:numero>/abandonner/", views.abandonner, name="abandonner"),
]
