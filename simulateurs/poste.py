"""The simulated post office that delivers licences as registered letters.

Stands for La Poste's registered-mail service: it implements `demandes.poste.Poste` (used
when `settings.PERMIS_POSTE` points to it, the default); its letters are `Pli` rows (shown
in the admin, whose actions present or hand over a letter); a periodic task
(`simulateurs.tasks.presenter_plis`) presents those in transit for
`PERMIS_POSTE_ACHEMINEMENT_HEURES`, and whether someone is home is drawn from the tracking
number, so that `PERMIS_POSTE_TAUX_ABSENCE` percent of the letters wait at the post office.
It reports back by running the portal's system transitions.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from demandes.enums import Etat
from demandes.models import Demande
from simulateurs.models import Pli


class PosteSimulee:
    """The simulated registered-mail service: letters as `Pli` rows."""

    def deposer(self, demande: Demande) -> str:
        en_transit = Pli.objects.filter(demande=demande, statut=Pli.Statut.ACHEMINEMENT).first()
        if en_transit is not None:
            return en_transit.numero_suivi  # handed over again (a retry): the same letter
        # Posted again: the letter left waiting at the post office went back to the sender.
        Pli.objects.filter(demande=demande, statut=Pli.Statut.EN_INSTANCE).update(
            statut=Pli.Statut.RETOURNE
        )
        for _ in range(5):
            numero = f"1L{secrets.randbelow(10**11):011d}"
            try:
                with transaction.atomic():
                    Pli.objects.create(numero_suivi=numero, demande=demande)
            except IntegrityError:
                continue
            return numero
        raise IntegrityError("could not draw a free tracking number")


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
