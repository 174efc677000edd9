"""Views of the `demandes` app: the candidate's list and pages, the wizard, the files."""

from demandes.views.fichiers import document, photo_image, piece, supprimer_piece
from demandes.views.mes_demandes import abandonner, detail, liste, reprendre
from demandes.views.suites import completer, reexpedier
from demandes.views.verification import verifier
from demandes.views.wizard import commencer, confirmation, etape

__all__ = [
    "abandonner",
    "commencer",
    "completer",
    "confirmation",
    "detail",
    "document",
    "etape",
    "liste",
    "photo_image",
    "piece",
    "reexpedier",
    "reprendre",
    "supprimer_piece",
    "verifier",
]
