"""The identifiant email: sent once, after activation only, queued after commit."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from accounts.tasks import envoyer_identifiant
from tests.accounts.conftest import email_verifie


@pytest.mark.django_db
def test_the_identifiant_is_sent_once_even_if_the_task_runs_twice(candidat, mailoutbox):
    email_verifie(candidat)

    assert envoyer_identifiant(candidat.pk) is True
    assert envoyer_identifiant(candidat.pk) is False

    assert len(mailoutbox) == 1
    assert candidat.username in mailoutbox[0].body
    assert "Votre identifiant" in mailoutbox[0].subject


@pytest.mark.django_db
def test_no_identifiant_before_the_email_is_confirmed(candidat, mailoutbox):
    EmailAddress.objects.create(user=candidat, email=candidat.email, verified=False, primary=True)

    assert envoyer_identifiant(candidat.pk) is False
    assert mailoutbox == []


@pytest.mark.django_db
def test_an_account_gone_meanwhile_is_skipped(mailoutbox):
    assert envoyer_identifiant(987654) is False
    assert mailoutbox == []


@pytest.mark.django_db
def test_confirming_an_email_queues_the_identifiant_after_commit(
    rf, candidat, mailoutbox, django_capture_on_commit_callbacks
):
    adresse = EmailAddress.objects.create(
        user=candidat, email=candidat.email, verified=True, primary=True
    )

    with django_capture_on_commit_callbacks(execute=False) as rappels:
        email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=adresse)
    assert mailoutbox == []  # nothing before the commit

    for rappel in rappels:
        rappel()
    assert len(mailoutbox) == 1
