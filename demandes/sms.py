"""Text messages to candidates, through an SMS gateway (docs/services.md).

The gateway is chosen by `settings.PERMIS_SMS_PASSERELLE` (an import path). The default,
`simulateurs.sms.PasserelleSimulee`, stands for an SMS operator's sending API; a client of
a real operator implements the same `envoyer` method.

`envoyer_changement_etat` is the notification itself: one SMS per audit entry, recorded in
`Notification` (unique per entry and channel), so a retried task never sends twice.
"""

from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django_fsm_log.models import StateLog

from demandes import etats, telephones
from demandes.models import Demande, Notification
from permis import services


class NumeroRefuse(ValueError):
    """The gateway does not deliver to this number."""


class PasserelleSms(Protocol):
    def envoyer(self, numero: str, texte: str, demande=None) -> str:
        """Send `texte` to `numero` (E.164); returns the gateway's message reference."""


def numero_international(numero: str) -> str:
    """The E.164 form of a French mobile (mainland or overseas); raises NumeroRefuse."""
    try:
        return telephones.portable_e164(numero)
    except telephones.NumeroInvalide as exc:
        raise NumeroRefuse(f"not a French mobile number: {numero!r}") from exc


def client() -> PasserelleSms:
    return services.charger("PERMIS_SMS_PASSERELLE")


def texte_changement_etat(demande, titre: str) -> str:
    lien = settings.SITE_URL + reverse("demandes:detail", args=[demande.numero])
    return f"{settings.PERMIS_SERVICE_NAME} : {titre} (demande {demande.numero}). Suivi : {lien}"


def envoyer_changement_etat(entree_id: int) -> bool:
    """Text the candidate about one audit entry, once; returns whether an SMS went out now."""
    entree = StateLog.objects.filter(pk=entree_id).first()
    message = etats.notification(entree.state) if entree else None
    if message is None:
        return False
    demande = Demande.objects.get(pk=entree.object_id)
    try:
        numero = numero_international(demande.telephone)
    except NumeroRefuse:
        return False  # no mobile number given: the email is enough
    titre, _detail = message
    return Notification.objects.envoyer_une_fois(
        entree,
        Notification.Canal.SMS,
        demande,
        lambda: client().envoyer(numero, texte_changement_etat(demande, titre), demande=demande),
    )
