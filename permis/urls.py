from django.contrib import admin
from django.urls import include, path

from permis import views

admin.site.site_header = "Permis en ligne — administration"
admin.site.site_title = "Permis en ligne"

urlpatterns = [
    path("", views.home, name="home"),
    path("compte/", include("allauth.urls")),
    path("espace/", include("accounts.urls")),
    path("demandes/", include("demandes.urls")),
    path("instruction/", include("instruction.urls")),
    path("admin/", admin.site.urls),
]
