"""Title production and posting. Tasks take ids, reload, re-check, and are safe to run twice."""

import logging

from celery import shared_task
from django.db import transaction
from django_fsm import TransitionNotAllowed

from demandes.enums import Etat, Motif
from demandes.models import Demande
from instruction import centre_impression, poste

logger = logging.getLogger(__name__)


@shared_task
def lancer_production(demande_id: int) -> bool:
    """An accepted request for a title goes to production, then its order to the print centre."""
    demande = Demande.objects.get(pk=demande_id)
    if demande.etat != Etat.ACCEPTEE or not Motif(demande.motif).produit_un_titre:
        return False
    try:
        demande.executer("lancer_production", par=None)
    except TransitionNotAllowed:
        return False  # launched meanwhile by a concurrent run
    return True


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def commander_titre(demande_id: int) -> str | None:
    """Send the production order of a request in titre_en_production to the print centre."""
    with transaction.atomic():
        demande = Demande.objects.select_for_update().get(pk=demande_id)
        if demande.etat != Etat.TITRE_EN_PRODUCTION:
            return None
        return centre_impression.client().commander(demande)


@shared_task
def traiter_ordres_fabrication() -> dict[str, int]:
    """The simulated print centre's rounds: print the orders due, post the printed cards."""
    faits = centre_impression.tournee()
    logger.info("tournée du centre d'impression : %s", faits)
    return faits


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reexpedier_titre(demande_id: int) -> str | None:
    return poste.reexpedier(demande_id)


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
