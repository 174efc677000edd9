"""A draft untouched for 6 months is deleted, after a warning email a few weeks before."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from demandes import wizard
from demandes.delais import BROUILLON as DELAI_BROUILLON
from demandes.delais import PREAVIS_BROUILLON
from demandes.models import Demande
from demandes.tasks import avertir_suppression_brouillon, purger_brouillons
from permis.celery import app
from tests.factories import DemandeFactory

DEBUT = timezone.now().replace(microsecond=0)
AVANT_PREAVIS = DEBUT + DELAI_BROUILLON - PREAVIS_BROUILLON - timedelta(days=1)
PREAVIS = DEBUT + DELAI_BROUILLON - PREAVIS_BROUILLON + timedelta(hours=1)
SIX_MOIS = DEBUT + DELAI_BROUILLON + timedelta(hours=2)


def purger_le(moment):
    with time_machine.travel(moment, tick=False):
        return purger_brouillons()


@pytest.fixture
def brouillon(candidat):
    with time_machine.travel(DEBUT, tick=False):
        return DemandeFactory(candidat=candidat)


@pytest.mark.django_db
def test_old_draft_is_warned_then_deleted_with_its_files(
    brouillon, django_capture_on_commit_callbacks
):
    fichiers = [p.fichier.name for p in brouillon.pieces.all()]
    assert purger_le(AVANT_PREAVIS) == {"avertis": 0, "supprimes": 0}
    assert mail.outbox == []

    assert purger_le(PREAVIS) == {"avertis": 1, "supprimes": 0}
    assert len(mail.outbox) == 1
    courriel = mail.outbox[0]
    assert courriel.to == [brouillon.email]
    assert brouillon.numero in courriel.subject and "sera bientôt supprimé" in courriel.subject
    # Warned an hour after the due date of the notice, the draft still gets its full notice:
    # the date announced is PREAVIS_BROUILLON after the warning, which can be the next day.
    limite = timezone.localtime(PREAVIS + PREAVIS_BROUILLON)
    assert f"à partir du {limite:%d/%m/%Y}" in courriel.body
    assert f"/demandes/{brouillon.numero}/reprendre/" in courriel.body
    demande = Demande.objects.get(pk=brouillon.pk)
    assert demande.modifie_le == brouillon.modifie_le  # the warning is not a change
    assert demande.suppression_annoncee_le is not None

    # Run again (or retried): no second email.
    assert purger_le(PREAVIS + timedelta(days=1))["avertis"] == 0
    assert avertir_suppression_brouillon(brouillon.pk) is False
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert purger_le(SIX_MOIS) == {"avertis": 0, "supprimes": 1}
    assert not Demande.objects.filter(pk=brouillon.pk).exists()
    assert fichiers and not any(default_storage.exists(nom) for nom in fichiers)


@pytest.mark.django_db
def test_a_draft_saved_after_the_warning_is_kept(brouillon):
    purger_le(PREAVIS)
    with time_machine.travel(PREAVIS + timedelta(days=3), tick=False):
        demande = Demande.objects.get(pk=brouillon.pk)
        demande.nom_usage = "Durand"
        wizard.enregistrer(demande, ["nom_usage"])
    assert purger_le(SIX_MOIS) == {"avertis": 0, "supprimes": 0}
    demande = Demande.objects.get(pk=brouillon.pk)
    assert demande.suppression_annoncee_le is None


@pytest.mark.django_db
def test_a_late_warning_still_gives_the_full_notice(brouillon):
    tard = DEBUT + DELAI_BROUILLON + timedelta(days=10)
    assert purger_le(tard) == {"avertis": 1, "supprimes": 0}
    assert purger_le(tard + PREAVIS_BROUILLON - timedelta(hours=1))["supprimes"] == 0
    assert purger_le(tard + PREAVIS_BROUILLON + timedelta(hours=1))["supprimes"] == 1


@pytest.mark.django_db
def test_submitted_requests_are_never_purged(candidat):
    with time_machine.travel(DEBUT, tick=False):
        demande = DemandeFactory(candidat=candidat, deposee=True)
    assert purger_le(SIX_MOIS + timedelta(days=60)) == {"avertis": 0, "supprimes": 0}
    assert Demande.objects.filter(pk=demande.pk).exists()


def test_the_purge_runs_every_day_from_celery_beat():
    taches = {entree["task"] for entree in app.conf.beat_schedule.values()}
    assert "demandes.tasks.purger_brouillons" in taches
