"""Account events: the identifiant email follows the activation of an account."""

from allauth.account.signals import email_confirmed
from django.db import transaction
from django.dispatch import receiver


@receiver(email_confirmed)
def identifiant_apres_activation(sender, request, email_address, **kwargs):
    from accounts.tasks import envoyer_identifiant

    user_id = email_address.user_id
    transaction.on_commit(lambda: envoyer_identifiant.delay(user_id))
