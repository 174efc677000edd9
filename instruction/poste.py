"""The post office that delivers licences as registered letters, behind a client interface.

The print centre (or the portal, for a re-sending) hands a letter over with `deposer` and
gets its tracking number. The post then presents the letter at the candidate's address:
handed over (the request becomes distribue) or, nobody there, kept at the post office
(en_instance). The candidate may collect it there (`remettre_au_guichet`); after 15 days
the portal's clock marks it returned (retourne), and the candidate has 6 months to ask for
it to be re-sent before it is destroyed (demandes/tasks.py, appliquer_transitions_temporelles).

The implementation is chosen by `settings.PERMIS_POSTE` (an import path). The default,
`PosteSimulee`, stands for La Poste's registered-mail service: its letters are `Pli` rows
(shown in the admin); a periodic task presents those in transit for
`PERMIS_POSTE_ACHEMINEMENT_HEURES`, and whether someone is home is drawn from the tracking
number, so that `PERMIS_POSTE_TAUX_ABSENCE` percent of the letters wait at the post office.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from demandes.enums import Etat
from demandes.models import Demande
from instruction.models import Pli


class Poste(Protocol):
    def deposer(self, demande: Demande) -> str:
        """Hand over the licence of `demande` as a registered letter; returns its tracking number."""


class PosteSimulee:
    """The simulated registered-mail service: letters as `Pli` rows."""

    def deposer(self, demande: Demande) -> str:
        for _ in range(5):
            numero = f"1L{secrets.randbelow(10**11):011d}"
            try:
                with transaction.atomic():
                    Pli.objects.create(numero_suivi=numero, demande=demande)
            except IntegrityError:
                continue
            return numero
        raise IntegrityError("could not draw a free tracking number")


@cache
def _classe(chemin: str) -> type:
    return import_string(chemin)


def client() -> Poste:
    return _classe(settings.PERMIS_POSTE)()


# --- The simulated post office at work --------------------------------------------------


def destinataire_present(pli: Pli) -> bool:
    """Whether someone is home when the letter is presented: fixed per tracking number."""
    tirage = int(hashlib.sha256(pli.numero_suivi.encode()).hexdigest(), 16) % 100
    return tirage >= settings.PERMIS_POSTE_TAUX_ABSENCE


def presenter(pli_id: int, present: bool | None = None) -> str | None:
    """Present a letter at the address: handed over, or left at the post office.

    `present` forces the outcome (the admin's actions); by default it is drawn. Returns the
    new status, None when the letter was no longer in transit.
    """
    with transaction.atomic():
        pli = Pli.objects.select_for_update().select_related("demande").get(pk=pli_id)
        if pli.statut != Pli.Statut.ACHEMINEMENT or pli.demande.etat != Etat.EXPEDIE:
            return None
        if present is None:
            present = destinataire_present(pli)
        if present:
            pli.demande.executer("distribuer", par=None)
            pli.statut = Pli.Statut.DISTRIBUE
        else:
            pli.demande.executer("mettre_en_instance", par=None)
            pli.statut = Pli.Statut.EN_INSTANCE
        pli.presente_le = timezone.now()
        pli.save(update_fields=["statut", "presente_le"])
        return pli.statut


def remettre_au_guichet(pli_id: int) -> bool:
    """The candidate collects the letter at the post office within the 15 days."""
    with transaction.atomic():
        pli = Pli.objects.select_for_update().select_related("demande").get(pk=pli_id)
        if pli.statut != Pli.Statut.EN_INSTANCE or pli.demande.etat != Etat.EN_INSTANCE:
            return False
        pli.demande.executer("distribuer", par=None)
        pli.statut = Pli.Statut.DISTRIBUE
        pli.save(update_fields=["statut"])
        return True


def plis_a_presenter():
    limite = timezone.now() - timedelta(hours=settings.PERMIS_POSTE_ACHEMINEMENT_HEURES)
    return Pli.objects.filter(statut=Pli.Statut.ACHEMINEMENT, depose_le__lte=limite)


def reexpedier(demande_id: int) -> str | None:
    """Post again a returned licence the candidate asked for: a new letter, a new number."""
    with transaction.atomic():
        demande = Demande.objects.select_for_update().get(pk=demande_id)
        if demande.etat != Etat.EXPEDIE:
            return None
        if demande.plis.filter(statut=Pli.Statut.ACHEMINEMENT).exists():
            return None  # already posted again (a retry)
        demande.plis.filter(statut=Pli.Statut.EN_INSTANCE).update(statut=Pli.Statut.RETOURNE)
        numero = client().deposer(demande)
        # Not a state change: the request stays expedie, with the new letter's number.
        Demande.objects.filter(pk=demande.pk).update(numero_suivi=numero)
        return numero
