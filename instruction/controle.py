"""The instructor's checklist of a request: each piece the matrix requires, and its state."""

from dataclasses import dataclass

from demandes.enums import Piece
from demandes.models import Demande, PieceJustificative


@dataclass(frozen=True)
class LigneControle:
    piece: Piece
    fichier: PieceJustificative | None  # the uploaded file, shown in the page
    fournie: bool
    a_remplacer: bool  # asked again of the candidate


@dataclass(frozen=True)
class ListeControle:
    lignes: list[LigneControle]
    autres_pieces: list[PieceJustificative]  # sent, but no longer required


def liste_de_controle(demande: Demande) -> ListeControle:
    """From the document matrix (demandes/documents.py), in one query for the pieces."""
    pieces = {piece.nature: piece for piece in demande.pieces_envoyees()}
    requises = demande.pieces_requises()
    lignes = [
        LigneControle(
            piece=piece,
            fichier=pieces.get(piece.value),
            # The photo code is not uploaded: the kept photo, or the code, stands for it.
            fournie=bool(demande.photo or demande.code_photo)
            if piece == Piece.CODE_PHOTO
            else piece.value in pieces,
            a_remplacer=piece.value in demande.pieces_a_completer,
        )
        for piece in requises
    ]
    autres = [fichier for nature, fichier in pieces.items() if nature not in requises]
    return ListeControle(lignes, autres)
