"""Demande.remplacer_pieces_demandees: what the complement page runs, without the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from demandes.enums import Etat, Piece
from demandes.models import Demande
from demandes.uploads import FichierVerifie
from tests.factories import DemandeFactory, pdf_minimal


def _fichier():
    return FichierVerifie(contenu=pdf_minimal(), extension="pdf", nom_original="nouveau.pdf")


@pytest.fixture
def a_completer(db, agent_ctn):
    demande = DemandeFactory(deposee=True).executer("prendre_en_controle", par=agent_ctn)
    return demande.executer(
        "demander_complement",
        par=agent_ctn,
        pieces=[Piece.DOMICILE, Piece.IDENTITE],
        avant=timezone.localdate() + timedelta(days=10),
    )


def test_a_partial_sending_is_kept_and_says_what_is_missing(a_completer):
    manquantes = a_completer.remplacer_pieces_demandees(
        {Piece.DOMICILE: _fichier()}, par=a_completer.candidat
    )
    assert manquantes == ["identite"]
    demande = Demande.objects.get(pk=a_completer.pk)
    assert demande.etat == Etat.A_COMPLETER
    assert demande.pieces_remplacees() == {"domicile"}


def test_the_last_piece_sends_the_request_back_to_its_queue(a_completer):
    a_completer.remplacer_pieces_demandees({Piece.DOMICILE: _fichier()}, par=a_completer.candidat)
    manquantes = a_completer.remplacer_pieces_demandees(
        {Piece.IDENTITE: _fichier()}, par=a_completer.candidat
    )
    assert manquantes == []
    assert Demande.objects.get(pk=a_completer.pk).etat == Etat.CONTROLE_FORME


def test_a_request_sent_back_meanwhile_is_refused(a_completer):
    a_completer.remplacer_pieces_demandees(
        {Piece.DOMICILE: _fichier(), Piece.IDENTITE: _fichier()}, par=a_completer.candidat
    )
    with pytest.raises(TransitionNotAllowed, match="déjà été renvoyée"):
        a_completer.remplacer_pieces_demandees(
            {Piece.DOMICILE: _fichier()}, par=a_completer.candidat
        )
