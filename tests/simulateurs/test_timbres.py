"""The simulated tax stamp shop: sells 16-digit stamps, each used once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from demandes.timbre_fiscal import TimbreRefuse
from demandes.timbre_fiscal import client as client_boutique
from simulateurs.models import TimbreFiscal
from simulateurs.timbres import ClientBoutiqueSimulee


@pytest.mark.django_db
def test_shop_page_sells_a_stamp_and_shows_its_number(client):
    assert "Timbres fiscaux en ligne" in client.get(reverse("simulateurs:timbres")).content.decode()
    response = client.post(reverse("simulateurs:timbres"), {"montant": "25", "email": ""})
    timbre = TimbreFiscal.objects.get()
    assert response["Location"] == reverse("simulateurs:timbre_justificatif", args=[timbre.numero])
    assert timbre.numero in client.get(response["Location"]).content.decode()
    assert len(timbre.numero) == 16 and timbre.numero.isdigit() and timbre.montant == 25


@pytest.mark.django_db
def test_shop_sells_only_its_amounts(client):
    response = client.post(reverse("simulateurs:timbres"), {"montant": "3"})
    assert response.status_code == 200
    assert not TimbreFiscal.objects.exists()


@pytest.mark.django_db
def test_command_buys_a_stamp(capsys):
    call_command("acheter_timbre", montant=25)
    numero = capsys.readouterr().out.strip()
    client_boutique().verifier(numero, montant=25)


@pytest.mark.django_db
def test_a_stamp_is_used_once():
    numero = TimbreFiscal.objects.create(numero="1234567890123456", montant=25).numero
    boutique = ClientBoutiqueSimulee()
    boutique.consommer(numero, montant=25, reference="AAAA-BBBB-CCCC")
    with pytest.raises(TimbreRefuse, match="déjà été utilisé"):
        boutique.verifier(numero, montant=25)
    with pytest.raises(TimbreRefuse, match="déjà été utilisé"):
        boutique.consommer(numero, montant=25, reference="DDDD-EEEE-FFFF")
