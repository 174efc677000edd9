"""Client of the print centre that manufactures driving licences (docs/services.md).

Once a request for a title is accepted and in production, the portal sends the print
centre a production order (`commander`, from `demandes.tasks.commander_titre`); the centre
answers with its order reference, prints the card, hands it to the post office and reports
each step back by running the portal's system transitions:
titre_en_production -> titre_produit -> expedie.

The implementation is chosen by `settings.PERMIS_CENTRE_IMPRESSION` (an import path). The
default, `simulateurs.centre_impression.CentreImpressionSimule`, is the simulated print
centre of the `simulateurs` app; a client of the real one implements the same method.
"""

from typing import Protocol

from permis import services


class CentreImpression(Protocol):
    def commander(self, demande, cle: str) -> str:
        """Send the production order of an accepted request; returns the order reference.

        `cle` is the order's idempotency key: an order sent again with the same key (a
        retry, the reconciliation after a worker died before noting the answer) is not
        printed twice; the centre answers with the first order's reference."""


def cle_idempotence(demande) -> str:
    """The key of a request's production order: one title per request, so its number."""
    return f"permis-en-ligne:titre:{demande.numero}"


def client() -> CentreImpression:
    return services.charger("PERMIS_CENTRE_IMPRESSION")
