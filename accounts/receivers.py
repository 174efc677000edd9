"""Account events: the identifiant email follows the activation of an account; a second factor
activated in a session counts as proved there."""

from allauth.account.signals import email_confirmed
from allauth.mfa.signals import authenticator_added
from django.db import transaction
from django.dispatch import receiver


@receiver(email_confirmed)
def identifiant_apres_activation(sender, request, email_address, **kwargs):
    from accounts.tasks import envoyer_identifiant

    user_id = email_address.user_id
    transaction.on_commit(lambda: envoyer_identifiant.delay(user_id))


@receiver(authenticator_added)
def double_facteur_prouve_a_l_activation(sender, request, user, authenticator, **kwargs):
    """Activating TOTP takes a code from the new app: this session proved the second factor."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, method="mfa", type=authenticator.type)
