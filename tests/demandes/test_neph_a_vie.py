"""A NEPH is drawn at the candidate's first accepted inscription and kept for life."""

import pytest

from accounts.models import User
from demandes.enums import Motif
from tests.factories import DemandeFactory


@pytest.mark.django_db
def test_second_inscription_keeps_the_candidates_neph(candidat, instructeur):
    premiere = DemandeFactory(candidat=candidat, en_instruction=True).executer(
        "accepter", par=instructeur
    )
    extension = DemandeFactory(
        candidat=candidat,
        en_instruction=True,
        motif=Motif.INSCRIPTION_EXTENSION,
        categories=["A2"],
    ).executer("accepter", par=instructeur)

    assert premiere.neph and len(premiere.neph) == 12
    assert extension.neph == premiere.neph
    assert User.objects.get(pk=candidat.pk).neph == premiere.neph


@pytest.mark.django_db
def test_two_candidates_get_two_nephs(candidat, autre_candidat, instructeur):
    a = DemandeFactory(candidat=candidat, en_instruction=True).executer("accepter", par=instructeur)
    b = DemandeFactory(candidat=autre_candidat, en_instruction=True).executer(
        "accepter", par=instructeur
    )
    assert a.neph != b.neph


@pytest.mark.django_db
def test_a_title_request_draws_no_neph(candidat, instructeur):
    titre = DemandeFactory(candidat=candidat, en_instruction=True, motif=Motif.PERTE, categories=[])
    titre = titre.executer("accepter", par=instructeur)
    assert titre.neph is None
    assert User.objects.get(pk=candidat.pk).neph is None
