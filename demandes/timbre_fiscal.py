"""Client of the "timbre fiscal dématérialisé" service (the online tax stamp shop).

A candidate buys a stamp of a given amount and receives its 16-digit number; the portal
checks the number (format, known, amount, not used) at the tax stamp step and consumes the
stamp when the request is submitted, inside the transaction of the submission.

The implementation is chosen by `settings.PERMIS_TIMBRE_FISCAL` (an import path). The demo
one, `simulateurs.timbres.ClientBoutiqueSimulee`, is the simulated shop of the `simulateurs`
app; a client of the real service would implement the same two methods.
"""

import re
from typing import Protocol

from permis import services

FORMAT_NUMERO = re.compile(r"^\d{16}$")


class TimbreRefuse(Exception):
    """The stamp cannot be used; `str(exc)` is the message shown to the candidate."""

    FORMAT = "Le numéro de timbre fiscal comporte 16 chiffres (les espaces sont ignorés)."
    INCONNU = "Ce numéro de timbre fiscal est inconnu : vérifiez-le sur votre justificatif d'achat."
    UTILISE = "Ce timbre fiscal a déjà été utilisé pour une autre demande."

    @staticmethod
    def montant(achete: int, attendu: int) -> "TimbreRefuse":
        return TimbreRefuse(
            f"Ce timbre fiscal est de {achete} € : cette démarche demande un timbre de {attendu} €."
        )


class BoutiqueTimbres(Protocol):
    def verifier(self, numero: str, montant: int) -> None:
        """Raise TimbreRefuse unless the stamp exists, is of `montant` euros and is unused."""

    def consommer(self, numero: str, montant: int, reference: str) -> None:
        """Mark the stamp used for `reference` (a request number), once; raises TimbreRefuse."""


def normaliser_numero(saisie: str) -> str:
    return re.sub(r"[\s.-]", "", saisie or "")


def verifier_format(numero: str) -> str:
    numero = normaliser_numero(numero)
    if not FORMAT_NUMERO.match(numero):
        raise TimbreRefuse(TimbreRefuse.FORMAT)
    return numero


def client() -> BoutiqueTimbres:
    return services.charger("PERMIS_TIMBRE_FISCAL")
