"""What a transition queues once committed: through one producer, in one batch."""

from contextlib import contextmanager

import pytest
from django_fsm_log.models import StateLog

from demandes import tasks
from permis.celery import app
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db


class Producteur:
    def __init__(self):
        self.en_lot = False
        self.lots = 0

    @contextmanager
    def batch(self):
        self.en_lot, self.lots = True, self.lots + 1
        yield
        self.en_lot = False


@pytest.fixture
def publications(monkeypatch):
    """(task name, arguments, producer, inside its batch) of each publication, and the
    producers acquired."""
    publiees, acquis = [], []

    @contextmanager
    def acquerir(producteur=None):
        acquis.append(Producteur())
        yield acquis[-1]

    def publier(nom):
        def apply_async(args, producer=None, **options):
            publiees.append((nom, args, producer, getattr(producer, "en_lot", False)))

        return apply_async

    monkeypatch.setattr(app, "producer_or_acquire", acquerir)
    for tache in (tasks.notifier_changement_etat, tasks.notifier_changement_etat_sms,
                  tasks.produire_recepisse_depot):  # fmt: skip
        monkeypatch.setattr(tache, "apply_async", publier(tache.name))
    return publiees, acquis


def test_a_submission_queues_its_three_tasks_in_one_batch_of_one_producer(
    publications, django_capture_on_commit_callbacks
):
    publiees, acquis = publications
    demande = DemandeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        demande.executer("deposer", par=demande.candidat)
    entree = StateLog.objects.for_(demande).latest("pk")
    assert [(nom, args) for nom, args, _, _ in publiees] == [
        (tasks.notifier_changement_etat.name, (entree.pk,)),
        (tasks.notifier_changement_etat_sms.name, (entree.pk,)),
        (tasks.produire_recepisse_depot.name, (demande.pk,)),
    ]
    (producteur,) = acquis
    assert producteur.lots == 1
    assert all(p is producteur and en_lot for _, _, p, en_lot in publiees)
