"""The candidate told, by email and SMS, that the back-office wrote; each at most once.

Same pattern as the notifications of state changes (demandes/tasks.py): recorded with the
message, queued after commit, claimed then sent then marked (EnvoiUniqueQuerySet), caught up
by `rattraper_notifications_messages` when a task was lost. The email and the SMS carry no
word of the message itself: the candidate reads it, signed in, on the portal.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from demandes import rattrapage, sms
from demandes.tasks import REFUS_SMTP, copie_auto_ecole
from echanges.models import NotificationMessage
from permis import emails

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifier_message(notification_id: int) -> bool:
    """Send one notification of a back-office message; returns whether it went out now."""
    notification = NotificationMessage.objects.a_envoyer(notification_id)
    if notification is None:
        return False
    demande = notification.message.demande
    lien = settings.SITE_URL + reverse("echanges:fil", args=[demande.numero])
    if notification.canal == NotificationMessage.Canal.SMS:
        texte = (
            f"{settings.PERMIS_SERVICE_NAME} : nouveau message du service instructeur "
            f"(demande {demande.numero}). Pour le lire : {lien}"
        )
        return NotificationMessage.objects.envoyer_une_fois(
            notification,
            lambda: sms.client().envoyer(
                sms.numero_international(demande.telephone), texte, demande=demande
            ),
            refus=(sms.NumeroRefuse,),
        )
    courriel = emails.message(
        "message_recu",
        demande.email or demande.candidat.email,
        {"demande": demande, "lien": lien},
        # The school that filed follows the thread as it follows the state changes.
        copie=copie_auto_ecole(demande),
        message_id=notification.message_id,
    )
    # Built and connected before the claim: a failure here claims nothing, the retry sends it.
    with mail.get_connection() as connexion:
        return NotificationMessage.objects.envoyer_une_fois(
            notification, lambda: connexion.send_messages([courriel]), refus=REFUS_SMTP
        )


@shared_task
def rattraper_notifications_messages(grace_secondes: int | None = None) -> dict[str, int]:
    """Queue again the notifications still to send whose task was lost; mark INCERTAINE those
    whose sender died after claiming them (never sent twice). Same limits as
    demandes/rattrapage.py."""
    maintenant = timezone.now()
    grace = rattrapage.GRACE if grace_secondes is None else timedelta(seconds=grace_secondes)
    a_envoyer = list(
        NotificationMessage.objects.a_relancer(
            maintenant - grace, rattrapage.TENTATIVES_MAX
        ).values_list("pk", flat=True)[: rattrapage.LOT]
    )
    for pk in a_envoyer:
        notifier_message.delay(pk)
    incertaines = NotificationMessage.objects.marquer_incertaines(
        maintenant - rattrapage.RECLAMATION_EXPIREE
    )
    bilan = {"notifications": len(a_envoyer), "incertaines": incertaines}
    (logger.warning if any(bilan.values()) else logger.info)("rattrapage des messages : %s", bilan)
    return bilan
