"""The long-lived objects of a web or Celery process frozen for the collector once loaded."""

import subprocess
import sys

from django.conf import settings


def test_the_loaded_application_and_its_views_are_frozen_for_the_collector():
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys; import permis.wsgi; from demandes import geographie; "
            "print(gc.get_freeze_count(), 'demandes.views.mes_demandes' in sys.modules, "
            "geographie.index.cache_info().currsize)",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    gelés, vues_chargees, index_construit = sortie.stdout.split()
    assert int(gelés) > 100_000  # Django and the apps, not a handful
    assert vues_chargees == "True"  # the URLconf's views imported before the freeze
    assert index_construit == "1"  # the communes read before the first address step


def test_a_celery_pool_process_freezes_what_it_loaded():
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            # Django set up as Celery's Django fix-up does before the pool starts.
            "import gc, django; from celery import signals; import permis.celery; "
            "django.setup(); "
            "avant = gc.get_freeze_count(); signals.worker_process_init.send(sender=None); "
            "print(avant, gc.get_freeze_count())",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    avant, apres = map(int, sortie.stdout.split())
    assert avant == 0 and apres > 100_000
