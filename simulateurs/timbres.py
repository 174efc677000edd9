"""The simulated shop of dematerialised tax stamps ("timbre fiscal électronique").

Stands for the State's online tax stamp shop: a stamp of a given amount is bought and
identified by a 16-digit number, used once by the administration that receives it. The
sold stamps live in `TimbreFiscal`; `ClientBoutiqueSimulee` is the implementation of
`demandes.timbre_fiscal.BoutiqueTimbres` used when `settings.PERMIS_TIMBRE_FISCAL` points
to it (the default). It reaches the shop's table directly, so consuming a stamp runs in
the same database transaction as the submission of the request.
"""

import secrets

from django.db import transaction
from django.utils import timezone

from demandes.timbre_fiscal import TimbreRefuse, verifier_format
from simulateurs.models import TimbreFiscal

# What the shop sells for the driving licence (euros).
MONTANTS = {25: "Permis de conduire — perte ou vol (25 €)"}


def acheter_timbre(montant: int, email: str = "") -> TimbreFiscal:
    """Sell a stamp of `montant` euros: a fresh 16-digit number."""
    while True:
        numero = str(secrets.randbelow(9 * 10**15) + 10**15)
        if not TimbreFiscal.objects.filter(numero=numero).exists():
            break
    return TimbreFiscal.objects.create(numero=numero, montant=montant, email=email)


def _utilisable(timbre: TimbreFiscal | None, montant: int) -> TimbreFiscal:
    if timbre is None:
        raise TimbreRefuse(TimbreRefuse.INCONNU)
    if timbre.montant != montant:
        raise TimbreRefuse.montant(timbre.montant, montant)
    if timbre.utilise_le is not None:
        raise TimbreRefuse(TimbreRefuse.UTILISE)
    return timbre


class ClientBoutiqueSimulee:
    """`demandes.timbre_fiscal.BoutiqueTimbres` served by the simulated shop."""

    def verifier(self, numero: str, montant: int) -> None:
        numero = verifier_format(numero)
        _utilisable(TimbreFiscal.objects.filter(numero=numero).first(), montant)

    def consommer(self, numero: str, montant: int, reference: str) -> None:
        numero = verifier_format(numero)
        with transaction.atomic():
            timbre = _utilisable(
                TimbreFiscal.objects.select_for_update().filter(numero=numero).first(), montant
            )
            timbre.utilise_le = timezone.now()
            timbre.utilise_pour = reference
            timbre.save(update_fields=["utilise_le", "utilise_pour"])
