"""The queries of « Mes demandes » and of a request's page, each compiled once per process
(permis/requetes_compilees.py): their shape never changes, only the account, the number or
the request's id, and building them cost more CPU than the rest of the page's work.

The scope is `Demande.objects.visibles_par`, built for a stand-in account that has what it
reads of the real one (active or not, its roles): one compiled query for each combination.
"""

from django.http import Http404
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.models import Demande, DocumentProduit, PieceJustificative, demandes_et_documents
from permis.requetes_compilees import compilee

# What the list shows of a request: loading its fifty other columns cost more than the query.
COLONNES_LISTE = ("numero", "motif", "etat", "modifie_le", "deposee_le")


def _compte(actif: bool, roles: frozenset, user_id: int) -> User:
    compte = User(pk=user_id, is_active=actif)
    compte.__dict__["roles"] = roles  # primes User.roles, as the login backend does
    return compte


def _forme(user) -> tuple:
    """What visibles_par reads of the account besides its id."""
    return (user.is_active, frozenset(user.roles))


@compilee(user_id=int)
def _mes_demandes(actif: bool, roles: frozenset, user_id: int):
    return (
        Demande.objects.visibles_par(_compte(actif, roles, user_id))
        .order_by("-modifie_le")
        .lignes_avec_documents(*COLONNES_LISTE)
    )


@compilee(user_id=int, numero=str)
def _la_demande(actif: bool, roles: frozenset, user_id: int, numero: str):
    return Demande.objects.visibles_par(_compte(actif, roles, user_id)).filter(numero=numero)


# Who acted is told from `by_id` alone (etats.auteur) and a state's label is its Etat label:
# neither the author's row nor StateLog.get_state_display's walk over the request's fields.
@compilee(demande_id=int)
def _historique(demande_id):
    return (
        StateLog.objects.for_(Demande(pk=demande_id))
        .only("timestamp", "by", "state")
        .order_by("timestamp", "pk")
    )


# Their own order within the request, without the join their Meta's ("demande", "cree_le")
# costs.
@compilee(demande_id=int)
def _pieces(demande_id):
    return (
        PieceJustificative.objects.filter(demande_id=demande_id)
        .only("demande", "nature", "nom_original")
        .order_by("cree_le")
    )


@compilee(demande_id=int)
def _documents(demande_id):
    return (
        DocumentProduit.objects.filter(demande_id=demande_id)
        .only("demande", "nature", "cree_le")
        .order_by("cree_le")
    )


def mes_demandes(user) -> list[Demande]:
    """The requests `user` may see, last modified first, their COLONNES_LISTE and their
    produced documents (`documents`)."""
    lignes = _mes_demandes(*_forme(user), user_id=user.pk)
    return demandes_et_documents(lignes, COLONNES_LISTE)


def demande_visible(user, numero: str) -> Demande:
    """The request `numero` if `user` may see it, else Http404."""
    for demande in _la_demande(*_forme(user), user_id=user.pk, numero=numero):
        return demande
    raise Http404("Aucune demande ne correspond.")


def historique(demande: Demande) -> list[StateLog]:
    return _historique(demande_id=demande.pk)


def pieces(demande: Demande) -> list[PieceJustificative]:
    return _pieces(demande_id=demande.pk)


def documents(demande: Demande) -> list[DocumentProduit]:
    return _documents(demande_id=demande.pk)
