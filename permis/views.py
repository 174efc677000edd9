from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def introuvable(request, **kwargs):
    """Routes a library mounts that the portal does not use (they answer 404)."""
    raise Http404
