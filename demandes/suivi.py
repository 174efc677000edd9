"""« Où en est mon permis » : the public page where a request number and a birth date show
the request's state and its date, and nothing else.

A wrong birth date gets exactly the answer an unknown number gets, and the page is
rate-limited per IP (allauth's limiter, on the shared cache) so numbers cannot be guessed.
"""

from allauth.core import ratelimit
from django import forms
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from demandes.enums import Etat
from demandes.models import Demande
from demandes.numeros import normaliser
from permis.pages_gardees import PagesGardees

INTROUVABLE = "Aucune demande ne correspond à ce numéro et à cette date de naissance."
# The page an anonymous visitor opens, blank: the same for everyone but for its action, CSRF
# token and messages (its {% vif %}s), kept whole (permis/pages_gardees.py).
_PAGE_VIERGE = PagesGardees(taille=2)


class SuiviForm(DsfrBaseForm):
    numero = forms.CharField(
        label="Numéro de demande",
        help_text="Il figure dans le courriel de confirmation (ex. : K7QX-M3PA-9ZT2).",
        max_length=20,
    )
    date_naissance = forms.DateField(
        label="Date de naissance du candidat",
        # Most often the candidate's own (a parent may type their child's instead).
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )

    def clean_date_naissance(self):
        date = self.cleaned_data["date_naissance"]
        if date > timezone.localdate():
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        return date


def ou_en_est_mon_permis(request):
    if request.method == "GET" and not request.user.is_authenticated:
        return _PAGE_VIERGE.reponse(request, "suivi", {}, lambda: _page(request))
    return _page(request)


def _page(request):
    form = SuiviForm(request.POST or None)
    resultat = delai = None
    if request.method == "POST":
        if not ratelimit.consume(request, action="suivi_demande"):
            return render(
                request, "demandes/suivi.html", {"form": form, "limite": True}, status=429
            )
        if form.is_valid():
            numero = normaliser(form.cleaned_data["numero"])
            # Only the state, its date and the département (for the delay observed there).
            resultat = (
                Demande.objects.exclude(etat=Etat.BROUILLON)
                .filter(numero=numero, date_naissance=form.cleaned_data["date_naissance"])
                .only("etat", "etat_modifie_le", "departement")
                .first()
                if numero
                else None
            )
            if resultat is None:
                form.add_error(None, INTROUVABLE)
            else:
                delai = resultat.delai_constate()
    return TemplateResponse(
        request,
        "demandes/suivi.html",
        {
            "form": form,
            "resultat": resultat,
            "delai": delai,
            "en_retard": delai is not None and delai.depasse_par(resultat),
        },
    )
