"""État civil pre-filled from FranceConnect's identity pivot and shown locked."""

from datetime import date

import pytest

from accounts.models import IdentitePivot
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
    for champ in ["nom_naissance", "prenoms", "date_naissance", "sexe", "pays_naissance"]:
        assert form.fields[champ].disabled, champ
    assert not form.fields["nom_usage"].disabled
    assert not form.fields["commune_naissance"].disabled
    assert "Votre identité provient de FranceConnect" in page.content.decode()

    # Whatever is posted, the certified values stay.
    assistant.remplir_etat_civil(
        client, demande, nom_naissance="Autre", date_naissance="2000-01-01"
    )
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.nom_naissance == "DUBOIS" and demande.date_naissance == date(1962, 8, 24)
    assert demande.commune_naissance == "Lyon"


@pytest.mark.django_db
def test_identity_typed_by_the_user_stays_editable(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    form = client.get(assistant.url_etape(demande, "etat-civil")).context["form"]
    assert not any(champ.disabled for champ in form.fields.values())
    assistant.remplir_etat_civil(client, demande, nom_naissance="Bernard")
    assert Demande.objects.get(pk=demande.pk).nom_naissance == "Bernard"
