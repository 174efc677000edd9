"""Fixtures shared by the request tests."""

import pytest

from tests.demandes.assistant import jpeg, png
from tests.factories import DemandeFactory


@pytest.fixture
def deux_demandes(instructeur):
    """Two accepted requests whose texts differ (names, address, categories)."""
    demandes = [
        DemandeFactory(en_instruction=True, departement="69", nom_usage="Martin"),
        DemandeFactory(
            en_instruction=True,
            departement="69",
            nom_naissance="DE LA FONTAINE-ÉLÉONORE",
            prenoms="Jean-Baptiste Ångström",
            complement_adresse="Bât. C, escalier 4",
            categories=["B", "AM"],
        ),
    ]
    for demande in demandes:
        demande.executer("accepter", par=instructeur)
        demande.photo.save("photo.jpg", jpeg(taille=(70, 90)), save=False)
        demande.signature.save("signature.png", png(taille=(70, 90)), save=True)
    return demandes
