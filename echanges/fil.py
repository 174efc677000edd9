"""A thread as each side reads it: who wrote each message, in words that side may see."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from demandes.enums import Etat
from demandes.models import Demande
from echanges.enums import SERVICE_INSTRUCTEUR, Cote
from echanges.models import Message, fil_ouvert, non_lus_par
from permis.requetes_compilees import compilee


@dataclass(frozen=True)
class Ligne:
    message: Message
    auteur: str
    de_mon_cote: bool  # written by the reader's side: its read receipt is shown

    @property
    def lu_le(self) -> datetime | None:
        return self.message.lu_le


def _nom(user) -> str:
    return user.get_full_name() or user.email or user.username


def auteur_pour(message: Message, cote: Cote, lecteur) -> str:
    """The author as `lecteur` (on `cote`) reads it. The requester's side never reads an
    agent's name: every back-office message is « Le service instructeur »."""
    if message.auteur_id == lecteur.pk:
        return "Vous"
    if message.cote == Cote.SERVICE:
        return _nom(message.auteur) if cote == Cote.SERVICE else SERVICE_INSTRUCTEUR
    if message.auteur_id == message.demande.candidat_id:
        return (
            f"{_nom(message.auteur)} (candidat)" if cote == Cote.SERVICE else _nom(message.auteur)
        )
    membre = getattr(message.auteur, "membre_auto_ecole", None)
    ecole = f", {membre.auto_ecole}" if membre is not None else ""
    return f"{_nom(message.auteur)} (auto-école{ecole})"


@compilee(demande_id=int)
def _messages(demande_id):
    return Message.objects.filter(demande_id=demande_id).select_related(
        "auteur__membre_auto_ecole__auto_ecole"
    )


def lignes(demande: Demande, cote: Cote, lecteur) -> list[Ligne]:
    messages = _messages(demande_id=demande.pk)
    for message in messages:
        # Each message's `demande` is the request at hand: no join, nor its fifty columns.
        Message.demande.field.set_cached_value(message, demande)
    return [Ligne(m, auteur_pour(m, cote, lecteur), de_mon_cote=m.cote == cote) for m in messages]


def a_lire(lignes: list[Ligne]) -> bool:
    """Whether a message of the other side among `lignes` is unread (non_lus_par)."""
    return any(not ligne.de_mon_cote and ligne.lu_le is None for ligne in lignes)


def _montre(ligne: Ligne) -> tuple:
    m = ligne.message
    return (
        *(ligne.auteur, ligne.de_mon_cote, ligne.lu_le, m.pk, m.envoye_le, m.texte),
        *(m.piece_jointe.name, m.nom_original, m.taille, m.demande.numero),
    )


def cle_des_lignes(lignes: list[Ligne]) -> str:
    """Every value templates/echanges/partials/messages.html shows of `lignes`, as a digest
    (a text holds up to 5,000 characters: the kept page's key stays 32 characters)."""
    valeurs = repr([_montre(ligne) for ligne in lignes]).encode()
    return hashlib.blake2b(valeurs, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Resume:
    """The thread's block in the request's page."""

    nombre: int
    non_lus: int
    ouvert: bool


@compilee(demande_id=int)
def _comptes(cote: Cote, demande_id):
    """Both counts in one query, one plan per side. Grouped by request (no row for an empty
    thread) so that it is a QuerySet, compiled once: an aggregate() is built at each call."""
    return (
        Message.objects.filter(demande_id=demande_id)
        .values("demande_id")
        .annotate(nombre=Count("pk"), non_lus=Count("pk", filter=non_lus_par(cote)))
    )


def _compte(messages) -> Coalesce:
    compte = messages.order_by().values("demande_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(compte, output_field=IntegerField()), Value(0))


def comptes_a_lire(cote: Cote) -> dict:
    """The block's two counts as `cote` reads them, as annotations of a query of requests;
    `comptes_lus` then hands them to `resume`, which asks no more."""
    messages = Message.objects.filter(demande_id=OuterRef("pk"))
    return {
        "fil_nombre": _compte(messages),
        "fil_non_lus": _compte(messages.filter(non_lus_par(cote))),
    }


def comptes_lus(demande: Demande, cote: Cote) -> None:
    demande.comptes_du_fil = (cote, demande.fil_nombre, demande.fil_non_lus)


class _Empreinte(Func):
    """md5 of the rows' texts (ROW(…)::text, in their text's order: the same rows, the same
    digest): what the history shows of a thread's messages, as one 32-character value."""

    template = (
        "md5(string_agg(ROW(%(expressions)s)::text, ',' ORDER BY ROW(%(expressions)s)::text))"
    )
    contains_aggregate = True
    output_field = TextField()

    def get_group_by_cols(self):
        return []  # an aggregate: its columns are not the group's


class _Virgules(Func):
    function = "concat_ws"
    template = "%(function)s(',', %(expressions)s)"
    output_field = TextField()


def bloc_a_lire(cote: Cote) -> dict:
    """A query of requests' annotation for their page's thread block and history, in one
    subquery (bloc_lu reads it): the block's two counts as `cote` reads them (_comptes) and
    the digest of every value the history reads of each message to name it and show it
    (auteur_pour: side, author, their names, email, username, school and its number; date,
    read receipt, attachment); None without messages."""
    messages = Message.objects.filter(demande_id=OuterRef("pk")).order_by().values("demande_id")
    champs = ("pk", "auteur_id", "cote", "envoye_le", "lu_le", "piece_jointe", "nom_original")
    auteur = ("first_name", "last_name", "email", "username")
    bloc = _Virgules(
        Count("pk"),
        Count("pk", filter=non_lus_par(cote)),
        _Empreinte(
            *(F(c) for c in champs),
            *(F(f"auteur__{c}") for c in auteur),
            # str(AutoEcole): its name and number (auteur_pour).
            F("auteur__membre_auto_ecole__auto_ecole__nom"),
            F("auteur__membre_auto_ecole__auto_ecole__numero_agrement"),
        ),
    )
    return {"fil_bloc": Subquery(messages.annotate(b=bloc).values("b"))}


def bloc_lu(demande: Demande, cote: Cote) -> None:
    """bloc_a_lire's value handed to `resume` (the counts) and cle_du_bloc (the digest)."""
    if demande.fil_bloc is None:
        demande.comptes_du_fil, demande.fil_empreinte = (cote, 0, 0), None
        return
    nombre, non_lus, demande.fil_empreinte = demande.fil_bloc.split(",")
    demande.comptes_du_fil = (cote, int(nombre), int(non_lus))


def cle_du_bloc(demande: Demande, lecteur) -> tuple:
    """What a request's page shows of its thread to `lecteur`: the block's counts (read with
    the request, bloc_lu) and, when it has messages, the digest of what the history shows
    of them (bloc_a_lire, read with the request) and who reads them (« Vous »)."""
    comptes = demande.comptes_du_fil
    if demande.etat == Etat.BROUILLON or not comptes[1]:  # no block, no messages listed
        return comptes
    return (*comptes, demande.fil_empreinte, lecteur.pk)


def resume_du_journal(demande: Demande, cote: Cote, messages: list[Message]) -> Resume:
    """The block from the thread's messages already read (all of them, as the instruction
    page's journal reads them), without a query: counted as `_comptes` counts (non_lus_par)."""
    autre = Cote(cote).autre
    non_lus = sum(message.cote == autre and message.lu_le is None for message in messages)
    return Resume(nombre=len(messages), non_lus=non_lus, ouvert=fil_ouvert(demande))


def resume(demande: Demande, cote: Cote) -> Resume:
    deja = getattr(demande, "comptes_du_fil", None)  # (side, both counts), read with the request
    if deja is not None and deja[0] == cote:
        nombre, non_lus = deja[1:]
    elif comptes := _comptes(Cote(cote), demande_id=demande.pk):
        nombre, non_lus = comptes[0]["nombre"], comptes[0]["non_lus"]
    else:
        nombre, non_lus = 0, 0
    return Resume(nombre=nombre, non_lus=non_lus, ouvert=fil_ouvert(demande))
