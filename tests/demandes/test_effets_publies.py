"""What a transition queues once committed: through one producer, in one batch."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django_fsm_log.models import StateLog
from kombu import messaging

from demandes import lifecycle, tasks
from permis.celery import app
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db


class Producteur:
    def __init__(self):
        self.en_lot = False
        self.lots = 0
        self.connection = SimpleNamespace(declared_entities=set())

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


# Every task planifier_effets may queue (its table), with the argument it passes.
TACHES_DES_EFFETS = [
    tasks.notifier_changement_etat,
    tasks.notifier_changement_etat_sms,
    tasks.produire_recepisse_depot,
    tasks.produire_attestation,
    tasks.lancer_production,
    tasks.commander_titre,
    tasks.reexpedier_titre,
]


def test_every_effect_goes_to_the_default_queue():
    """What lets _options_de_publication speak of the default queue alone."""
    for tache in TACHES_DES_EFFETS:
        route = app.amqp.router.route({}, tache.name, (1,), {}, tache)
        assert route["queue"] is app.amqp.default_queue, tache.name


def test_a_lot_once_its_queue_declared_asks_no_declaration_and_sends_the_same_messages(
    monkeypatch,
):
    """Through a real broker connection (memory://): the first lot declares the queue as
    Celery does, the next ones do not ask kombu again; their messages are Celery's own."""
    declarations = []
    declarer = messaging.maybe_declare
    monkeypatch.setattr(
        messaging,
        "maybe_declare",
        lambda e, *a, **k: declarations.append(e) or declarer(e, *a, **k),
    )
    app.conf.task_always_eager = False  # published, not run (tests/conftest.py runs them)
    try:
        with app.connection_for_write("memory://") as connexion:
            with connexion.Producer() as producteur:
                envois = []
                for options_donnees in (True, True, False):
                    with producteur.batch():
                        options = lifecycle._options_de_publication(producteur)
                        envois.append(dict(options))
                        for tache in TACHES_DES_EFFETS[:3]:
                            extra = options if options_donnees else {}
                            tache.apply_async((7,), producer=producteur, **extra)
            with connexion.SimpleQueue(app.amqp.default_queue.name) as file:
                recus = [file.get(timeout=1) for _ in range(9)]
                for message in recus:
                    message.ack()
    finally:
        app.conf.task_always_eager = True
    assert envois == [{}, {"declare": []}, {"declare": []}]
    assert len(declarations) == 3 + 3  # the first lot's, then Celery's own in the last one

    def sans_identifiants(message):
        entetes = {k: v for k, v in message.headers.items() if k not in ("id", "root_id")}
        proprietes = {
            k: v
            for k, v in message.properties.items()
            if k not in ("correlation_id", "delivery_tag")
        }
        return entetes, proprietes, message.body

    lots = [[sans_identifiants(m) for m in recus[i : i + 3]] for i in (0, 3, 6)]
    assert lots[0] == lots[1] == lots[2]
    assert [m.headers["task"] for m in recus[:3]] == [t.name for t in TACHES_DES_EFFETS[:3]]
