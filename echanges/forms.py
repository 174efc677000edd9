"""The message form of both sides: a text and, optionally, one file checked like a piece."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from demandes import uploads
from demandes.forms import FormulaireDsfr

TEXTE_MAX = 5000


class MessageForm(FormulaireDsfr):
    texte = forms.CharField(
        label="Votre message",
        max_length=TEXTE_MAX,
        help_text=f"{TEXTE_MAX} caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": f"Votre message dépasse {TEXTE_MAX} caractères : raccourcissez-le.",
        },
    )
    piece_jointe = forms.FileField(
        label="Pièce jointe",
        required=False,
        allow_empty_file=True,  # refused by uploads.verifier, with the file's name
        help_text=(
            f"Facultative. JPEG, PNG ou PDF, {uploads.TAILLE_MAX // (1024 * 1024)} Mo au plus. "
            "Si le formulaire revient avec une erreur, choisissez de nouveau le fichier."
        ),
        widget=forms.FileInput(attrs={"accept": uploads.ACCEPT, "class": "fr-upload"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["piece_jointe"].widget.group_class = "fr-upload-group"
        self.fichier: uploads.FichierVerifie | None = None

    def clean_texte(self) -> str:
        texte = self.cleaned_data["texte"].strip()
        if not texte:
            raise ValidationError("Écrivez votre message.")
        return texte

    def clean_piece_jointe(self):
        fichier = self.cleaned_data.get("piece_jointe")
        if isinstance(fichier, UploadedFile):
            # The very checks of the pieces: type from the content, size, re-encoding, antivirus.
            self.fichier = uploads.verifier(fichier)
        return fichier
