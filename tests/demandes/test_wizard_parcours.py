"""Every motif, walked through the wizard to submission: the right steps, the right documents."""

from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import resolve, reverse

from demandes.enums import Etat, Motif
from demandes.models import Demande, DocumentProduit
from simulateurs.models import CodePhoto, TimbreFiscal
from tests.demandes import assistant

SANS_TIMBRE = ["etat-civil", "adresse", "photo", "pieces", "recapitulatif"]
AVEC_TIMBRE = ["etat-civil", "adresse", "photo", "pieces", "timbre", "recapitulatif"]
BASE = ["identite", "domicile"]
ANNULATION = [*BASE, "avis_medical", "reference_44", "tests_psychotechniques"]

# motif -> (categories asked, steps after the motif, pieces to upload), for a French adult
# born in 1985 (no JDC, no ASSR) asking for category B where categories are asked.
PARCOURS = {
    Motif.INSCRIPTION_PREMIERE: (["B"], SANS_TIMBRE, BASE),
    Motif.INSCRIPTION_EXTENSION: (["A2"], SANS_TIMBRE, [*BASE, "permis_actuel"]),
    Motif.INSCRIPTION_RETOUR: (["B"], SANS_TIMBRE, ANNULATION),
    Motif.PRODUCTION_PREMIER_TITRE: (["B"], SANS_TIMBRE, BASE),
    Motif.PRODUCTION_NOUVELLE_CATEGORIE: (["A2"], SANS_TIMBRE, [*BASE, "permis_actuel"]),
    Motif.PERTE: ([], AVEC_TIMBRE, BASE),
    Motif.VOL: ([], AVEC_TIMBRE, [*BASE, "declaration_vol"]),
    Motif.DETERIORATION: ([], SANS_TIMBRE, BASE),
    Motif.FIN_VALIDITE: ([], SANS_TIMBRE, BASE),
    Motif.FIN_VALIDITE_AVIS_MEDICAL: ([], SANS_TIMBRE, [*BASE, "avis_medical"]),
    Motif.CHANGEMENT_ETAT_CIVIL: ([], SANS_TIMBRE, BASE),
    Motif.CONVERSION_BREVET_MILITAIRE: (["C"], SANS_TIMBRE, [*BASE, "avis_medical"]),
    Motif.VALIDATION_DIPLOME_PRO: (["B"], SANS_TIMBRE, BASE),
    Motif.APRES_ANNULATION: ([], SANS_TIMBRE, ANNULATION),
    Motif.APRES_SUSPENSION: ([], SANS_TIMBRE, [*BASE, "avis_medical"]),
}


def slug_de(url: str) -> str:
    match = resolve(urlparse(url).path)
    return match.kwargs.get("slug") or match.url_name


def test_the_table_covers_every_motif():
    assert set(PARCOURS) == set(Motif)


@pytest.mark.parametrize("motif", list(PARCOURS), ids=lambda m: m.value)
@pytest.mark.django_db
def test_every_motif_goes_through_its_steps_to_submission(
    motif, client, candidat, django_capture_on_commit_callbacks
):
    categories, etapes_attendues, pieces_attendues = PARCOURS[motif]
    client.force_login(candidat)
    demande = assistant.commencer(client, motif, categories)
    assert demande.etat == Etat.BROUILLON and demande.candidat == candidat

    vues = []
    suivante = assistant.url_etape(demande, "etat-civil")
    while slug_de(suivante) != "recapitulatif":
        slug = slug_de(suivante)
        vues.append(slug)
        page = client.get(suivante)
        assert page.status_code == 200
        if slug == "etat-civil":
            suivante = assistant.remplir_etat_civil(client, demande)
        elif slug == "adresse":
            suivante = assistant.remplir_adresse(client, demande)
        elif slug == "photo":
            suivante = assistant.remplir_photo(client, demande)
        elif slug == "pieces":
            suivante, natures = assistant.remplir_pieces(client, demande)
            assert natures == pieces_attendues
        elif slug == "timbre":
            suivante = assistant.remplir_timbre(client, demande)
    vues.append("recapitulatif")
    assert vues == etapes_attendues

    recap = client.get(suivante)
    assert recap.status_code == 200
    assert "Déposer ma demande" in recap.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = assistant.deposer(client, demande)
    assert response.status_code == 302
    assert response["Location"] == reverse("demandes:confirmation", args=[demande.numero])

    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.DEPOSEE
    assert sorted(demande.pieces.values_list("nature", flat=True)) == sorted(pieces_attendues)
    assert CodePhoto.objects.get(code=demande.code_photo).utilise_pour == demande.numero
    if motif.timbre_fiscal:
        assert TimbreFiscal.objects.get(numero=demande.timbre_fiscal).utilise_pour == demande.numero
    else:
        assert demande.timbre_fiscal == ""
    assert [m.to for m in mail.outbox] == [[demande.email]]
    assert demande.numero in mail.outbox[0].subject
    recepisse = DocumentProduit.objects.filter(demande=demande).exists()
    assert recepisse == (motif.est_inscription and "B" in categories)

    confirmation = client.get(response["Location"]).content.decode()
    assert demande.numero in confirmation
    assert "Votre demande a bien été déposée" in confirmation


@pytest.mark.parametrize(
    "motif, categories, modifs, pieces_attendues",
    [
        # A 16-year-old: legal representative and his identity proof.
        (
            Motif.INSCRIPTION_PREMIERE,
            ["AM"],
            {"date_naissance": assistant.age(16), "representant_nom": "Martin",
             "representant_prenoms": "Paul"},
            [*BASE, "identite_representant"],
        ),
        # A 20-year-old French candidate, first title after the AM training: JDC, training
        # certificate, ASSR.
        (
            Motif.PRODUCTION_PREMIER_TITRE,
            ["AM"],
            {"date_naissance": assistant.age(20)},
            [*BASE, "jdc", "attestation_formation", "assr"],
        ),
        # A foreign national outside the EEA: residence permit.
        (Motif.FIN_VALIDITE, [], {"nationalite": "MA"}, [*BASE, "titre_sejour"]),
    ],
    ids=["mineur", "premier-titre-jeune", "etranger"],
)  # fmt: skip
@pytest.mark.django_db
def test_pieces_step_asks_what_the_situation_requires(
    motif, categories, modifs, pieces_attendues, client, candidat
):
    client.force_login(candidat)
    demande = assistant.commencer(client, motif, categories)
    assistant.remplir_etat_civil(client, demande, **modifs)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    _, natures = assistant.remplir_pieces(client, demande)
    assert natures == pieces_attendues
    assert assistant.deposer(client, demande).status_code == 302
    assert Demande.objects.get(pk=demande.pk).etat == Etat.DEPOSEE
