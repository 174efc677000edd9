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
    def commander(self, demande) -> str:
        """Send the production order of an accepted request; returns the order reference.

        Sending the same request twice returns the first order's reference."""


def client() -> CentreImpression:
    return services.charger("PERMIS_CENTRE_IMPRESSION")
