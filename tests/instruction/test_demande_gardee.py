"""The instruction page's file kept rendered per the very values it shows
(instruction/rendu_demande.py): each shown value changed behind the page's back shows at once,
the page then the same as one rendered from nothing."""

import re

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.enums import Piece
from demandes.models import Demande, DocumentProduit, PieceJustificative
from instruction.models import PriseEnCharge
from permis.templatetags import fragments
from tests.factories import CandidatFactory
from tests.instruction.test_demande import _piece, demande_complete  # noqa: F401 (fixture)


def _page(client, demande) -> str:
    page = client.get(reverse("instruction:demande", args=[demande.numero])).content.decode()
    # The CSRF token and the CSP nonce differ at each view.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


@pytest.mark.django_db
def test_each_shown_value_changed_behind_the_page_shows_at_once(
    client,
    instructeur,
    demande_complete,  # noqa: F811
):
    demande = demande_complete
    deposant = CandidatFactory(first_name="Paul", last_name="Martin")
    Demande.objects.filter(pk=demande.pk).update(depose_par=deposant)
    client.force_login(instructeur)

    def verifier(attendu: str):
        gardee = _page(client, demande)
        assert _page(client, demande) == gardee  # kept: the same page again
        fragments._FRAGMENTS.oublier()
        assert gardee == _page(client, demande)  # as rendered from nothing
        assert attendu in gardee

    verifier("PETIT")
    Demande.objects.filter(pk=demande.pk).update(nom_usage="Durand")
    verifier("DURAND")
    User.objects.filter(pk=deposant.pk).update(first_name="Pierre")
    verifier("Pierre Martin")
    PieceJustificative.objects.filter(demande=demande, nature=Piece.IDENTITE).update(
        nom_original="carte-recto.pdf"
    )
    verifier("carte-recto.pdf")
    _piece(demande, Piece.ASSR)  # not required for this request: « non exigée »
    verifier("(non exigée)")
    DocumentProduit.objects.create(
        demande=demande, nature=DocumentProduit.Nature.RECEPISSE_DEPOT, fichier="r.pdf"
    )
    verifier("Documents produits")
    entree = StateLog.objects.create(
        content_object=demande,
        source_state="deposee",
        state="en_instruction",
        transition="transmettre",
        description="Complément reçu par courrier",
    )
    verifier("Complément reçu par courrier")
    StateLog.objects.filter(pk=entree.pk).update(description="Pièce reçue au guichet")
    verifier("Pièce reçue au guichet")
    PriseEnCharge.objects.prendre(demande, instructeur)
    verifier("Vous avez pris en charge cette demande")
    User.objects.filter(pk=instructeur.pk).update(last_name="Renommée")
    verifier("Renommée")
