"""Starting a draft: what it takes from the candidate's account."""

from demandes import wizard
from demandes.forms import NOM
from demandes.models import Demande


def preremplir(demande: Demande, user) -> None:
    """A new draft starts with what the candidate's account already knows."""
    demande.email = user.email or ""
    verrouilles = wizard.identite_verrouillee(user)
    if verrouilles:
        for champ, valeur in verrouilles.items():
            setattr(demande, champ, valeur)
        return
    if user.last_name and NOM.match(user.last_name):
        demande.nom_naissance = user.last_name
    if user.first_name and NOM.match(user.first_name):
        demande.prenoms = user.first_name
