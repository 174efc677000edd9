"""Account emails, sent in the background. Tasks take ids, reload, and are safe to run twice."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from permis import emails


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_identifiant(user_id: int) -> bool:
    """Tell a newly activated account its identifiant, once; returns whether it went out now."""
    with transaction.atomic():
        # The row lock makes a concurrent retry wait, then see the email already sent.
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or user.identifiant_envoye_le or not user.email:
            return False
        if not user.emailaddress_set.filter(email__iexact=user.email, verified=True).exists():
            return False
        emails.envoyer("identifiant", user.email, {"user": user})
        user.identifiant_envoye_le = timezone.now()
        user.save(update_fields=["identifiant_envoye_le"])
    return True


@shared_task
def purger_sessions_expirees() -> None:
    """Delete expired sessions: the session table would otherwise keep them for ever
    (the retention the « Données personnelles » page promises)."""
    from django.contrib.sessions.backends.db import SessionStore

    SessionStore.clear_expired()
