"""The rounds of the simulated print centre and post office (Celery beat, permis/celery.py)."""

import logging

from celery import shared_task
from django_fsm import TransitionNotAllowed

from simulateurs import centre_impression, poste

logger = logging.getLogger(__name__)


@shared_task
def traiter_ordres_fabrication() -> dict[str, int]:
    """The simulated print centre's rounds: print the orders due, post the printed cards."""
    faits = centre_impression.tournee()
    logger.info("tournée du centre d'impression : %s", faits)
    return faits


@shared_task
def presenter_plis() -> dict[str, int]:
    """The simulated post office's rounds: present every letter whose transit time is over."""
    faits: dict[str, int] = {}
    for pli_id in poste.plis_a_presenter().values_list("pk", flat=True):
        try:
            statut = poste.presenter(pli_id)
        except TransitionNotAllowed:
            continue
        if statut:
            faits[statut] = faits.get(statut, 0) + 1
    logger.info("tournée de la poste : %s", faits)
    return faits
