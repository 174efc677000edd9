"""Background work of the back-office: the backlog's figures kept fresh."""

from celery import shared_task

from instruction import queries


@shared_task
def actualiser_chiffres_pilotage() -> int:
    """The backlog page's cached figures (national median, this week, past weeks once a day)
    of every scope agents read, computed again before they expire (permis/celery.py runs it
    more often than DUREE_CACHE_MEDIANE): no page waits for them. Returns the scopes done."""
    portees = queries.portees_actives()
    for portee in portees:
        queries.actualiser(portee)
    return len(portees)
