from django.urls import path

from accounts.franceconnect import views

urlpatterns = [
    path("franceconnect/login/", views.login, name="franceconnect_login"),
    path("franceconnect/login/callback/", views.callback, name="franceconnect_callback"),
]
