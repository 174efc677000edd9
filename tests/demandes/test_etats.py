"""One table says what each state means to the candidate; the notifications read it."""

import pytest
from django.core import mail
from django_fsm_log.models import StateLog

from demandes import etats
from demandes.enums import Etat
from demandes.models import Demande
from demandes.tasks import notifier_changement_etat
from tests.factories import DemandeFactory


def test_every_state_has_its_meaning():
    assert set(etats.SENS) == set(Etat)
    for sens in etats.SENS.values():
        assert sens.a_faire
        assert sens.notification is None or all(sens.notification)


def test_the_page_offers_an_action_where_the_candidate_can_act():
    """The page's actions are the candidate's own transitions out of that state."""
    for nom, action in [("completer", "completer"), ("reexpedier", "reexpedier")]:
        sources = {
            t.source
            for t in Demande._meta.get_field("etat").get_all_transitions(Demande)
            if t.name == nom
        }
        assert {etat for etat, sens in etats.SENS.items() if sens.action == action} == sources


def test_what_to_do_after_acceptance_depends_on_the_motif():
    inscription = Demande(etat=Etat.ACCEPTEE, motif="inscription_premiere")
    titre = Demande(etat=Etat.ACCEPTEE, motif="perte")
    assert "attestation d'inscription" in etats.a_faire(inscription)
    assert "fabrication" in etats.a_faire(titre)


@pytest.mark.django_db
def test_a_state_without_notification_is_not_announced(agent_ctn):
    demande = DemandeFactory(deposee=True)
    demande.executer("prendre_en_controle", par=agent_ctn)
    assert not etats.SENS[Etat.CONTROLE_FORME].notifiee
    entree = StateLog.objects.for_(demande).latest("timestamp", "pk")
    assert notifier_changement_etat(entree.pk) is False
    assert mail.outbox == []
