"""Claims: one holder at a time, others see who, released by the holder or when the request moves on."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from demandes.enums import Etat
from instruction.models import PriseEnCharge, PriseEnChargeRefusee
from tests.factories import DemandeFactory, InstructeurFactory


def _url(nom, demande):
    return reverse(f"instruction:{nom}", args=[demande.numero])


@pytest.mark.django_db
def test_agent_claims_a_request_of_their_queue(client, agent_ctn):
    demande = DemandeFactory(deposee=True)
    client.force_login(agent_ctn)
    response = client.post(_url("prendre_en_charge", demande))
    assert response.status_code == 302
    assert PriseEnCharge.objects.get(demande=demande).agent == agent_ctn


@pytest.mark.django_db
def test_claiming_is_post_only(client, agent_ctn):
    demande = DemandeFactory(deposee=True)
    client.force_login(agent_ctn)
    assert client.get(_url("prendre_en_charge", demande)).status_code == 405
    assert not PriseEnCharge.objects.exists()


@pytest.mark.django_db
def test_others_see_who_holds_it_and_cannot_take_it(client, instructeur, collegue, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(collegue)

    page = client.get(_url("demande", demande)).content.decode()
    assert f"Prise en charge par {instructeur.get_full_name()}" in page
    assert "Prendre en charge</button>" not in page
    assert "Accepter la demande" not in page

    response = client.post(_url("prendre_en_charge", demande), follow=True)
    assert "déjà prise en charge par" in response.content.decode()
    assert PriseEnCharge.objects.get(demande=demande).agent == instructeur


@pytest.mark.django_db
def test_claiming_again_ones_own_request_changes_nothing(agent_ctn, prendre):
    demande = DemandeFactory(deposee=True)
    premiere = prendre(demande, agent_ctn)
    assert prendre(demande, agent_ctn).pk == premiere.pk


@pytest.mark.django_db
def test_a_request_outside_ones_queue_cannot_be_claimed(agent_ctn, instructeur, prendre):
    en_instruction = DemandeFactory(en_instruction=True, departement="69")
    deposee = DemandeFactory(deposee=True, departement="69")
    with pytest.raises(PriseEnChargeRefusee, match="pas dans votre file"):
        prendre(en_instruction, agent_ctn)  # the CTN does not instruct
    with pytest.raises(PriseEnChargeRefusee, match="pas dans votre file"):
        prendre(deposee, instructeur)  # not yet through the form check
    assert not PriseEnCharge.objects.exists()


@pytest.mark.django_db
def test_holder_releases_the_claim(client, agent_ctn, prendre):
    demande = DemandeFactory(deposee=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    response = client.post(_url("liberer", demande))
    assert response.status_code == 302
    assert not PriseEnCharge.objects.filter(demande=demande).exists()


@pytest.mark.django_db
def test_only_the_holder_can_release(client, instructeur, collegue, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(collegue)
    client.post(_url("liberer", demande))
    assert PriseEnCharge.objects.get(demande=demande).agent == instructeur


@pytest.mark.django_db
def test_claim_ends_when_the_request_leaves_the_queue(agent_ctn, instructeur, prendre):
    demande = DemandeFactory(deposee=True)
    prendre(demande, agent_ctn)
    demande = demande.executer("prendre_en_controle", par=agent_ctn)
    # Still in the CTN queue: the agent keeps it for the form check.
    assert PriseEnCharge.objects.get(demande=demande).agent == agent_ctn
    demande.executer("passer_en_instruction", par=agent_ctn)
    assert not PriseEnCharge.objects.filter(demande=demande).exists()
    # The instructors' queue starts free.
    assert prendre(demande, instructeur).agent == instructeur


@pytest.mark.django_db
def test_claim_and_state_change_cannot_cross(agent_ctn, prendre):
    """A page showing a request as free may be stale: the claim re-checks under the row lock."""
    demande = DemandeFactory(en_controle=True)
    demande_perimee = type(demande).objects.get(pk=demande.pk)
    demande.executer("passer_en_instruction", par=agent_ctn)
    with pytest.raises(PriseEnChargeRefusee):
        prendre(demande_perimee, agent_ctn)
    assert demande_perimee.etat == Etat.CONTROLE_FORME  # the stale copy, untouched


@pytest.mark.django_db(transaction=True)
def test_two_instructors_claiming_at_once_one_holds_it():
    demande = DemandeFactory(en_instruction=True, departement="69")
    agents = [InstructeurFactory(departement="69") for _ in range(2)]
    depart = threading.Barrier(2)
    resultats: list[str] = []

    def prendre(agent):
        try:
            depart.wait()
            PriseEnCharge.objects.prendre(demande, agent)
            resultats.append("tenue")
        except PriseEnChargeRefusee:
            resultats.append("refusee")
        finally:
            connection.close()

    threads = [threading.Thread(target=prendre, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(resultats) == ["refusee", "tenue"]
    assert PriseEnCharge.objects.filter(demande=demande).count() == 1


@pytest.mark.django_db
def test_claims_and_releases_are_recorded_and_shown_on_the_request_page(
    client, agent_ctn, instructeur, prendre
):
    from instruction.models import JournalPriseEnCharge as Journal

    demande = DemandeFactory(deposee=True)
    prendre(demande, agent_ctn)
    prendre(demande, agent_ctn)  # claiming again records nothing new
    PriseEnCharge.objects.liberer(demande, agent_ctn)
    prendre(demande, agent_ctn)
    demande = demande.executer("prendre_en_controle", par=agent_ctn)
    demande.executer("passer_en_instruction", par=agent_ctn)  # leaves the CTN queue

    assert list(Journal.objects.filter(demande=demande).values_list("evenement", "agent")) == [
        (Journal.Evenement.PRISE, agent_ctn.pk),
        (Journal.Evenement.LIBERATION, agent_ctn.pk),
        (Journal.Evenement.PRISE, agent_ctn.pk),
        (Journal.Evenement.FIN_DE_FILE, agent_ctn.pk),
    ]
    client.force_login(instructeur)
    page = client.get(_url("demande", demande)).content.decode()
    assert "Prises en charge" in page
    assert "Libérée (la demande a quitté la file)" in page
