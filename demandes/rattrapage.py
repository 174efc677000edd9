"""Reconciliation: what a request's state says must exist, queued again when its task was lost.

A task can vanish: a worker killed before Redis handed its message out again, retries
given up, a broker restarted empty. The state change that queued it is committed; its
document or message is not. Every few minutes (beat entry "rattrapage"), a handful of set
queries, over the requests changed within HORIZON and not in the last GRACE (left to the
task queued on commit), find:

- accepted inscriptions without their attestation d'inscription;
- submitted category B inscriptions without their récépissé de dépôt;
- accepted requests for a title whose production was never launched;
- requests in production whose order the print centre's answer was never noted for: sent
  again with the same idempotency key, the centre prints one card
  (demandes/centre_impression.py);
- state changes announced to the candidate with no message recorded (entries from before
  messages were recorded with the change, or written around `Demande.executer`): recorded now;
- messages recorded and still to send (fewer than TENTATIVES_MAX attempts);

and `demandes.tasks.rattraper_taches_perdues` queues their tasks again. Every task
re-checks its row and is idempotent, so a request queued twice costs one no-op. A message
whose sender died between claiming and confirming it is not sent again (it may have gone
out): it is marked INCERTAINE, for an operator (models.NotificationQuerySet).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_fsm_log.models import StateLog

from demandes import etats
from demandes.enums import Etat
from demandes.models import Demande, DocumentProduit, Notification

GRACE = timedelta(minutes=5)
# How far back to look; the index on Demande.etat_modifie_le keeps each query to the
# requests changed lately, however many millions there are.
HORIZON = timedelta(days=30)
# At most this many of each kind per run: a backlog is taken a batch at a time.
LOT = 500
TENTATIVES_MAX = 10
# A claim older than the hard time limit belongs to a sender that no longer runs.
RECLAMATION_EXPIREE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


@dataclass
class ARattraper:
    attestations: list[int] = field(default_factory=list)
    recepisses: list[int] = field(default_factory=list)
    productions: list[int] = field(default_factory=list)
    commandes: list[int] = field(default_factory=list)
    # (audit entry, channel) of each message still to send
    notifications: list[tuple[int, str]] = field(default_factory=list)
    notifications_enregistrees: int = 0
    incertaines: int = 0

    def bilan(self) -> dict[str, int]:
        return {
            "attestations": len(self.attestations),
            "recepisses": len(self.recepisses),
            "productions": len(self.productions),
            "commandes": len(self.commandes),
            "notifications": len(self.notifications),
            "notifications_enregistrees": self.notifications_enregistrees,
            "incertaines": self.incertaines,
        }


def a_rattraper(maintenant: datetime | None = None, grace: timedelta = GRACE) -> ARattraper:
    """What is missing now (and the messages left unrecorded, recorded on the way)."""
    maintenant = maintenant or timezone.now()
    avant = maintenant - grace
    recentes = Demande.objects.filter(
        etat_modifie_le__gte=maintenant - HORIZON, etat_modifie_le__lt=avant
    )
    lot = ARattraper(
        attestations=_pks(
            recentes.attendent_une_attestation().sans_document(
                DocumentProduit.Nature.ATTESTATION_INSCRIPTION
            )
        ),
        recepisses=_pks(
            recentes.attendent_un_recepisse().sans_document(DocumentProduit.Nature.RECEPISSE_DEPOT)
        ),
        productions=_pks(recentes.attendent_la_production()),
        commandes=_pks(recentes.commandes_a_transmettre()),
    )
    relancer = Notification.objects.a_relancer(avant, TENTATIVES_MAX)
    lot.notifications = list(relancer.values_list("entree_id", "canal")[:LOT])
    enregistrees = _enregistrer_les_oubliees(recentes, maintenant, avant)
    lot.notifications_enregistrees = len(enregistrees)
    lot.notifications += [(n.entree_id, n.canal) for n in enregistrees]
    lot.incertaines = Notification.objects.marquer_incertaines(maintenant - RECLAMATION_EXPIREE)
    return lot


def _pks(demandes) -> list[int]:
    return list(demandes.order_by("etat_modifie_le").values_list("pk", flat=True)[:LOT])


ETATS_ANNONCES = [etat for etat in Etat if etats.notification(etat) is not None]


def _enregistrer_les_oubliees(recentes, maintenant: datetime, avant: datetime) -> list:
    """Record the messages owed by announced entries of recent requests that have none."""
    entrees = list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Demande),
            object_id__in=recentes.values("pk"),
            state__in=ETATS_ANNONCES,
            timestamp__gte=maintenant - HORIZON,
            timestamp__lt=avant,
        )
        .exclude(Exists(Notification.objects.filter(entree=OuterRef("pk"))))
        .order_by("pk")[:LOT]
    )
    if not entrees:
        return []
    demandes = Demande.objects.select_related("candidat").in_bulk({e.object_id for e in entrees})
    dues = [
        notification
        for entree in entrees
        if entree.object_id in demandes
        for notification in Notification.objects.dues(demandes[entree.object_id], entree)
    ]
    return Notification.objects.bulk_create(dues, ignore_conflicts=True)
