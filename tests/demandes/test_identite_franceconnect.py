"""État civil pre-filled from FranceConnect's identity pivot and shown locked."""

from datetime import date

import pytest

from accounts.models import IdentitePivot
from demandes import geographie
from demandes.enums import Motif
from demandes.models import Demande
from tests.demandes import assistant
from tests.factories import CLAIMS_FRANCECONNECT as CLAIMS


@pytest.mark.django_db
def test_identity_from_franceconnect_is_prefilled_and_locked(client, candidat):
    IdentitePivot.objects.enregistrer_franceconnect(candidat, CLAIMS, "https://fc.exemple/api/v2")
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assert (demande.nom_naissance, demande.prenoms) == ("DUBOIS", "Angela Claire Louise")
    assert demande.date_naissance == date(1962, 8, 24) and demande.sexe == "F"

    page = client.get(assistant.url_etape(demande, "etat-civil"))
    form = page.context["form"]
    for champ in [
        "nom_naissance",
        "prenoms",
        "date_naissance",
        "sexe",
        "pays_naissance",
        "commune_naissance",
        "departement_naissance",
    ]:
        assert form.fields[champ].disabled, champ
    assert not form.fields["nom_usage"].disabled
    assert "Votre identité provient de FranceConnect" in page.content.decode()

    # Whatever is posted, the certified values stay.
    assistant.remplir_etat_civil(
        client, demande, nom_naissance="Autre", date_naissance="2000-01-01"
    )
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.nom_naissance == "DUBOIS" and demande.date_naissance == date(1962, 8, 24)
    # Born in 75107: FranceConnect's COG code names the arrondissement and its département.
    assert demande.commune_naissance == "Paris 7e Arrondissement"
    assert demande.departement_naissance == "75"


# FranceConnect's birthplace and birthcountry (COG codes) -> what the request records.
LIEUX_DE_NAISSANCE = [
    ("69123", "99100", "FR", "Lyon", "Rhône"),
    ("13055", "99100", "FR", "Marseille", "Bouches-du-Rhône"),
    ("2A004", "99100", "FR", "Ajaccio", "Corse-du-Sud"),
    ("97411", "99100", "FR", "Saint-Denis", "La Réunion"),
    ("98735", "99100", "FR", "Papeete", "Polynésie française"),  # born there, served or not
    ("", "99109", "DE", None, None),
    ("", "99350", "MA", None, None),
    ("", "99157", "XK", None, None),
    ("", "99115", None, None, None),  # Tchécoslovaquie: no ISO code, the candidate chooses
    ("00000", "99100", "FR", None, None),  # unknown commune: left to the candidate
]


@pytest.mark.parametrize("birthplace, birthcountry, pays, commune, departement", LIEUX_DE_NAISSANCE)
@pytest.mark.django_db
def test_franceconnect_cog_codes_fill_the_place_of_birth(
    client, candidat, birthplace, birthcountry, pays, commune, departement
):
    claims = {**CLAIMS, "birthplace": birthplace, "birthcountry": birthcountry}
    IdentitePivot.objects.enregistrer_franceconnect(candidat, claims, "https://fc.exemple/api/v2")
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assert demande.pays_naissance == (pays or "FR")  # the field's default until chosen
    assert (demande.commune_naissance or None) == commune
    nom = geographie.departement(demande.departement_naissance)
    assert (nom.nom if nom else None) == departement
    form = client.get(assistant.url_etape(demande, "etat-civil")).context["form"]
    assert form.fields["pays_naissance"].disabled is bool(pays)
    assert form.fields["commune_naissance"].disabled is bool(commune)


@pytest.mark.django_db
def test_identity_typed_by_the_user_stays_editable(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    form = client.get(assistant.url_etape(demande, "etat-civil")).context["form"]
    assert not any(champ.disabled for champ in form.fields.values())
    assistant.remplir_etat_civil(client, demande, nom_naissance="Bernard")
    assert Demande.objects.get(pk=demande.pk).nom_naissance == "Bernard"
