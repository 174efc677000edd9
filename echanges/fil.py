"""A thread as each side reads it: who wrote each message, in words that side may see."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

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


def lignes(demande: Demande, cote: Cote, lecteur) -> list[Ligne]:
    # Through the request's manager, each message's `demande` is the request at hand: no
    # join, nor its fifty columns per message.
    messages = demande.messages.select_related("auteur__membre_auto_ecole__auto_ecole")
    return [Ligne(m, auteur_pour(m, cote, lecteur), de_mon_cote=m.cote == cote) for m in messages]


@dataclass(frozen=True)
class Resume:
    """The thread's block in the request's page."""

    nombre: int
    non_lus: int
    ouvert: bool


def _requete_comptes(cote: Cote):
    @compilee(demande_id=int)
    def comptes(demande_id):
        # Grouped by request (no row for an empty thread) so that it is a QuerySet, compiled
        # once per process: an aggregate() is built again at each call (~1 ms of CPU).
        return (
            Message.objects.filter(demande_id=demande_id)
            .values("demande_id")
            .annotate(nombre=Count("pk"), non_lus=Count("pk", filter=non_lus_par(cote)))
        )

    return comptes


_COMPTES = {cote: _requete_comptes(cote) for cote in Cote}


def resume(demande: Demande, cote: Cote) -> Resume:
    comptes = _COMPTES[Cote(cote)](demande_id=demande.pk)  # one query for both counts
    nombre, non_lus = (comptes[0]["nombre"], comptes[0]["non_lus"]) if comptes else (0, 0)
    return Resume(nombre=nombre, non_lus=non_lus, ouvert=fil_ouvert(demande))
