"""Client of the post office that delivers licences as registered letters (docs/services.md).

The print centre (or the portal, for a re-sending) hands a letter over with `deposer` and
gets its tracking number. The post then presents the letter at the candidate's address and
reports back by running the portal's system transitions: handed over (distribue) or,
nobody there, kept at the post office (en_instance), then collected there (distribue).
After `delais.INSTANCE_POSTE` the portal's clock marks it returned (retourne), and the
candidate has `delais.CONSERVATION_TITRE` to ask for it to be re-sent (`reexpedier`) before it is destroyed (demandes/tasks.py,
appliquer_transitions_temporelles).

The implementation is chosen by `settings.PERMIS_POSTE` (an import path). The default,
`simulateurs.poste.PosteSimulee`, is the simulated registered-mail service of the
`simulateurs` app; a client of La Poste's real service implements the same method.
"""

from typing import Protocol

from django.db import transaction

from demandes.enums import Etat
from demandes.models import Demande
from permis import services


class Poste(Protocol):
    def deposer(self, demande: Demande) -> str:
        """Hand over the licence of `demande` as a registered letter; returns its tracking number.

        While a letter of the same request is still in transit, handing it over again returns
        that letter's number (a retried re-sending posts one letter)."""


def client() -> Poste:
    return services.charger("PERMIS_POSTE")


def reexpedier(demande_id: int) -> str | None:
    """Post again a returned licence the candidate asked for: a new letter, a new number."""
    with transaction.atomic():
        demande = Demande.objects.select_for_update().get(pk=demande_id)
        if demande.etat != Etat.EXPEDIE:
            return None
        numero = client().deposer(demande)
        if numero == demande.numero_suivi:
            return None  # already posted again (a retry)
        # Not a state change: the request stays expedie, with the new letter's number.
        Demande.objects.filter(pk=demande.pk).update(numero_suivi=numero)
        return numero
