"""Kill a real Celery worker mid-render: every document and every message exists exactly once.

A prefork worker (2 pool processes) on Redis, as in production, runs the effects of many
acceptances and submissions: attestations and récépissés rendered by WeasyPrint, emails to
a real SMTP server, SMS to the simulated gateway. The test kills a pool process with
SIGKILL while it renders (its message goes back to the queue: task_reject_on_worker_lost),
then the main process and its pool (what it had taken stays unacknowledged in Redis), and
drops the messages still queued (as a broker restarted empty would). After a restart, the
visibility timeout hands the unacknowledged messages out again and the reconciliation
(demandes/rattrapage.py) queues what was dropped.

The kills are timed by stopping the processes first (SIGSTOP) and checking that no message
is between its claim and its confirmation: that instant is the one a crash can turn into a
lost message (never a second one), by design (models.NotificationQuerySet).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from demandes.models import Demande, DocumentProduit, Notification
from demandes.tasks import rattraper_taches_perdues
from permis.celery import app as celery_app
from simulateurs.models import Sms
from tests.factories import DemandeFactory
from tests.smtp import ServeurSmtp

ROOT = Path(__file__).resolve().parent.parent
RENDUS = {"demandes.tasks.produire_attestation", "demandes.tasks.produire_recepisse_depot"}
# Enough renders that one is still running when the first inspection answers: each takes
# about 0.1 s once the pool process has drawn its first lines (demandes/pdf.py).
ACCEPTATIONS, DEPOTS = 20, 16
# The worker's limits, small so that recovery fits in a test: Redis hands out the messages
# of a dead worker after VISIBILITE seconds.
VISIBILITE = 20
DELAI = 180  # bound of every wait (seconds); never an assertion on speed

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def attendre(condition, secondes: float = DELAI, pas: float = 0.2):
    fin = time.monotonic() + secondes
    while time.monotonic() < fin:
        resultat = condition()
        if resultat:
            return resultat
        time.sleep(pas)
    return None


def url_base_de_test() -> str:
    base = connection.settings_dict
    motdepasse = f":{base['PASSWORD']}" if base["PASSWORD"] else ""
    return (
        f"postgres://{base['USER']}{motdepasse}@{base['HOST'] or '127.0.0.1'}:"
        f"{base['PORT'] or 5432}/{base['NAME']}"
    )


def enfants(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def aucun_envoi_en_cours() -> bool:
    """No message between its claim and its confirmation: the one instant a kill turns into a
    message the reconciliation can only mark uncertain (models.NotificationQuerySet)."""
    return not Notification.objects.filter(statut=Notification.Statut.EN_COURS).exists()


def signaler(pid: int, signal_: int) -> None:
    """Signal a process of the worker, unless it is gone already (reaped once killed)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal_)


class Worker:
    """`celery worker` in a process of its own, as `make worker` starts it."""

    def __init__(self, env: dict[str, str], journal: Path):
        self.nom = f"tue-{uuid.uuid4().hex[:8]}@localhost"
        self.env, self.journal = env, journal
        self.processus: subprocess.Popen | None = None
        self.pool: list[int] = []

    def demarrer(self) -> None:
        with self.journal.open("a") as journal:
            self.processus = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "permis", "worker", "-n", self.nom,
                 "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=self.env, stdout=journal, stderr=subprocess.STDOUT,
            )  # fmt: skip
        assert attendre(lambda: len(enfants(self.processus.pid)) == 2), self.lire_journal()

    def lire_journal(self) -> str:
        return self.journal.read_text()[-4000:]

    def taches_actives(self) -> list[dict]:
        reponse = celery_app.control.inspect(destination=[self.nom], timeout=2).active() or {}
        return reponse.get(self.nom, [])

    def rendu_en_cours(self) -> dict | None:
        return next((t for t in self.taches_actives() if t["name"] in RENDUS), None)

    def tuer_pendant_un_rendu(self) -> int:
        """SIGKILL a pool process while the main process still records it as rendering."""
        for _ in range(200):
            tache = attendre(self.rendu_en_cours, pas=0.05)
            assert tache, "no render ever started: " + self.lire_journal()
            pid = tache["worker_pid"]
            signaler(pid, signal.SIGSTOP)
            # Frozen: if it still holds that render, it is in the middle of it. The main
            # process's list can lag behind its pool process, which may have moved on to a
            # message and claimed it: then it is not the instant either.
            if (
                any(t["id"] == tache["id"] for t in self.taches_actives())
                and aucun_envoi_en_cours()
            ):
                signaler(pid, signal.SIGKILL)
                signaler(pid, signal.SIGCONT)
                return pid
            signaler(pid, signal.SIGCONT)
        raise AssertionError("could not catch a render in progress")

    def tuer_tout(self) -> None:
        """SIGKILL the main process and its pool, at an instant when no message is between
        its claim and its confirmation (see the module's docstring)."""
        for _ in range(200):
            pool = enfants(self.processus.pid)
            for pid in pool:
                signaler(pid, signal.SIGSTOP)
            if aucun_envoi_en_cours():
                self.processus.kill()
                self.processus.wait(timeout=30)
                for pid in pool:
                    signaler(pid, signal.SIGKILL)
                    signaler(pid, signal.SIGCONT)
                return
            for pid in pool:
                signaler(pid, signal.SIGCONT)
            time.sleep(0.02)
        raise AssertionError("a message was always being sent")

    def arreter(self) -> None:
        if self.processus and self.processus.poll() is None:
            pool = enfants(self.processus.pid)
            self.processus.terminate()
            try:
                self.processus.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.processus.kill()
                self.processus.wait()
            for pid in pool:
                signaler(pid, signal.SIGKILL)


@pytest.fixture
def courtier():
    """Redis as the broker of this test process and of the worker, emptied before and after."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL must point to Redis for the worker tests (make test sets it).")
    client = redis.Redis.from_url(settings.REDIS_URL)
    cles = ["celery", "unacked", "unacked_index", "unacked_mutex"]
    client.delete(*cles)
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.conf.task_always_eager = False
    try:
        yield client
    finally:
        celery_app.conf.task_always_eager = True
        client.delete(*cles)


@pytest.fixture
def smtp():
    with ServeurSmtp() as serveur:
        yield serveur


@pytest.fixture
def worker(courtier, smtp, settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "EMAIL_"))}
    env.update(
        DATABASE_URL=url_base_de_test(),
        REDIS_URL=settings.REDIS_URL,
        EMAIL_URL=smtp.url,
        PERMIS_PRIVATE_STORAGE=str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_TASK_SOFT_TIME_LIMIT="12",
        CELERY_TASK_TIME_LIMIT="15",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITE),
        CELERY_UNACKED_RESTORE_INTERVAL="2",
    )
    w = Worker(env, tmp_path / "worker.log")
    try:
        yield w
    finally:
        w.arreter()


def tout_est_fait(courtier, attendus: dict) -> bool:
    return (
        DocumentProduit.objects.count() == attendus["documents"]
        and not Notification.objects.exclude(statut=Notification.Statut.ENVOYEE).exists()
        and courtier.llen("celery") == 0
        and courtier.hlen("unacked") == 0
    )


def test_killed_worker_loses_nothing_and_sends_nothing_twice(
    worker, courtier, smtp, instructeur, candidat
):
    # Inscriptions in A2 get an attestation once accepted; in B, a récépissé once submitted.
    acceptees = [
        DemandeFactory(en_instruction=True, departement="69", categories=["A2"])
        for _ in range(ACCEPTATIONS)
    ]
    deposees = [DemandeFactory(candidat=candidat) for _ in range(DEPOTS)]
    for demande in acceptees:
        demande.executer("accepter", par=instructeur)  # queued on commit: email, SMS, PDF
    for demande in deposees:
        demande.executer("deposer", par=candidat)
    attendus = {"documents": ACCEPTATIONS + DEPOTS}
    assert courtier.llen("celery") == 3 * (ACCEPTATIONS + DEPOTS)

    worker.demarrer()
    tue = worker.tuer_pendant_un_rendu()
    worker.tuer_tout()
    assert tue and worker.processus.returncode == -signal.SIGKILL
    faits = DocumentProduit.objects.count()
    assert faits < attendus["documents"], "the kill came after all the work was done"
    courtier.delete("celery")  # and the broker loses what was still queued

    worker.demarrer()
    rattraper_taches_perdues.delay(grace_secondes=0)
    assert attendre(lambda: tout_est_fait(courtier, attendus)), worker.lire_journal()
    assert attendre(lambda: worker.taches_actives() == []), worker.lire_journal()

    for demandes, nature in [
        (acceptees, DocumentProduit.Nature.ATTESTATION_INSCRIPTION),
        (deposees, DocumentProduit.Nature.RECEPISSE_DEPOT),
    ]:
        for demande in demandes:
            (document,) = DocumentProduit.objects.filter(demande=demande)
            assert document.nature == nature
            with document.fichier.open("rb") as flux:
                assert flux.read(5) == b"%PDF-"
    courriels = Notification.objects.filter(canal=Notification.Canal.EMAIL)
    assert courriels.count() == ACCEPTATIONS + DEPOTS
    assert Counter(smtp.boite.message_ids()) == {n.message_id: 1 for n in courriels}
    textos = Notification.objects.filter(canal=Notification.Canal.SMS)
    assert textos.count() == ACCEPTATIONS + DEPOTS
    assert Counter(Sms.objects.values_list("demande_id", flat=True)) == {
        d.pk: 1 for d in Demande.objects.filter(notifications__in=textos)
    }
