"""`{% resume_fil demande cote as fil %}`: the thread's block in a request's page (how many
messages, how many unread by `cote`), without the page's view knowing about threads."""

from django import template

from demandes.enums import Etat
from echanges import fil
from echanges.enums import Cote

register = template.Library()


@register.simple_tag
def resume_fil(demande, cote: str) -> fil.Resume | None:
    if demande is None or demande.etat == Etat.BROUILLON:
        return None  # a draft has no one to write to yet
    resume = fil.resume(demande, Cote(cote))
    # Read by historique_messages on the same page: an empty thread needs no second query.
    demande._nombre_de_messages = resume.nombre
    return resume


@register.simple_tag(takes_context=True)
def historique_messages(context, demande) -> list[fil.Ligne]:
    """The thread's messages in the requester's history of the request, named as that side
    reads them (« Le service instructeur »), in one query whatever their number."""
    if demande is None or demande.etat == Etat.BROUILLON:
        return []
    if getattr(demande, "_nombre_de_messages", None) == 0:  # counted by resume_fil above
        return []
    return fil.lignes(demande, Cote.DEMANDEUR, context["request"].user)
