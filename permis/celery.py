"""The Celery app: emails, PDFs and the clock-driven transitions run here."""

import gc
import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

app = Celery("permis")
# The beat scheduler that also touches its liveness file (permis/vivacite.py).
app.conf.beat_scheduler = "permis.vivacite:OrdonnanceurVivant"
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_process_init.connect
def geler_ce_qui_est_charge(**kwargs) -> None:
    """In each pool process once started: what is loaded (Django, the apps, the tasks) lives as
    long as the process, so the garbage collector's full passes, which a PDF render's
    hundreds of thousands of objects set off, no longer walk it (as permis/wsgi.py)."""
    gc.freeze()


app.conf.beat_schedule = {
    # Time-driven lifecycle rules (15 days at the post office, 6 months before destruction...).
    "transitions-temporelles": {
        "task": "demandes.tasks.appliquer_transitions_temporelles",
        "schedule": crontab(minute=15),
    },
    # Documents and messages whose task was lost, queued again (demandes/rattrapage.py).
    "rattrapage": {
        "task": "demandes.tasks.rattraper_taches_perdues",
        "schedule": crontab(minute="*/5"),
    },
    # The notifications of back-office messages whose task was lost (echanges/tasks.py).
    "rattrapage-messages": {
        "task": "echanges.tasks.rattraper_notifications_messages",
        "schedule": crontab(minute="*/5"),
    },
    # The backlog page's median and weekly figures, computed again before their cache expires
    # (instruction.queries.DUREE_CACHE_MEDIANE, 5 minutes): no page waits ~0.5 s for them. A run
    # not started within the period is dropped, the next one does the same work.
    "chiffres-pilotage": {
        "task": "instruction.tasks.actualiser_chiffres_pilotage",
        "schedule": crontab(minute="*/4"),
        "options": {"expires": 4 * 60},
    },
    # Drafts untouched for 6 months: warning email, then deletion.
    "purge-brouillons": {
        "task": "demandes.tasks.purger_brouillons",
        "schedule": crontab(hour=4, minute=30),
    },
    # The delays observed per département and step, shown to candidates (from the audit trail).
    "delais-constates": {
        "task": "demandes.tasks.actualiser_delais_constates",
        "schedule": crontab(hour=3, minute=10),
    },
    # Expired login sessions deleted every night (the « Données personnelles » page says so).
    "purge-sessions": {
        "task": "accounts.tasks.purger_sessions_expirees",
        "schedule": crontab(hour=4, minute=45),
    },
    # The simulated print centre's rounds: orders printed, then posted
    # (simulateurs/centre_impression.py).
    "tournee-du-centre-d-impression": {
        "task": "simulateurs.tasks.traiter_ordres_fabrication",
        "schedule": crontab(minute="*/15"),
    },
    # The simulated post office's rounds: letters in transit are presented (simulateurs/poste.py).
    "tournee-de-la-poste": {
        "task": "simulateurs.tasks.presenter_plis",
        "schedule": crontab(minute=45),
    },
}
