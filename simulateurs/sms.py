"""The simulated SMS gateway.

Stands for an SMS operator's sending API: a message to one French mobile number, answered
with the operator's message reference. It checks the number as an operator would and keeps
every accepted message in its outbox, `simulateurs.models.Sms`, shown in the admin. It is
the implementation of `demandes.sms.PasserelleSms` used when
`settings.PERMIS_SMS_PASSERELLE` points to it (the default).
"""

import secrets

from demandes.sms import numero_international
from simulateurs.models import Sms


class PasserelleSimulee:
    """The simulated operator: accepts messages to French mobiles and keeps them in its outbox."""

    def envoyer(self, numero: str, texte: str, demande=None) -> str:
        numero = numero_international(numero)
        reference = f"SIM-{secrets.token_hex(8).upper()}"
        Sms.objects.create(demande=demande, numero=numero, texte=texte, reference=reference)
        return reference
