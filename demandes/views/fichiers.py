"""Files of a request, served only to who may see the request (private storage, no URL)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from demandes import photo_booth, wizard
from demandes.enums import Etat
from demandes.fichiers_prives import fichier_prive, reponse_privee
from demandes.models import Demande, DocumentProduit, PieceJustificative
from demandes.views.wizard import demande_visible


@login_required
def piece(request, numero: str, pk: int):
    piece = get_object_or_404(
        PieceJustificative.objects.filter(demande__in=Demande.objects.visibles_par(request.user)),
        pk=pk,
        demande__numero=numero,
    )
    return fichier_prive(piece.fichier, piece.type_mime, piece.nom_original)


@login_required
@require_POST
def supprimer_piece(request, numero: str, pk: int):
    """Remove an uploaded piece from a draft (a submitted request keeps its pieces)."""
    demande = get_object_or_404(
        Demande.objects.visibles_par(request.user).brouillons(), numero=numero
    )
    piece = get_object_or_404(demande.pieces, pk=pk)
    try:
        # Under the draft's lock, as every writer of pieces: a submission cannot cross it.
        with transaction.atomic():
            wizard.enregistrer_dans_la_transaction(demande, [])
            demande.pieces.filter(pk=piece.pk).supprimer()
    except wizard.DemandeDejaDeposee:
        raise Http404("Cette demande n'est plus un brouillon.") from None
    messages.success(request, f"« {piece.nom_original} » a été supprimé.")
    return redirect("demandes:etape", numero=demande.numero, slug=wizard.PIECES.slug)


@login_required
def photo_image(request, numero: str, image: str):
    """The photo or signature of a request: the kept copy, or the booth's before confirmation."""
    demande = demande_visible(request, numero)
    champ = demande.photo if image == "photo" else demande.signature
    type_mime = "image/jpeg" if image == "photo" else "image/png"
    if champ:
        return fichier_prive(champ, type_mime, f"{image}-{demande.numero}")
    if demande.etat != Etat.BROUILLON or not demande.code_photo:
        raise Http404("Pas de photo pour cette demande.")
    try:
        images = photo_booth.client().recuperer(demande.code_photo)
    except photo_booth.CodePhotoRefuse as exc:
        raise Http404(str(exc)) from exc
    contenu = images.photo if image == "photo" else images.signature
    return reponse_privee(HttpResponse(contenu, content_type=type_mime))


@login_required
def document(request, numero: str, pk: int):
    """Download a PDF the portal produced (récépissé de dépôt, attestation...)."""
    document = get_object_or_404(
        DocumentProduit.objects.visibles_par(request.user).select_related("demande"),
        pk=pk,
        demande__numero=numero,
    )
    return fichier_prive(document.fichier, "application/pdf", document.nom_telechargement, True)
