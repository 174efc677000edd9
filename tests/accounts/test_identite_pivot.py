"""The identité pivot as stored: its source, and what it gives a request's état civil."""

from datetime import date

import pytest

from accounts.enums import SourceIdentite
from accounts.models import IdentitePivot
from demandes.models import Demande
from tests.factories import CLAIMS_FRANCECONNECT as CLAIMS


@pytest.mark.django_db
def test_the_identity_is_stored_with_its_source_and_refreshed(candidat):
    IdentitePivot.objects.enregistrer_franceconnect(candidat, CLAIMS, "https://fc.exemple/api/v2")
    IdentitePivot.objects.enregistrer_franceconnect(
        candidat, {**CLAIMS, "preferred_username": "MARCHAND"}, "https://fc.exemple/api/v2"
    )

    identite = candidat.identite_franceconnect
    assert IdentitePivot.objects.count() == 1
    assert identite.source == SourceIdentite.FRANCECONNECT
    assert identite.emetteur == "https://fc.exemple/api/v2"
    assert identite.nom_usage == "MARCHAND"
    assert identite.claims["preferred_username"] == "MARCHAND"


@pytest.mark.django_db
def test_an_account_without_franceconnect_has_no_certified_identity(candidat):
    assert candidat.identite_franceconnect is None


@pytest.mark.django_db
def test_a_birth_date_with_an_unknown_day_is_not_invented(candidat):
    identite = IdentitePivot.objects.enregistrer_franceconnect(
        candidat, {**CLAIMS, "birthdate": "1962-08-00"}, "https://fc.exemple/api/v2"
    )

    assert identite.date_naissance is None
    assert identite.claims["birthdate"] == "1962-08-00"


@pytest.mark.django_db
def test_the_etat_civil_it_gives_names_fields_of_a_request(candidat):
    identite = IdentitePivot.objects.enregistrer_franceconnect(
        candidat, CLAIMS, "https://fc.exemple/api/v2"
    )

    etat_civil = identite.etat_civil()

    champs_demande = {f.name for f in Demande._meta.get_fields()}
    assert set(etat_civil) <= champs_demande
    assert etat_civil == {
        "nom_naissance": "DUBOIS",
        "nom_usage": "",
        "prenoms": "Angela Claire Louise",
        "sexe": "F",
        "date_naissance": date(1962, 8, 24),
    }
