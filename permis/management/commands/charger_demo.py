"""Load the demo: one account per role and a few requests in various states.

Idempotent: accounts are found by email and get their demo password back; the demo
requests are only created when the demo candidate has none. Requests move through the
real transitions, so their history and emails are those a real request would have.
"""

import base64
import hashlib
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.double_facteur import doit_avoir_double_facteur
from accounts.enums import Role
from accounts.models import User
from demandes.enums import Motif, Sexe
from demandes.models import Demande

# (email, password, role, first name, last name, extra fields)
COMPTES = [
    ("candidat@demo.permis.fr", "Candidat-Demo-2026", Role.CANDIDAT, "Camille", "Martin", {}),
    ("auto-ecole@demo.permis.fr", "AutoEcole-Demo-2026", Role.AUTO_ECOLE, "Nora", "Benali", {}),
    ("agent.ctn@demo.permis.fr", "AgentCTN-Demo-2026", Role.AGENT_CTN, "Paul", "Lefèvre", {}),
    (
        "instructeur.ddt69@demo.permis.fr",
        "Instructeur-Demo-2026",
        Role.INSTRUCTEUR_DDT,
        "Inès",
        "Girard",
        {"departement": "69"},
    ),
    (
        "admin@demo.permis.fr",
        "Admin-Demo-2026",
        None,
        "Alex",
        "Durand",
        {"is_staff": True, "is_superuser": True},
    ),
]


def secret_demo(email: str) -> str:
    """The TOTP key of a demo staff account: derived from its email, printed by the command."""
    return base64.b32encode(hashlib.sha256(f"permis-demo:{email}".encode()).digest()[:20]).decode()


def _identite(candidat: User, **kwargs) -> dict:
    return {
        "candidat": candidat,
        "nom_naissance": candidat.last_name.upper(),
        "prenoms": candidat.first_name,
        "sexe": Sexe.FEMININ,
        "date_naissance": date(2006, 4, 12),
        "commune_naissance": "Lyon",
        "adresse": "8 place Bellecour",
        "code_postal": "69002",
        "commune": "Lyon",
        "departement": "69",
        "email": candidat.email,
        "telephone": "+33612345678",
        "code_photo": "",
        **kwargs,
    }


def _a_deposer(**champs) -> Demande:
    """A draft made complete through the simulated booth and stamp shop, ready to submit."""
    from simulateurs.demo import completer_brouillon

    return completer_brouillon(Demande.objects.create(**champs))


class Command(BaseCommand):
    help = "Load (or refresh) the demo accounts and a few requests in various states."

    def handle(self, *args, **options):
        if not settings.PERMIS_DEMO:
            raise CommandError(
                "Demo data is only loaded when PERMIS_DEMO is on (the embedded default)."
            )
        with transaction.atomic():
            comptes = {compte[2]: self._compte(*compte) for compte in COMPTES}
            self._auto_ecole(comptes)
            self._demandes(comptes)
        self.stdout.write(
            self.style.SUCCESS(
                "Comptes de démonstration (identifiant ou courriel + mot de passe) :"
            )
        )
        for email, password, role, *_ in COMPTES:
            user = User.objects.get(email=email)
            libelle = Role(role).label if role else "Administrateur"
            self.stdout.write(f"  {libelle:<16} {user.username:<12} {email:<36} {password}")
        self.stdout.write(
            "Double authentification des agents et de l'administrateur : ajoutez leur clé dans "
            "une application d'authentification, ou affichez le code du moment avec "
            "`python manage.py code_totp <courriel>` :"
        )
        for email, *_ in COMPTES:
            user = User.objects.get(email=email)
            if doit_avoir_double_facteur(user):
                self.stdout.write(f"  {email:<36} {secret_demo(email)}")

    def _compte(self, email, password, role, prenom, nom, extra) -> User:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.first_name, user.last_name = prenom, nom
        for field, value in extra.items():
            setattr(user, field, value)
        user.set_password(password)
        user.save()
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        self._email_verifie(user)
        if doit_avoir_double_facteur(user):
            self._double_facteur(user)
        return user

    def _double_facteur(self, user: User) -> None:
        """Staff must have a second factor: the demo's is a published key (secret_demo)."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.utils import encrypt

        Authenticator.objects.update_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(secret_demo(user.email))}},
        )
        RecoveryCodes.activate(user)

    def _email_verifie(self, user: User) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )

    def _auto_ecole(self, comptes: dict) -> None:
        from auto_ecoles.models import AutoEcole, Membre

        ecole, _ = AutoEcole.objects.get_or_create(
            numero_agrement="E2406900120",
            defaults={
                "nom": "Auto-école Bellecour",
                "siret": "73282932000074",
                "adresse": "21 rue Victor Hugo",
                "code_postal": "69002",
                "commune": "Lyon",
                "departement": "69",
            },
        )
        Membre.objects.update_or_create(
            user=comptes[Role.AUTO_ECOLE], defaults={"auto_ecole": ecole, "gestionnaire": True}
        )
        ecole.recevoir_mandat(comptes[Role.CANDIDAT])

    def _demandes(self, comptes: dict) -> None:
        candidat = comptes[Role.CANDIDAT]
        if Demande.objects.filter(candidat=candidat).exists():
            return
        agent, instructeur = comptes[Role.AGENT_CTN], comptes[Role.INSTRUCTEUR_DDT]

        # One coherent story: Camille's B inscription was accepted (her NEPH, kept for life),
        # her B licence was made and posted; she now adds A2 and starts a BE extension.
        instruction = [
            ("deposer", candidat, {}),
            ("prendre_en_controle", agent, {}),
            ("passer_en_instruction", agent, {}),
        ]
        inscription = _a_deposer(
            **_identite(
                candidat,
                motif=Motif.INSCRIPTION_PREMIERE,
                categories=["B"],
                code_photo="DEMO0000000000000000A0",
            )
        )
        for nom, acteur, kwargs in [*instruction, ("accepter", instructeur, {})]:
            inscription = inscription.executer(nom, par=acteur, **kwargs)

        expediee = _a_deposer(
            **_identite(
                candidat,
                motif=Motif.PRODUCTION_PREMIER_TITRE,
                categories=["B"],
                code_photo="DEMO0000000000000000C3",
            )
        )
        etapes = [
            *instruction,
            ("accepter", instructeur, {}),
            ("lancer_production", None, {}),
            ("produire", None, {}),
            ("expedier", None, {"numero_suivi": "8R00000000001"}),
        ]
        for nom, acteur, kwargs in etapes:
            expediee = expediee.executer(nom, par=acteur, **kwargs)

        en_instruction = _a_deposer(
            **_identite(
                candidat,
                motif=Motif.INSCRIPTION_EXTENSION,
                categories=["A2"],
                code_photo="DEMO0000000000000000B2",
            )
        )
        for nom, acteur, kwargs in instruction:
            en_instruction = en_instruction.executer(nom, par=acteur, **kwargs)

        deposee = _a_deposer(
            **_identite(
                candidat,
                motif=Motif.INSCRIPTION_EXTENSION,
                categories=["BE"],
                code_photo="DEMO0000000000000000A1",
            )
        )
        deposee.executer("deposer", par=candidat)

        Demande.objects.create(**_identite(candidat, motif=Motif.PERTE))
