"""The queries of « Mes demandes » and of a request's page, each compiled once per process
(demandes/requetes_compilees.py): their shape never changes, only the account, the number or
the request's id, and building them cost more CPU than the rest of the page's work.

The scope is `Demande.objects.visibles_par`, built for a stand-in account that has what it
reads of the real one (active or not, its roles: one compiled query for each combination).
"""

from django.http import Http404
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.models import Demande, DocumentProduit, PieceJustificative, demandes_et_documents
from demandes.requetes_compilees import RequeteCompilee

# What the list shows of a request: loading its fifty other columns cost more than the query.
COLONNES_LISTE = ("numero", "motif", "etat", "modifie_le", "deposee_le")

# Stand-ins no real row holds, found again in the compiled queries' parameters.
_ID_FICTIF = 2_147_000_123  # in the range of every id column (out of it, no SQL)
_NUMERO_FICTIF = "numéro fictif"


def _compte(actif: bool, roles: frozenset, user_id: int) -> User:
    compte = User(pk=user_id, is_active=actif)
    compte.__dict__["roles"] = roles  # primes User.roles, as the login backend does
    return compte


def _forme(user) -> tuple:
    """What visibles_par reads of the account besides its id."""
    return (user.is_active, frozenset(user.roles))


_MES_DEMANDES = RequeteCompilee(
    lambda actif, roles, user_id: (
        Demande.objects.visibles_par(_compte(actif, roles, user_id))
        .order_by("-modifie_le")
        .lignes_avec_documents(*COLONNES_LISTE)
    ),
    user_id=_ID_FICTIF,
)
_LA_DEMANDE = RequeteCompilee(
    lambda actif, roles, user_id, numero: Demande.objects.visibles_par(
        _compte(actif, roles, user_id)
    ).filter(numero=numero),
    user_id=_ID_FICTIF,
    numero=_NUMERO_FICTIF,
)
# Who acted is told from `by_id` alone (etats.auteur) and a state's label is its Etat label:
# neither the author's row nor StateLog.get_state_display's walk over the request's fields.
_HISTORIQUE = RequeteCompilee(
    lambda demande_id: (
        StateLog.objects.for_(Demande(pk=demande_id))
        .only("timestamp", "by", "state")
        .order_by("timestamp", "pk")
    ),
    demande_id=_ID_FICTIF,
)
# Their own order within the request, without the join their Meta's ("demande", "cree_le")
# costs.
_PIECES = RequeteCompilee(
    lambda demande_id: (
        PieceJustificative.objects.filter(demande_id=demande_id)
        .only("demande", "nature", "nom_original")
        .order_by("cree_le")
    ),
    demande_id=_ID_FICTIF,
)
_DOCUMENTS = RequeteCompilee(
    lambda demande_id: (
        DocumentProduit.objects.filter(demande_id=demande_id)
        .only("demande", "nature", "cree_le")
        .order_by("cree_le")
    ),
    demande_id=_ID_FICTIF,
)


def mes_demandes(user) -> list[Demande]:
    """The requests `user` may see, last modified first, their COLONNES_LISTE and their
    produced documents (`documents`)."""
    lignes = _MES_DEMANDES.lignes(*_forme(user), user_id=user.pk)
    return demandes_et_documents(lignes, COLONNES_LISTE)


def demande_visible(user, numero: str) -> Demande:
    """The request `numero` if `user` may see it, else Http404."""
    for demande in _LA_DEMANDE.objets(*_forme(user), user_id=user.pk, numero=numero):
        return demande
    raise Http404("Aucune demande ne correspond.")


def historique(demande: Demande) -> list[StateLog]:
    return _HISTORIQUE.objets(demande_id=demande.pk)


def pieces(demande: Demande) -> list[PieceJustificative]:
    return _PIECES.objets(demande_id=demande.pk)


def documents(demande: Demande) -> list[DocumentProduit]:
    return _DOCUMENTS.objets(demande_id=demande.pk)
