from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

LIGNES = [
    {"numero": f"2026-{i:04d}-{i * 7 % 10000:04d}", "nom": f"Nom {i}", "etat": "Déposée"}
    for i in range(50)
]


def ok(request):
    return HttpResponse("ok")


def lignes(request):
    return render(request, "lignes.html", {"lignes": LIGNES})


urlpatterns = [path("ok/", ok), path("lignes/", lignes)]
