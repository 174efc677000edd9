"""What a FranceConnect login leaves behind: the ID token for logout, the identité pivot."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.dispatch import receiver

from accounts.franceconnect.deconnexion import memoriser_id_token
from accounts.franceconnect.views import PROVIDER_ID


def enregistrer_identite(sociallogin) -> None:
    from accounts.models import IdentitePivot

    if sociallogin.account.provider != PROVIDER_ID or sociallogin.user is None:
        return
    donnees = sociallogin.account.extra_data
    IdentitePivot.objects.enregistrer_franceconnect(
        sociallogin.user, donnees["userinfo"], emetteur=donnees["id_token"]["iss"]
    )


@receiver(user_logged_in)
def garder_id_token(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None and sociallogin.account.provider == PROVIDER_ID:
        id_token = (sociallogin.state or {}).get("id_token")
        if id_token:
            memoriser_id_token(request, id_token)


@receiver(social_account_added)
def identite_a_la_liaison(sender, request, sociallogin, **kwargs):
    """An account logged in by password links FranceConnect: same keeping as at a login."""
    enregistrer_identite(sociallogin)
    garder_id_token(sender, request, sociallogin.user, sociallogin=sociallogin)


@receiver(social_account_updated)
def identite_a_la_connexion(sender, request, sociallogin, **kwargs):
    enregistrer_identite(sociallogin)
