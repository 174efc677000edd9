"""The instructor's checklist (instruction/controle.py), from the document matrix."""

import pytest

from demandes.enums import Piece
from instruction.controle import liste_de_controle
from tests.factories import DemandeFactory, PieceJustificativeFactory


@pytest.mark.django_db
def test_each_required_piece_has_its_line_with_its_state():
    demande = DemandeFactory(en_instruction=True, pieces=False, pieces_a_completer=["domicile"])
    PieceJustificativeFactory(demande=demande, nature=Piece.IDENTITE)
    PieceJustificativeFactory(demande=demande, nature=Piece.DECLARATION_VOL)  # not required
    controle = liste_de_controle(demande)
    lignes = {ligne.piece: ligne for ligne in controle.lignes}
    assert list(lignes) == demande.pieces_requises()
    assert lignes[Piece.IDENTITE].fournie and lignes[Piece.IDENTITE].fichier
    assert not lignes[Piece.DOMICILE].fournie and lignes[Piece.DOMICILE].a_remplacer
    assert lignes[Piece.CODE_PHOTO].fournie  # the code stands for it, nothing uploaded
    assert [p.nature for p in controle.autres_pieces] == [Piece.DECLARATION_VOL]
