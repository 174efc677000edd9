"""The Celery configuration that keeps tasks from being lost or hanging a worker."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from permis.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
NOS_APPS = ("accounts.", "auto_ecoles.", "demandes.", "instruction.", "simulateurs.")


def test_a_task_whose_worker_dies_goes_back_to_the_queue():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_every_task_has_a_soft_and_a_hard_time_limit_below_the_visibility_timeout():
    conf = celery_app.conf
    visibilite = conf.broker_transport_options["visibility_timeout"]
    taches = [t for nom, t in celery_app.tasks.items() if nom.startswith(NOS_APPS)]
    assert len(taches) >= 10
    for tache in taches:
        douce = tache.soft_time_limit or conf.task_soft_time_limit
        dure = tache.time_limit or conf.task_time_limit
        assert douce and dure, tache.name
        assert 0 < douce < dure < visibilite, tache.name
    # Minutes, not kombu's default hour.
    assert visibilite <= 30 * 60
    assert visibilite == settings.CELERY_VISIBILITY_TIMEOUT


def test_settings_refuse_a_visibility_timeout_shorter_than_a_task():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env.update({"CELERY_TASK_TIME_LIMIT": "600", "CELERY_VISIBILITY_TIMEOUT": "300"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT" in result.stderr
