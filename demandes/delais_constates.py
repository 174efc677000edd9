"""The delays candidates actually wait, per département and step, from the audit trail.

For each step where a request waits on the administration, and each département, the
median and the 9th decile of the stays in that step that ended in the last
`delais.FENETRE_DELAIS_CONSTATES`, shown as « N jours (9 demandes sur 10 en moins de M jours) ».
A stay runs from the transition that entered the step to the next transition of the same
request (django-fsm-log's StateLog). A periodic task recomputes the table
(`DelaiConstate`); pages only read it. Fewer than `EFFECTIF_MIN` stays say too little:
no figure is shown then.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django_fsm_log.models import StateLog

from demandes.enums import Etat

# The steps a candidate waits through, whose length the portal measures and shows.
ETAPES = (Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION, Etat.TITRE_EN_PRODUCTION)
EFFECTIF_MIN = 10


@dataclass(frozen=True)
class Mesure:
    departement: str
    etat: str
    mediane: timedelta
    decile_9: timedelta
    effectif: int


def mediane(durees: list[timedelta]) -> timedelta:
    return statistics.median(sorted(durees))


def decile_9(durees: list[timedelta]) -> timedelta:
    """The smallest stay that 9 stays out of 10 do not exceed (nearest rank)."""
    ordonnees = sorted(durees)
    return ordonnees[math.ceil(0.9 * len(ordonnees)) - 1]


def sejours(debut: datetime, fin: datetime):
    """(département, step, length) of every stay in a measured step that ended in [debut, fin)."""
    from demandes.models import Demande

    type_demande = ContentType.objects.get_for_model(Demande)
    terminees = StateLog.objects.filter(
        content_type=type_demande, timestamp__gte=debut, timestamp__lt=fin
    ).values("object_id")
    journal = (
        StateLog.objects.filter(
            content_type=type_demande, object_id__in=terminees, timestamp__lt=fin
        )
        .annotate(
            departement=Subquery(
                Demande.objects.filter(pk=OuterRef("object_id")).values("departement")[:1]
            )
        )
        .order_by("object_id", "timestamp", "pk")
        .values_list("object_id", "state", "timestamp", "departement")
    )
    precedent = None
    for entree in journal.iterator(chunk_size=5000):
        if precedent and precedent[0] == entree[0]:
            _, etat, entre_le, departement = precedent
            if etat in ETAPES and entree[2] >= debut:
                yield departement, etat, entree[2] - entre_le
        precedent = entree


def mesurer(debut: datetime, fin: datetime) -> list[Mesure]:
    par_etape: dict[tuple[str, str], list[timedelta]] = defaultdict(list)
    for departement, etat, duree in sejours(debut, fin):
        if departement:
            par_etape[departement, etat].append(duree)
    return [
        Mesure(departement, etat, mediane(durees), decile_9(durees), len(durees))
        for (departement, etat), durees in sorted(par_etape.items())
        if len(durees) >= EFFECTIF_MIN
    ]
