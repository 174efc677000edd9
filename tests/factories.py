"""factory_boy factories: the cast (one per role) and a request per state."""

import io
from datetime import date, timedelta

import factory
from django.utils import timezone
from pypdf import PdfWriter

from accounts.enums import Role
from accounts.models import User
from demandes.enums import Etat, Motif
from demandes.models import Demande, PieceJustificative
from simulateurs.cabine import emettre_code

MOT_DE_PASSE = "motdepasse-de-test-2026"

# The identité pivot FranceConnect sends for its demo identity Angela Dubois.
CLAIMS_FRANCECONNECT = {
    "sub": "abc123v1",
    "given_name": "Angela Claire Louise",
    "family_name": "DUBOIS",
    "preferred_username": "",
    "birthdate": "1962-08-24",
    "gender": "female",
    "birthplace": "75107",
    "birthcountry": "99100",
    "email": "angela.dubois@fc-demo.exemple.fr",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"usager{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(MOT_DE_PASSE)
    role = None

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.ajouter_role(role)
        return user


class CandidatFactory(UserFactory):
    role = Role.CANDIDAT


class PersonnelFactory(UserFactory):
    """Staff who see candidates' documents: enrolled in the second factor unless
    `double_facteur=False` (see tests/double_facteur.py)."""

    @factory.post_generation
    def double_facteur(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from tests.double_facteur import activer_double_facteur

            activer_double_facteur(self)


class AgentCTNFactory(PersonnelFactory):
    role = Role.AGENT_CTN


class InstructeurFactory(PersonnelFactory):
    role = Role.INSTRUCTEUR_DDT
    departement = "69"


class AdminFactory(PersonnelFactory):
    is_staff = True
    is_superuser = True


class AutoEcoleStaffFactory(UserFactory):
    role = Role.AUTO_ECOLE


def pdf_minimal(pages: int = 1) -> bytes:
    """A small valid PDF (blank A4 pages)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    sortie = io.BytesIO()
    writer.write(sortie)
    return sortie.getvalue()


_PDF = pdf_minimal()


class PieceJustificativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PieceJustificative

    demande = factory.SubFactory("tests.factories.DemandeFactory")
    nature = "identite"
    fichier = factory.django.FileField(data=_PDF, filename="piece.pdf")
    nom_original = "piece.pdf"
    type_mime = "application/pdf"
    taille = len(_PDF)


class DemandeFactory(factory.django.DjangoModelFactory):
    """A complete category B first inscription, in brouillon unless a state is given."""

    class Meta:
        model = Demande
        skip_postgeneration_save = True

    candidat = factory.SubFactory(CandidatFactory)
    motif = Motif.INSCRIPTION_PREMIERE
    categories = factory.LazyFunction(lambda: ["B"])
    nom_naissance = factory.Faker("last_name", locale="fr_FR")
    prenoms = factory.Faker("first_name", locale="fr_FR")
    sexe = "F"
    date_naissance = date(2007, 5, 14)
    commune_naissance = "Lyon"
    adresse = "12 rue de la République"
    code_postal = "69002"
    commune = "Lyon"
    departement = "69"
    email = factory.LazyAttribute(lambda o: o.candidat.email)
    telephone = "+33612345678"
    # A real code of the simulated booth, so that the draft can be submitted.
    code_photo = factory.LazyAttribute(lambda o: emettre_code(o.nom_naissance, o.prenoms).code)
    photo_confirmee = True
    etat = Etat.BROUILLON

    @factory.post_generation
    def pieces(self, create, extracted, **kwargs):
        """Every piece the matrix requires is uploaded, unless `pieces=False`."""
        if create and extracted is not False:
            for nature in self.pieces_manquantes():
                PieceJustificativeFactory(demande=self, nature=nature)

    class Params:
        deposee = factory.Trait(etat=Etat.DEPOSEE, deposee_le=factory.LazyFunction(timezone.now))
        en_controle = factory.Trait(
            etat=Etat.CONTROLE_FORME, deposee_le=factory.LazyFunction(timezone.now)
        )
        en_instruction = factory.Trait(
            etat=Etat.EN_INSTRUCTION, deposee_le=factory.LazyFunction(timezone.now)
        )
        a_completer_depuis_controle = factory.Trait(
            etat=Etat.A_COMPLETER,
            file_origine=Etat.CONTROLE_FORME,
            pieces_a_completer=["domicile"],
            completer_avant=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=15)),
        )
        acceptee = factory.Trait(etat=Etat.ACCEPTEE, motif=Motif.PRODUCTION_PREMIER_TITRE)
        titre_en_production = factory.Trait(
            etat=Etat.TITRE_EN_PRODUCTION, motif=Motif.PRODUCTION_PREMIER_TITRE
        )
        titre_produit = factory.Trait(etat=Etat.TITRE_PRODUIT, motif=Motif.PRODUCTION_PREMIER_TITRE)
        expedie = factory.Trait(etat=Etat.EXPEDIE, motif=Motif.PRODUCTION_PREMIER_TITRE)
        en_instance = factory.Trait(etat=Etat.EN_INSTANCE, motif=Motif.PRODUCTION_PREMIER_TITRE)
        retourne = factory.Trait(etat=Etat.RETOURNE, motif=Motif.PRODUCTION_PREMIER_TITRE)
