"""The admin: requests with a read-only state and their history, the simulated outboxes."""

import pytest
from django.urls import reverse

from demandes.enums import Etat
from demandes.models import CompteurNeph, Demande
from demandes.tasks import notifier_changement_etat_sms
from instruction.models import PriseEnCharge
from simulateurs.models import OrdreFabrication, Pli, Sms
from tests.factories import AdminFactory, DemandeFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize("modele", [PriseEnCharge, CompteurNeph, Sms, OrdreFabrication, Pli])
def test_back_office_records_are_listed(admin_client, modele):
    url = reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_sms_outbox_shows_the_messages_and_cannot_be_edited(admin_client, agent_ctn):
    demande = DemandeFactory(en_controle=True)
    demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non conforme.")
    notifier_changement_etat_sms(demande.historique().last().pk)
    sms = Sms.objects.get()
    liste = admin_client.get(reverse("admin:simulateurs_sms_changelist")).content.decode()
    assert "Votre demande a été rejetée" in liste
    assert admin_client.get(reverse("admin:simulateurs_sms_add")).status_code == 403
    reponse = admin_client.post(
        reverse("admin:simulateurs_sms_change", args=[sms.pk]), {"texte": "modifié"}
    )
    assert reponse.status_code == 403
    assert Sms.objects.get().texte == sms.texte


def test_request_state_is_read_only_with_its_history(admin_client, agent_ctn):
    demande = DemandeFactory(deposee=True)
    demande.executer("prendre_en_controle", par=agent_ctn)
    url = reverse("admin:demandes_demande_change", args=[demande.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="etat"' not in page  # shown, not editable
    assert "En contrôle de forme" in page
    assert "prendre_en_controle" in page  # the history inline


def test_pli_actions_drive_the_simulated_post_office(admin_client):
    demande = DemandeFactory(expedie=True, numero_suivi="1L00000000007")
    pli = Pli.objects.create(demande=demande, numero_suivi="1L00000000007")
    admin_client.post(
        reverse("admin:simulateurs_pli_changelist"),
        {"action": "presenter_absent", "_selected_action": [pli.pk]},
    )
    assert Demande.objects.get(pk=demande.pk).etat == Etat.EN_INSTANCE
    admin_client.post(
        reverse("admin:simulateurs_pli_changelist"),
        {"action": "remettre_au_guichet", "_selected_action": [pli.pk]},
    )
    assert Demande.objects.get(pk=demande.pk).etat == Etat.DISTRIBUE


def test_agents_have_no_admin(client, agent_ctn):
    client.force_login(agent_ctn)
    response = client.get(reverse("admin:simulateurs_sms_changelist"))
    assert response.status_code == 302
    assert "login" in response.url
