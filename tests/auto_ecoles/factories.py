import factory

from auto_ecoles.models import AutoEcole, Invitation, Mandat, Membre
from tests.factories import AutoEcoleStaffFactory, CandidatFactory


class AutoEcoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AutoEcole

    nom = factory.Sequence(lambda n: f"Auto-école du Rhône n°{n}")
    numero_agrement = factory.Sequence(lambda n: f"E24069{n:04d}0")
    siret = factory.Sequence(lambda n: _siret_valide(n))
    adresse = "3 rue Garibaldi"
    code_postal = "69006"
    commune = "Lyon"
    departement = "69"


def _siret_valide(n: int) -> str:
    """A SIRET of the SIREN 732829320 whose key holds, a different one for each n."""
    from stdnum.fr import siret as stdnum_siret

    siren = "732829320"
    for suffixe in range(n * 10, n * 10 + 1000):
        siret = f"{siren}{suffixe:05d}"
        if stdnum_siret.is_valid(siret):
            return siret
    raise AssertionError("no SIRET found")


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    auto_ecole = factory.SubFactory(AutoEcoleFactory)
    user = factory.SubFactory(AutoEcoleStaffFactory)
    gestionnaire = False


class MandatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandat

    candidat = factory.SubFactory(CandidatFactory)
    auto_ecole = factory.SubFactory(AutoEcoleFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A student invitation unless `type=Invitation.Type.MEMBRE`."""

    class Meta:
        model = Invitation

    auto_ecole = factory.SubFactory(AutoEcoleFactory)
    type = Invitation.Type.ELEVE
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
