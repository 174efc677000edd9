"""The queries of a request's instruction page, each compiled once per process
(permis/requetes_compilees.py): the page asks them on every view with only ids changing."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.models import Demande, DocumentProduit
from echanges import fil
from echanges.enums import Cote
from echanges.models import Message
from instruction import queries
from instruction.models import JournalPriseEnCharge, PriseEnCharge, VersionDossier, VersionNoms
from permis.requetes_compilees import compilee

# The request with who holds it and who filed it (both shown), within the agent's scope.
_LIEES = ("prise_en_charge__agent", "depose_par")
# Of those two accounts, their names only (User.__str__, get_full_name): not the password's
# hash, nor dates to convert at every view.
_NOMS = {"id", "username", "first_name", "last_name"}
_AUTRES_COLONNES = [
    f"{lien}__{champ.attname}"
    for lien in _LIEES
    for champ in User._meta.concrete_fields
    if champ.attname not in _NOMS
]
# Of the request's own columns, those the page never reads: a draft's purge notice (the page
# opens no draft). Left out, the query's SQL stays under psycopg's 4,096-byte limit, below
# which its conversion to PostgreSQL's placeholders is done once per process.
COLONNES_NON_LUES = ("suppression_annoncee_le",)


def _avec_le_fil(demandes):
    """The thread block's two counts as the back-office reads them (echanges.fil.resume),
    read with the request rather than by a query of their own."""
    return demandes.annotate(**fil.comptes_a_lire(Cote.SERVICE))


def _avec_le_dossier(demandes):
    """What the page's kept file (rendu_demande.Dossier) shows of the request's other rows, as
    the count of their changes PostgreSQL keeps (instruction.models.VersionDossier, migration
    0005's triggers) and of their authors' names (VersionNoms, 0007), read with the request: the rows themselves are read only to render it.
    None for a request none of whose rows was ever written."""
    versions = VersionDossier.objects.filter(demande_id=OuterRef("pk")).values("n")
    noms = VersionNoms.objects.filter(pk=1).values("n")
    return demandes.annotate(version_dossier=Subquery(versions), version_noms=Subquery(noms))


def _la_demande(portee: str, numero: str):
    # One request by its number: no ORDER BY (Demande's Meta orders by date).
    demandes = queries.perimetre(portee).filter(numero=numero).order_by()
    return demandes.select_related(*_LIEES).defer(*_AUTRES_COLONNES, *COLONNES_NON_LUES)


@compilee(numero=str)
def _nationale(numero):
    return _avec_le_fil(_la_demande(queries.NATIONAL, numero))


@compilee(numero=str, departement=str)
def _departementale(numero, departement):
    return _avec_le_fil(_la_demande(departement, numero))


@compilee(numero=str)
def _nationale_et_dossier(numero):
    return _avec_le_dossier(_la_demande(queries.NATIONAL, numero))


@compilee(numero=str, departement=str)
def _departementale_et_dossier(numero, departement):
    return _avec_le_dossier(_la_demande(departement, numero))


def demande_et_prise(
    agent, numero: str, *, dossier: bool = False
) -> tuple[Demande, PriseEnCharge | None]:
    """`queries.consultables_par(agent)` asked for one request, in one query; 404 outside.
    Without `dossier`, the thread block's counts (echanges.fil.resume); with it, the
    count of changes of its other rows the instruction page keeps its file by."""
    portee = queries.portee(agent)
    if portee is None:
        raise Http404("Demande introuvable.")
    if dossier:
        trouvees = queries.selon_la_portee(
            portee, _nationale_et_dossier, _departementale_et_dossier, numero=numero
        )
    else:
        trouvees = queries.selon_la_portee(portee, _nationale, _departementale, numero=numero)
    if not trouvees:
        raise Http404("Demande introuvable.")
    (demande,) = trouvees
    if not dossier:
        fil.comptes_lus(demande, Cote.SERVICE)
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


@compilee(demande_id=int)
def _journal_messages(demande_id):
    # Who wrote each message and who read it, both shown (in Message's order).
    return Message.objects.filter(demande_id=demande_id).select_related("auteur", "lu_par")


def journal_messages(demande: Demande) -> list[Message]:
    return _journal_messages(demande_id=demande.pk)
