"""Tasks of the driving-school space: invitation emails, queued after commit."""

from celery import shared_task
from django.urls import reverse

from auto_ecoles.models import Invitation
from permis import emails


@shared_task
def envoyer_invitation(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("auto_ecole").filter(pk=invitation_id).first()
    if invitation is None or not invitation.valide:
        return
    emails.envoyer(
        "invitation_auto_ecole",
        invitation.email,
        {
            "invitation": invitation,
            "lien": reverse("auto_ecoles:invitation", args=[invitation.jeton]),
        },
    )
