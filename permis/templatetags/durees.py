"""How long ago something happened, as a person says it."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def il_y_a(moment, maintenant=None):
    """« à l'instant » under a minute (timesince would say « 0 minute »), else « il y a 2 heures »
    (`maintenant`: now, unless given)."""
    if moment is None:
        return ""
    maintenant = maintenant or timezone.now()
    if maintenant - moment < timedelta(minutes=1):
        return _("à l'instant")
    return _("il y a %(duree)s") % {"duree": timesince(moment, maintenant)}
