"""Publishing a task reads Celery's settings from Django's: each one it reads is found there at
once, under its CELERY_ name, rather than after four failed look-ups, each an exception."""

from collections import Counter

from celery.utils.collections import ConfigurationView
from django.conf import settings

from demandes import tasks
from permis.celery import app


def test_every_setting_a_publish_reads_is_a_django_setting(monkeypatch):
    lues = Counter()
    lire = ConfigurationView.__getitem__

    def __getitem__(self, cle):
        lues[cle] += 1
        return lire(self, cle)

    app.conf.task_always_eager = False  # published, not run (tests/conftest.py runs them)
    try:
        with (
            app.connection_for_write("memory://") as connexion,
            connexion.Producer() as producteur,
        ):
            for instrument in (False, True):  # the first publish sets the producer up
                if instrument:
                    monkeypatch.setattr(ConfigurationView, "__getitem__", __getitem__)
                with producteur.batch():
                    tasks.notifier_changement_etat.apply_async((1,), producer=producteur)
                    tasks.produire_recepisse_depot.apply_async((2,), producer=producteur)
            monkeypatch.undo()
    finally:
        app.conf.task_always_eager = True
    assert lues, "no setting read: the instrument no longer sees Celery's look-ups"
    # The one set for the tests above is Celery's own (its conf), as in production Django's.
    absentes = [c for c in lues if not hasattr(settings, f"CELERY_{c.upper()}")]
    assert absentes == [], lues
