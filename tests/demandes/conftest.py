"""Fixtures shared by the request tests."""

import pytest

from demandes import pdf
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


@pytest.fixture
def lignes_coupees(monkeypatch):
    """The texts whose first line WeasyPrint's own split_first_line broke."""
    coupees = []
    couper = pdf._couper_ligne_weasyprint

    def compter(text, *args, **kwargs):
        coupees.append(text)
        return couper(text, *args, **kwargs)

    monkeypatch.setattr(pdf, "_couper_ligne_weasyprint", compter)
    return coupees
