"""The Celery app: emails, PDFs and the clock-driven transitions run here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

app = Celery("permis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Time-driven lifecycle rules (15 days at the post office, 6 months before destruction...).
    "transitions-temporelles": {
        "task": "demandes.tasks.appliquer_transitions_temporelles",
        "schedule": crontab(minute=15),
    },
}
