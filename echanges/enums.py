"""The two sides of a request's conversation, and when it is open."""

from django.db import models

from demandes.enums import AVANT_DECISION


class Cote(models.TextChoices):
    """Who wrote a message: the requester's side (the candidate, or the driving school filing
    under mandate) or the back-office (CTN agents, DDT instructors)."""

    DEMANDEUR = "demandeur", "Candidat ou auto-école"
    SERVICE = "service", "Service instructeur"

    @property
    def autre(self) -> "Cote":
        return Cote.SERVICE if self == Cote.DEMANDEUR else Cote.DEMANDEUR


# Submitted and not decided: once the decision is taken (or the request withdrawn), the
# thread is kept, read-only; anything more goes through a new request or the usual channels.
ETATS_OUVERTS = AVANT_DECISION

# What the candidate's side reads as the author of every back-office message: agents'
# names are never shown to the candidate.
SERVICE_INSTRUCTEUR = "Le service instructeur"
