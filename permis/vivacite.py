"""Liveness of Celery beat, for its container healthcheck.

Beat has no port to ask: at each wake-up (at least every CELERY_BEAT_MAX_LOOP_INTERVAL
seconds) its scheduler touches a file, and `python -m permis.vivacite` exits 1 when that
file is older than three wake-ups, i.e. beat is stuck or gone.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from celery.beat import PersistentScheduler

FICHIER = Path(
    os.environ.get("PERMIS_BEAT_VIVACITE", str(Path(tempfile.gettempdir()) / "permis-beat-vivant"))
)
AGE_MAX = 180  # seconds: three times CELERY_BEAT_MAX_LOOP_INTERVAL


class OrdonnanceurVivant(PersistentScheduler):
    def tick(self, *args, **kwargs):
        attente = super().tick(*args, **kwargs)
        FICHIER.touch()
        return attente


def vivant(age_max: float = AGE_MAX) -> bool:
    try:
        return time.time() - FICHIER.stat().st_mtime < age_max
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    sys.exit(0 if vivant() else 1)
