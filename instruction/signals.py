"""A claim lasts while the request stays in the queue it was claimed in."""

from django.dispatch import receiver
from django_fsm.signals import post_transition

from demandes.files import file_de_l_etat
from demandes.models import Demande
from instruction.models import PriseEnCharge


@receiver(post_transition, sender=Demande, dispatch_uid="instruction_liberer_en_sortie_de_file")
def liberer_en_sortie_de_file(sender, instance, source, target, **kwargs):
    """Runs inside the transition's transaction: the claim goes with the state change."""
    if file_de_l_etat(source) is None:
        # A claim is only taken in a queue (PriseEnCharge.objects.prendre, under the row's
        # lock) and ends when the request leaves it: out of every queue, none to look for.
        return
    if file_de_l_etat(target) is None or file_de_l_etat(target) != file_de_l_etat(source):
        PriseEnCharge.objects.lever_en_sortie_de_file(instance.pk)
