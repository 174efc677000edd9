"""The broker path: tasks queued on commit travel through Redis to a real Celery worker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from demandes.models import Demande, Notification
from permis.celery import app as celery_app
from tests.factories import DemandeFactory


@pytest.fixture
def worker_on_redis():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL must point to Redis for the worker tests (make test sets it).")
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.task_always_eager = True


def attendre(condition, secondes: float = 30) -> bool:
    """Poll until the worker has done its part (a bound, not a speed assertion)."""
    fin = time.monotonic() + secondes
    while time.monotonic() < fin:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_submission_email_and_receipt_are_made_by_a_worker_through_redis(worker_on_redis, candidat):
    demande = DemandeFactory(candidat=candidat)
    demande.executer("deposer", par=candidat)

    assert attendre(
        lambda: Notification.objects.filter(demande=demande, envoyee_le__isnull=False).count() >= 2
    )
    assert attendre(lambda: Demande.objects.get(pk=demande.pk).documents_produits.exists())
    confirmations = [m for m in mail.outbox if demande.numero in m.subject]
    assert len(confirmations) == 1
    assert confirmations[0].to == [demande.email]
