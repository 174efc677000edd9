"""The attestation d'inscription au permis de conduire, a PDF produced once an inscription is accepted.

Two A4 pages meant to be printed recto/verso on one sheet: the recto carries the
candidate's identity, photo, NEPH, categories and the date of registration; the verso the
signature and what to do with the attestation. The candidate shows it at the exam. It is
rendered by WeasyPrint in a Celery task (demandes.tasks.produire_attestation) and kept as
a `DocumentProduit`, once per request.
"""

import logging

from django.utils import timezone

from demandes.enums import Categorie
from demandes.models import Demande, DocumentEmis, DocumentProduit
from demandes.pdf import rendre_pdf

logger = logging.getLogger(__name__)

NATURE = DocumentProduit.Nature.ATTESTATION_INSCRIPTION


def _contenu(fichier) -> bytes:
    if not fichier:
        return b""
    try:
        with fichier.open("rb") as flux:
            return flux.read()
    except OSError:
        logger.warning("image manquante pour l'attestation : %s", fichier.name)
        return b""


def contexte(demande: Demande) -> dict:
    inscrite_le = timezone.localtime(demande.decidee_le or timezone.now()).date()
    return {
        "demande": demande,
        "neph": demande.neph,
        "neph_lisible": " ".join(
            (demande.neph[:4], demande.neph[4:8], demande.neph[8:]) if demande.neph else ()
        ),
        "categories": [Categorie(c).label for c in demande.categories],
        "inscrite_le": inscrite_le,
        "images": {"photo": _contenu(demande.photo), "signature": _contenu(demande.signature)},
    }


def rendre(demande: Demande, emis: DocumentEmis | None = None) -> bytes:
    return rendre_pdf("demandes/pdf/attestation_inscription.html", contexte(demande), emis)


def produire(demande_id: int) -> DocumentProduit | None:
    """The request's attestation, produced if it is not yet; None if it has no right to one."""
    demande = Demande.objects.attendent_une_attestation().filter(pk=demande_id).first()
    if demande is None:
        return None
    existant = DocumentProduit.objects.filter(demande=demande, nature=NATURE).first()
    if existant:
        return existant
    emis = DocumentEmis.edition_de(demande, NATURE)
    document = DocumentProduit.objects.conserver(demande, NATURE, rendre(demande, emis), emis)
    # None: a concurrent run stored it first; theirs stands.
    return document or DocumentProduit.objects.get(demande=demande, nature=NATURE)
