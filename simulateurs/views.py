"""Pages of the simulated outside services, each styled as a separate site."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from simulateurs import cabine, timbres
from simulateurs.forms import AchatTimbreForm, SeanceForm
from simulateurs.models import CodePhoto, TimbreFiscal


def _donnees(request):
    return request.POST if request.method == "POST" else None


def _demo_seulement():
    if not settings.PERMIS_DEMO:
        raise Http404("Les services simulés ne sont disponibles qu'en démonstration.")


def cabine_accueil(request):
    _demo_seulement()
    form = SeanceForm(_donnees(request))
    if request.method == "POST" and form.is_valid():
        code = cabine.emettre_code(form.cleaned_data["nom"], form.cleaned_data["prenoms"])
        return redirect("simulateurs:cabine_planche", code=code.code)
    return render(request, "simulateurs/cabine.html", {"form": form})


def cabine_planche(request, code: str):
    """The printed sheet: the code, its photo and signature, its expiry date."""
    _demo_seulement()
    code_photo = get_object_or_404(CodePhoto, code=code)
    return render(request, "simulateurs/cabine_planche.html", {"code": code_photo})


def cabine_image(request, code: str, image: str):
    _demo_seulement()
    photo, signature = cabine.images(get_object_or_404(CodePhoto, code=code))
    if image == "photo":
        return HttpResponse(photo, content_type="image/jpeg")
    return HttpResponse(signature, content_type="image/png")


def timbres_accueil(request):
    _demo_seulement()
    form = AchatTimbreForm(_donnees(request))
    if request.method == "POST" and form.is_valid():
        timbre = timbres.acheter_timbre(form.cleaned_data["montant"], form.cleaned_data["email"])
        return redirect("simulateurs:timbre_justificatif", numero=timbre.numero)
    return render(request, "simulateurs/timbres.html", {"form": form})


def timbre_justificatif(request, numero: str):
    _demo_seulement()
    timbre = get_object_or_404(TimbreFiscal, numero=numero)
    return render(request, "simulateurs/timbre_justificatif.html", {"timbre": timbre})
