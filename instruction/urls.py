from django.urls import path

from instruction import views

app_name = "instruction"
urlpatterns = [
    path("", views.file, name="file"),
]
