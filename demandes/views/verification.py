"""« Vérifier un document » : the public page where a verification code (typed, or opened
from the QR code of a PDF) says whether a document the portal issued is genuine and still
valid — showing only what the document itself shows."""

from allauth.core.internal import ratelimit
from django import forms
from django.shortcuts import render
from dsfr.forms import DsfrBaseForm

from demandes import verification
from demandes.models import DocumentEmis

NON_RECONNU = (
    "Ce code ne correspond à aucun document délivré par ce portail. Vérifiez votre saisie : "
    "un document dont le code n'est pas reconnu n'est pas authentique."
)


class VerificationForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text="16 caractères, sous le QR code du document (ex. : A1B2-C3D4-E5F6-G7H8).",
        max_length=40,
    )

    def clean_code(self):
        code = verification.normaliser(self.cleaned_data["code"])
        if len(code) != verification.LONGUEUR:
            raise forms.ValidationError(
                "Le code de vérification compte 16 caractères (lettres et chiffres)."
            )
        return code


def verifier(request, code: str | None = None):
    """The form (GET ?code=…) and the QR code's target (/verifier/<code>/) alike."""
    saisie = code if code is not None else request.GET.get("code")
    form = VerificationForm({"code": saisie} if saisie is not None else None)
    contexte = {"form": form}
    if saisie is not None:
        # allauth's limiter (the same shared buckets as login and tracking), told to count
        # GET requests too: the QR code opens this page by GET.
        if not ratelimit.consume(
            request, app="allauth.account", action="verifier_document", limit_get=True
        ):
            return render(
                request, "demandes/verifier.html", {**contexte, "limite": True}, status=429
            )
        if form.is_valid():
            resultat = DocumentEmis.objects.verifier(form.cleaned_data["code"])
            if resultat is None:
                form.add_error("code", NON_RECONNU)
            else:
                contexte["resultat"] = resultat
                contexte["code_lisible"] = verification.lisible(form.cleaned_data["code"])
    return render(request, "demandes/verifier.html", contexte)
