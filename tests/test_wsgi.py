"""permis/wsgi.py: the process's long-lived objects frozen once the application is loaded."""

import subprocess
import sys

from django.conf import settings


def test_the_loaded_application_and_its_views_are_frozen_for_the_collector():
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys; import permis.wsgi; "
            "print(gc.get_freeze_count(), 'demandes.views.mes_demandes' in sys.modules)",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    gelés, vues_chargees = sortie.stdout.split()
    assert int(gelés) > 100_000  # Django and the apps, not a handful
    assert vues_chargees == "True"  # the URLconf's views imported before the freeze
