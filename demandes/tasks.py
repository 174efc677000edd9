"""Background work on requests. Tasks take ids, reload, re-check, and are safe to run twice."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from demandes.models import Demande, Notification
from demandes.notifications import MESSAGES
from permis import emails

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifier_changement_etat(entree_id: int) -> bool:
    """Email the candidate about one audit entry; returns whether an email went out now."""
    entree = StateLog.objects.filter(pk=entree_id).first()
    if entree is None or entree.state not in MESSAGES:
        return False
    demande = Demande.objects.select_related("candidat").get(pk=entree.object_id)
    destinataire = demande.email or demande.candidat.email
    if not destinataire:
        return False
    with transaction.atomic():
        # The row lock makes a concurrent retry wait, then see the email already sent.
        notification, _ = Notification.objects.select_for_update().get_or_create(
            entree=entree, canal=Notification.Canal.EMAIL, defaults={"demande": demande}
        )
        if notification.envoyee_le:
            return False
        titre, detail = MESSAGES[entree.state]
        emails.envoyer(
            "changement_etat",
            destinataire,
            {"demande": demande, "titre": titre, "detail": detail, "entree": entree},
        )
        notification.envoyee_le = timezone.now()
        notification.save(update_fields=["envoyee_le"])
    return True


# (queryset of requests whose deadline passed, transition to run on each)
_REGLES_TEMPORELLES = [
    ("en_instance_expirees", "retourner"),
    ("retournees_expirees", "detruire"),
    ("complement_expire", "rejeter_hors_delai"),
]


@shared_task
def appliquer_transitions_temporelles() -> dict[str, int]:
    """Clock-driven rules: 15 days at the post office, 6 months kept, completion deadlines."""
    faites: dict[str, int] = {}
    for requete, nom in _REGLES_TEMPORELLES:
        faites[nom] = 0
        for demande in getattr(Demande.objects, requete)().iterator():
            try:
                demande.executer(nom, par=None)
            except TransitionNotAllowed:
                continue  # changed meanwhile (re-sent, completed): nothing to do
            faites[nom] += 1
    logger.info("transitions temporelles: %s", faites)
    return faites
