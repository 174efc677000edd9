"""Text messages to candidates, through an SMS gateway (docs/services.md).

The gateway is chosen by `settings.PERMIS_SMS_PASSERELLE` (an import path). The default,
`simulateurs.sms.PasserelleSimulee`, stands for an SMS operator's sending API; a client of
a real operator implements the same `envoyer` method.

The notification itself (one SMS per audit entry, sent at most once) is the task
`demandes.tasks.notifier_changement_etat_sms`.
"""

from typing import Protocol

from django.conf import settings
from django.urls import reverse

from demandes import telephones
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
