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


def _oublier_les_comptes(sender, using="default", **kwargs):
    """A group written: every account (its members and its name's role); an account, an
    authenticator or a FranceConnect identity: that account."""
    from django.contrib.auth.models import Group

    from accounts.comptes_gardes import oublier_les_comptes
    from accounts.models import User

    instance = kwargs["instance"]
    if sender is Group:
        oublier_les_comptes(using)
    else:
        oublier_les_comptes(using, [instance.pk if sender is User else instance.user_id])


def _oublier_si_les_groupes_changent(
    sender, instance, action, reverse, pk_set, using="default", **kwargs
):
    from accounts.comptes_gardes import oublier_les_comptes

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # an account's groups
        oublier_les_comptes(using, [instance.pk])
    elif pk_set is None:  # a group's members all removed (post_clear): not named
        oublier_les_comptes(using)
    else:  # a group's members
        oublier_les_comptes(using, sorted(pk_set))


def connecter_les_oublis() -> None:
    """Every write that changes an account as accounts/backends.py reads it drops the
    accounts kept per process (accounts/comptes_gardes.py)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from accounts.models import IdentitePivot, User

    for modele in (User, Group, Authenticator, IdentitePivot):
        post_save.connect(_oublier_les_comptes, sender=modele, dispatch_uid=f"oubli-{modele}")
        post_delete.connect(_oublier_les_comptes, sender=modele, dispatch_uid=f"oubli-{modele}")
    m2m_changed.connect(
        _oublier_si_les_groupes_changent, sender=User.groups.through, dispatch_uid="oubli-groupes"
    )
