"""The queries of a request's instruction page, each compiled once per process
(permis/requetes_compilees.py): the page asks them on every view with only ids changing."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django_fsm_log.models import StateLog

from demandes.models import Demande, DocumentProduit
from echanges.enums import Cote
from echanges.models import Message, non_lus_par
from instruction import queries
from instruction.models import JournalPriseEnCharge, PriseEnCharge
from permis.requetes_compilees import compilee

# The request with who holds it and who filed it (both shown), within the agent's scope.
_LIEES = ("prise_en_charge__agent", "depose_par")


def _compte(messages) -> Coalesce:
    compte = messages.order_by().values("demande_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(compte, output_field=IntegerField()), Value(0))


def _avec_le_fil(demandes):
    """The thread block's two counts as the back-office reads them (echanges.fil.resume),
    read with the request rather than by a query of their own."""
    messages = Message.objects.filter(demande_id=OuterRef("pk"))
    return demandes.select_related(*_LIEES).annotate(
        fil_nombre=_compte(messages),
        fil_non_lus=_compte(messages.filter(non_lus_par(Cote.SERVICE))),
    )


@compilee(numero=str)
def _nationale(numero):
    return _avec_le_fil(queries.perimetre(queries.NATIONAL)).filter(numero=numero)


@compilee(numero=str, departement=str)
def _departementale(numero, departement):
    return _avec_le_fil(queries.perimetre(departement)).filter(numero=numero)


def demande_et_prise(agent, numero: str) -> tuple[Demande, PriseEnCharge | None]:
    """`queries.consultables_par(agent)` asked for one request, in one query; 404 outside."""
    portee = queries.portee(agent)
    if portee is None:
        raise Http404("Demande introuvable.")
    trouvees = queries.selon_la_portee(portee, _nationale, _departementale, numero=numero)
    if not trouvees:
        raise Http404("Demande introuvable.")
    (demande,) = trouvees
    demande.comptes_du_fil = (Cote.SERVICE, demande.fil_nombre, demande.fil_non_lus)
    try:
        return demande, demande.prise_en_charge
    except PriseEnCharge.DoesNotExist:
        return demande, None


@compilee(type_id=int, demande_id=int)
def _historique(type_id, demande_id):
    # What Demande.historique() reads (content_type: each entry's get_state_display()).
    return (
        StateLog.objects.filter(content_type_id=type_id, object_id=demande_id)
        .select_related("by", "content_type")
        .order_by("timestamp", "pk")
    )


def historique(demande: Demande) -> list[StateLog]:
    return _historique(type_id=ContentType.objects.get_for_model(Demande).pk, demande_id=demande.pk)


@compilee(demande_id=int)
def _journal_prises(demande_id):
    return JournalPriseEnCharge.objects.filter(demande_id=demande_id).select_related("agent")


def journal_prises(demande: Demande) -> list[JournalPriseEnCharge]:
    return _journal_prises(demande_id=demande.pk)


@compilee(demande_id=int)
def _documents(demande_id):
    # In their Meta's order, for one request: without the join its "demande" asks.
    return DocumentProduit.objects.filter(demande_id=demande_id).order_by("cree_le", "pk")


def documents(demande: Demande) -> list[DocumentProduit]:
    return _documents(demande_id=demande.pk)
