"""Complete a demo request the way a candidate would, through the simulated services.

The demo loader (`manage.py charger_demo`) calls `completer_brouillon` on the requests it
submits: a real code from the simulated booth (photo and signature kept as confirmed), a
stamp from the simulated shop when the motif needs one, and a small PDF for each piece the
matrix requires.
"""

from django.core.files.base import ContentFile
from django.utils.html import escape
from weasyprint import HTML

from demandes.enums import Motif
from demandes.models import Demande, PieceJustificative
from simulateurs.cabine import ClientCabineSimulee, emettre_code
from simulateurs.timbres import acheter_timbre


def _pdf_de_demonstration(titre: str, demande: Demande) -> bytes:
    html = (
        "<html lang='fr'><body style='font-family: sans-serif'>"
        f"<h1>{escape(titre)}</h1>"
        f"<p>{escape(demande.prenoms)} {escape(demande.nom_naissance)}</p>"
        "<p>Document de démonstration.</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def completer_brouillon(demande: Demande) -> Demande:
    """Give a draft its photo code, tax stamp and pieces, so that it can be submitted."""
    code = emettre_code(demande.nom_naissance or "Demo", demande.prenoms or "Demo").code
    images = ClientCabineSimulee().recuperer(code)
    demande.code_photo = code
    demande.photo.save("photo.jpg", ContentFile(images.photo), save=False)
    demande.signature.save("signature.png", ContentFile(images.signature), save=False)
    demande.photo_confirmee = True
    champs = ["code_photo", "photo", "signature", "photo_confirmee"]
    montant = Motif(demande.motif).timbre_fiscal
    if montant and not demande.timbre_fiscal:
        demande.timbre_fiscal = acheter_timbre(montant).numero
        champs.append("timbre_fiscal")
    demande.save(update_fields=champs)
    for nature in demande.pieces_manquantes():
        contenu = _pdf_de_demonstration(nature.label, demande)
        piece = PieceJustificative(
            demande=demande,
            nature=nature,
            nom_original=f"{nature.value}.pdf",
            type_mime="application/pdf",
            taille=len(contenu),
        )
        piece.fichier.save("piece.pdf", ContentFile(contenu), save=False)
        piece.save()
    return demande
