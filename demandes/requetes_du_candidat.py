"""The queries of « Mes demandes » and of a request's page, each compiled once per process
(permis/requetes_compilees.py): their shape never changes, only the account, the number or
the request's id, and building them cost more CPU than the rest of the page's work.

The scope is `Demande.objects.visibles_par`, built for a stand-in account that has what it
reads of the real one (active or not, its roles): one compiled query for each combination.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db.models import DurationField, F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast
from django.http import Http404
from django_fsm_log.models import StateLog

from accounts.models import User
from demandes.enums import Etat
from demandes.models import (
    DelaiConstate,
    Demande,
    DocumentProduit,
    PieceJustificative,
    demandes_et_documents,
)
from permis.requetes_compilees import compilee

# What the list shows of a request: loading its fifty other columns cost more than the query.
COLONNES_LISTE = ("numero", "motif", "etat", "modifie_le", "deposee_le")


@dataclass(frozen=True)
class LuAvecLaDemande:
    """What an app built on the requests shows in a request's page and reads with the
    request rather than by a query of its own: `annotations()` of the request's query (built
    when it is first compiled, named by the app), `recevoir(demande)` on the request read,
    `cle(demande, lecteur)` what the page shows of it to its reader once received: part of
    the key its body is kept under."""

    annotations: Callable[[], dict]
    recevoir: Callable[[Demande], None]
    cle: Callable[[Demande, object], object]


# Filled by those apps' AppConfig.ready() (echanges: the thread's counts), so that this
# module imports none of them; a page read without them still shows what they ask for.
LUS_AVEC_LA_DEMANDE: list[LuAvecLaDemande] = []


def _compte(actif: bool, roles: frozenset, user_id: int) -> User:
    compte = User(pk=user_id, is_active=actif)
    compte.__dict__["roles"] = roles  # primes User.roles, as the login backend does
    return compte


def _forme(user) -> tuple:
    """What visibles_par reads of the account besides its id."""
    return (user.is_active, frozenset(user.roles))


class _EnJson(Subquery):
    """The subquery's rows, in its order, as the text of a JSON array: one string for the
    page's key, decoded only when the page is rendered anew (an ARRAY of JSON had psycopg
    split it and Django decode each element at every view)."""

    template = "array_to_json(ARRAY(%(subquery)s))::text"

    def __init__(self, queryset):
        super().__init__(queryset, output_field=TextField())


class _ObjetJson(Func):
    """json_build_object of the named columns: read as text by _EnJson, where JSONObject's
    jsonb (its keys sorted and deduplicated) cost PostgreSQL a third more for the list."""

    function = "JSON_BUILD_OBJECT"
    output_field = TextField()

    def __init__(self, **champs: str):
        # A key's type must be known when the statement is prepared with its parameters.
        super().__init__(
            *(e for cle, champ in champs.items() for e in (Cast(Value(cle), TextField()), F(champ)))
        )


class _Duree2(Func):
    """ARRAY[a, b] of two durations: a row's two values read by one subquery, where a
    subquery each had PostgreSQL look the row up twice."""

    template = "ARRAY[%(expressions)s]"
    output_field = ArrayField(DurationField(), size=2)


# What the list shows of a request, in the model's order of fields (demandes_et_documents
# reads a row's values in that order), and which of them are dates.
_ORDRE_LISTE = [f.attname for f in Demande._meta.concrete_fields if f.attname in COLONNES_LISTE]
_DATES_LISTE = {
    c for c in COLONNES_LISTE if Demande._meta.get_field(c).get_internal_type() == "DateTimeField"
}


# « Mes demandes »: the rows of DemandeQuerySet.lignes_avec_documents (a row per produced
# document), as one JSON text read on the account's own row: the list's key as it is, where
# psycopg and Django read every value of every row (the dates parsed in Python) at each view.
@compilee(user_id=int)
def _mes_demandes(actif: bool, roles: frozenset, user_id: int):
    lignes = (
        Demande.objects.visibles_par(_compte(actif, roles, user_id))
        .order_by("-modifie_le", "documents_produits__cree_le")
        .values(
            j=_ObjetJson(
                pk="pk",
                **{c: c for c in COLONNES_LISTE},
                document_pk="documents_produits__pk",
                document_nature="documents_produits__nature",
            )
        )
    )
    return (
        User.objects.filter(pk=user_id)
        .annotate(lignes=_EnJson(lignes))
        .values_list("lignes", flat=True)
    )


# The request's page lists its history, pieces and produced documents: read with it, in
# their own order within the request, as JSON arrays of what the page shows of each (a round
# trip each cost more than the page's rows to read). Who acted is told from `by_id` alone
# (etats.auteur) and a state's label is its Etat label: neither the author's row nor
# StateLog.get_state_display's walk over the request's fields. The history's content type
# is a value, not SQL: a test database's flush gives it another id. The delay observed for
# its step in its département too (Demande.delai_constate, which says when there is one),
# its median and 9th decile in one subquery (one per step and département: no order). One
# request by its number: no order either (the model's sorted the row).
@compilee(user_id=int, numero=str, type_id=int)
def _la_demande(actif: bool, roles: frozenset, user_id: int, numero: str, type_id: int):
    delai = DelaiConstate.objects.filter(departement=OuterRef("departement"), etat=OuterRef("etat"))
    return (
        Demande.objects.visibles_par(_compte(actif, roles, user_id))
        .filter(numero=numero)
        .order_by()
        .annotate(
            delai_mediane_decile_9=Subquery(
                delai.order_by().values(d=_Duree2(F("mediane"), F("decile_9")))[:1]
            ),
            historique_lu=_EnJson(
                StateLog.objects.filter(content_type_id=type_id, object_id=OuterRef("pk"))
                .order_by("timestamp", "pk")
                .values(j=_ObjetJson(pk="pk", timestamp="timestamp", by_id="by_id", state="state"))
            ),
            pieces_lues=_EnJson(
                PieceJustificative.objects.filter(demande=OuterRef("pk"))
                .order_by("cree_le")
                .values(j=_ObjetJson(pk="pk", nature="nature", nom_original="nom_original"))
            ),
            documents_lus=_EnJson(
                DocumentProduit.objects.filter(demande=OuterRef("pk"))
                .order_by("cree_le")
                .values(j=_ObjetJson(pk="pk", nature="nature", cree_le="cree_le"))
            ),
            **{nom: e for lu in LUS_AVEC_LA_DEMANDE for nom, e in lu.annotations().items()},
        )
    )


def texte_de_mes_demandes(user) -> str:
    """The requests `user` may see, last modified first, as one JSON text (lignes_de)."""
    for texte in _mes_demandes(*_forme(user), user_id=user.pk):
        return texte
    return "[]"


def lignes_de(texte: str) -> list[tuple]:
    """The rows of texte_de_mes_demandes, as DemandeQuerySet.lignes_avec_documents gives
    them: the request's pk, COLONNES_LISTE in the model's order, a produced document's pk
    and nature (Nones without)."""
    return [
        (
            e["pk"],
            *(
                datetime.fromisoformat(e[c]) if c in _DATES_LISTE and e[c] is not None else e[c]
                for c in _ORDRE_LISTE
            ),
            e["document_pk"],
            e["document_nature"],
        )
        for e in json.loads(texte)
    ]


def mes_demandes(user) -> list[Demande]:
    """The requests `user` may see, last modified first, their COLONNES_LISTE and their
    produced documents (`documents`)."""
    return demandes_et_documents(lignes_de(texte_de_mes_demandes(user)), COLONNES_LISTE)


def demande_visible(user, numero: str) -> Demande:
    """The request `numero` if `user` may see it, else Http404."""
    type_id = ContentType.objects.get_for_model(Demande).pk
    for demande in _la_demande(*_forme(user), user_id=user.pk, numero=numero, type_id=type_id):
        delai = None
        if demande.delai_mediane_decile_9 is not None:
            mediane, decile_9 = demande.delai_mediane_decile_9
            delai = DelaiConstate(
                departement=demande.departement,
                etat=demande.etat,
                mediane=mediane,
                decile_9=decile_9,
            )
        demande.delai_lu = (demande.departement, demande.etat, delai)
        if demande.etat == Etat.BROUILLON:
            # Whether it can be filed and where to resume judge its pieces (pieces_manquantes):
            # those read with it, where each asked for their natures again.
            demande._natures_connues = {p["nature"] for p in json.loads(demande.pieces_lues)}
        for lu in LUS_AVEC_LA_DEMANDE:
            lu.recevoir(demande)
        return demande
    raise Http404("Aucune demande ne correspond.")


def historique(demande: Demande) -> list[StateLog]:
    """The history of a request read by demande_visible (timestamp, who, state), oldest first."""
    return [
        StateLog.from_db(
            demande._state.db,
            ["id", "timestamp", "by_id", "state"],
            [e["pk"], datetime.fromisoformat(e["timestamp"]), e["by_id"], e["state"]],
        )
        for e in json.loads(demande.historique_lu)
    ]


def pieces(demande: Demande) -> list[PieceJustificative]:
    """The pieces of a request read by demande_visible (pk, nature, original name)."""
    return [
        PieceJustificative.from_db(
            demande._state.db,
            ["id", "demande_id", "nature", "nom_original"],
            [p["pk"], demande.pk, p["nature"], p["nom_original"]],
        )
        for p in json.loads(demande.pieces_lues)
    ]


def documents(demande: Demande) -> list[DocumentProduit]:
    """The produced documents of a request read by demande_visible (pk, nature, date)."""
    return [
        DocumentProduit.from_db(
            demande._state.db,
            ["id", "demande_id", "nature", "cree_le"],
            [d["pk"], demande.pk, d["nature"], datetime.fromisoformat(d["cree_le"])],
        )
        for d in json.loads(demande.documents_lus)
    ]
