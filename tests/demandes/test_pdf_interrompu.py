"""A PDF task cut short (the soft time limit, a database error) leaves nothing behind and
produces its document when tried again."""

from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from demandes import attestation
from demandes.models import Demande, DocumentProduit
from demandes.tasks import produire_attestation, produire_recepisse_depot
from tests.factories import DemandeFactory


def fichiers_stockes(settings) -> list[str]:
    """The produced documents' files in the private storage (uploaded pieces aside)."""
    racine = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(str(p.relative_to(racine)) for p in (racine / "documents").rglob("*.pdf"))


@pytest.fixture
def limite_atteinte_au_premier_enregistrement(monkeypatch):
    """The soft limit strikes once, after the PDF file is written and before its row is."""
    original = DocumentProduit.save
    coups = []

    def save(self, *args, **kwargs):
        if not coups:
            coups.append(self)
            raise SoftTimeLimitExceeded()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DocumentProduit, "save", save)
    return coups


@pytest.mark.django_db
def test_interrupted_receipt_leaves_no_file_and_the_retry_makes_it(
    candidat, settings, limite_atteinte_au_premier_enregistrement
):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    with pytest.raises(SoftTimeLimitExceeded):
        produire_recepisse_depot.run(demande.pk)
    assert not DocumentProduit.objects.filter(demande=demande).exists()
    assert fichiers_stockes(settings) == []
    assert produire_recepisse_depot.delay(demande.pk).get() is True
    (document,) = DocumentProduit.objects.filter(demande=demande)
    assert fichiers_stockes(settings) == [document.fichier.name]


@pytest.mark.django_db
def test_interrupted_attestation_is_retried_by_the_task(
    instructeur, settings, limite_atteinte_au_premier_enregistrement
):
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    # apply() runs the task and its retries in-process, as a worker would run them later.
    assert produire_attestation.apply(args=[demande.pk], throw=False).get() is True
    assert len(limite_atteinte_au_premier_enregistrement) == 1  # the first try was cut short
    (document,) = DocumentProduit.objects.filter(demande=demande)
    assert fichiers_stockes(settings) == [document.fichier.name]
    assert attestation.produire(Demande.objects.get(pk=demande.pk).pk) == document
