"""Relevé d'information restreint: NEPH, categories and dates of issue of the portal's titles."""

import pytest
import time_machine
from django.urls import reverse

from demandes.enums import Motif
from tests.demandes.assistant import texte_pdf
from tests.factories import DemandeFactory

URL = reverse("releve")


@pytest.mark.django_db
def test_licence_holder_downloads_a_pdf_with_neph_categories_and_date(client, candidat):
    candidat.neph = "260169010042"
    candidat.save()
    DemandeFactory(
        candidat=candidat, acceptee=True, motif="inscription_premiere", neph=candidat.neph
    )
    titre = DemandeFactory(
        candidat=candidat,
        titre_en_production=True,
        categories=["B"],
        nom_naissance="DUPONT",
        prenoms="Léa",
    )
    with time_machine.travel("2026-10-05 11:00 +02:00", tick=False):
        titre.executer("produire", par=None)

    client.force_login(candidat)
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    texte = texte_pdf(response.content)
    assert "260169010042" in texte
    assert "DUPONT" in texte and "Léa" in texte
    assert "05/10/2026" in texte
    assert titre.numero in texte


@pytest.mark.django_db
def test_another_candidates_titles_never_appear(client, candidat, autre_candidat):
    autre = DemandeFactory(candidat=autre_candidat, titre_produit=True)
    DemandeFactory(candidat=candidat, titre_produit=True)
    client.force_login(candidat)
    assert autre.numero not in texte_pdf(client.get(URL).content)


@pytest.mark.django_db
def test_candidate_without_a_licence_is_told_so(client, candidat):
    DemandeFactory(candidat=candidat, en_instruction=True)
    client.force_login(candidat)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucun permis de conduire délivré" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_a_renewed_title_keeps_the_categories_of_the_one_it_replaces(candidat):
    from demandes.releve import releve_de

    premier = DemandeFactory(candidat=candidat, expedie=True, categories=["B", "A2"])
    duplicata = DemandeFactory(candidat=candidat, expedie=True, motif=Motif.PERTE, categories=[])
    titres = releve_de(candidat).titres
    assert [t.numero_demande for t in titres] == [premier.numero, duplicata.numero]
    assert [t.categories for t in titres] == [["B", "A2"], ["B", "A2"]]
