"""The simulated print centre that manufactures driving licences.

Stands for the national print centre: it implements `demandes.centre_impression.CentreImpression`
(used when `settings.PERMIS_CENTRE_IMPRESSION` points to it, the default), keeps its order
book in `OrdreFabrication` (shown in the admin, whose actions can also run a round), and in
its rounds (a periodic task, `simulateurs.tasks.traiter_ordres_fabrication`) prints the
orders received `PERMIS_CENTRE_IMPRESSION_DELAI_HEURES` ago or more, posts the printed cards
through the post office client (demandes/poste.py), and reports back by running the
portal's transitions.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from demandes import poste
from demandes.enums import Etat
from demandes.models import Demande
from simulateurs.models import OrdreFabrication

logger = logging.getLogger(__name__)


class CentreImpressionSimule:
    """The simulated print centre: an order book, a printer and a post-room in Celery tasks."""

    def commander(self, demande: Demande, cle: str) -> str:
        """An order is recorded once per idempotency key, as the real centre's API does."""
        ordre = OrdreFabrication.objects.filter(cle_idempotence=cle).first()
        if ordre is None:
            try:
                with transaction.atomic():
                    ordre = OrdreFabrication.objects.create(
                        demande=demande,
                        cle_idempotence=cle,
                        reference=f"OF-{secrets.token_hex(5).upper()}",
                    )
            except IntegrityError:  # the same key sent concurrently, or an order from before keys
                ordre = OrdreFabrication.objects.filter(
                    cle_idempotence=cle
                ).first() or OrdreFabrication.objects.get(demande=demande)
        return ordre.reference


def imprimer(ordre_id: int) -> bool:
    """Print the card of an order: the request becomes titre_produit."""
    with transaction.atomic():
        ordre = OrdreFabrication.objects.select_for_update().get(pk=ordre_id)
        if ordre.produit_le is not None:
            return False  # printed already (a retry)
        try:
            Demande.objects.get(pk=ordre.demande_id).executer("produire", par=None)
        except TransitionNotAllowed:
            logger.info("ordre %s : la demande n'est plus en production", ordre.reference)
            return False
        ordre.produit_le = timezone.now()
        ordre.save(update_fields=["produit_le"])
    return True


def expedier(ordre_id: int) -> bool:
    """Post a printed card: the request becomes expedie, with the letter's tracking number."""
    with transaction.atomic():
        ordre = OrdreFabrication.objects.select_for_update().get(pk=ordre_id)
        demande = Demande.objects.select_for_update().get(pk=ordre.demande_id)
        if ordre.produit_le is None or ordre.expedie_le is not None:
            return False
        if demande.etat != Etat.TITRE_PRODUIT:
            return False
        numero_suivi = poste.client().deposer(demande)
        demande.executer("expedier", par=None, numero_suivi=numero_suivi)
        ordre.expedie_le = timezone.now()
        ordre.save(update_fields=["expedie_le"])
    return True


def ordres_a_imprimer():
    limite = timezone.now() - timedelta(hours=settings.PERMIS_CENTRE_IMPRESSION_DELAI_HEURES)
    return OrdreFabrication.objects.filter(produit_le__isnull=True, recu_le__lte=limite)


def ordres_a_expedier():
    return OrdreFabrication.objects.filter(produit_le__isnull=False, expedie_le__isnull=True)


def tournee() -> dict[str, int]:
    """One round of the print centre: print what is due, then post what is printed."""
    faits = {"imprimes": 0, "expedies": 0}
    for ordre_id in ordres_a_imprimer().values_list("pk", flat=True):
        faits["imprimes"] += imprimer(ordre_id)
    for ordre_id in ordres_a_expedier().values_list("pk", flat=True):
        faits["expedies"] += expedier(ordre_id)
    return faits
