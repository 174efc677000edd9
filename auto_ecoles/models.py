import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from auto_ecoles.validators import normaliser, valider_agrement, valider_siret
from demandes.delais import VALIDITE_INVITATION

logger = logging.getLogger(__name__)


class InvitationInvalide(Exception):
    """Expired, already used, or not for this account; the message is shown as is."""


class AutoEcole(models.Model):
    nom = models.CharField(max_length=150)
    numero_agrement = models.CharField(
        "numéro d'agrément", max_length=12, unique=True, validators=[valider_agrement]
    )
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[valider_siret])
    adresse = models.CharField(max_length=200)
    code_postal = models.CharField(max_length=5)
    commune = models.CharField(max_length=100)
    departement = models.CharField("département", max_length=3)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "auto-école"
        verbose_name_plural = "auto-écoles"
        ordering = ["nom"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.numero_agrement})"

    def save(self, *args, **kwargs):
        self.numero_agrement = normaliser(self.numero_agrement)
        self.siret = normaliser(self.siret)
        super().save(*args, **kwargs)

    @property
    def agrement_lisible(self) -> str:
        """E 24 069 0012 0: the grouping printed on the school's approval."""
        n = self.numero_agrement
        return f"{n[0]} {n[1:3]} {n[3:6]} {n[6:10]} {n[10:]}"

    def recevoir_mandat(self, candidat) -> "Mandat":
        """The student `candidat` lets this school file for them (idempotent while active)."""
        with transaction.atomic():
            # Lock the student's account row so two clicks make one mandate.
            get_user_model().objects.select_for_update().filter(pk=candidat.pk).first()
            mandat = Mandat.objects.actifs().filter(candidat=candidat, auto_ecole=self).first()
            return mandat or Mandat.objects.create(candidat=candidat, auto_ecole=self)


class Membre(models.Model):
    """A staff member of a school; a manager (gestionnaire) can invite other staff."""

    auto_ecole = models.ForeignKey(AutoEcole, on_delete=models.CASCADE, related_name="membres")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membre_auto_ecole"
    )
    gestionnaire = models.BooleanField(default=False)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre d'auto-école"
        verbose_name_plural = "membres d'auto-école"

    def __str__(self) -> str:
        return f"{self.user} — {self.auto_ecole.nom}"

    def save(self, *args, **kwargs):
        from accounts.enums import Role

        super().save(*args, **kwargs)
        self.user.ajouter_role(Role.AUTO_ECOLE)


class MandatQuerySet(models.QuerySet):
    def actifs(self) -> "MandatQuerySet":
        return self.filter(retire_le__isnull=True)


class Mandat(models.Model):
    """A student lets a school file and follow their requests, until either side withdraws it."""

    candidat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandats"
    )
    auto_ecole = models.ForeignKey(AutoEcole, on_delete=models.CASCADE, related_name="mandats")
    donne_le = models.DateTimeField(default=timezone.now)
    retire_le = models.DateTimeField(null=True, blank=True)
    retire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MandatQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidat", "auto_ecole"],
                condition=Q(retire_le__isnull=True),
                name="un_mandat_actif_par_ecole",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidat} → {self.auto_ecole.nom}"

    @property
    def actif(self) -> bool:
        return self.retire_le is None

    def retirer(self, par) -> None:
        self.retire_le = timezone.now()
        self.retire_par = par
        self.save(update_fields=["retire_le", "retire_par"])


def _jeton() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An email invitation: to become a student under mandate, or a staff member."""

    class Type(models.TextChoices):
        ELEVE = "eleve", "Élève (mandat)"
        MEMBRE = "membre", "Membre de l'équipe"

    auto_ecole = models.ForeignKey(AutoEcole, on_delete=models.CASCADE, related_name="invitations")
    type = models.CharField(max_length=6, choices=Type.choices)
    email = models.EmailField("adresse électronique")
    jeton = models.CharField(max_length=64, unique=True, default=_jeton, editable=False)
    envoyee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    envoyee_le = models.DateTimeField(default=timezone.now)
    acceptee_le = models.DateTimeField(null=True, blank=True)
    acceptee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.email} — {self.auto_ecole.nom}"

    def accepter(self, user) -> None:
        """`user` accepts: a student gives the mandate, a staff member joins the team.

        Only the account of the invited address may: a link forwarded or leaked to someone
        else is refused and stays usable by its addressee.
        """
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=self.pk)
            if not invitation.valide:
                raise InvitationInvalide("Cette invitation a expiré ou a déjà été utilisée.")
            if not invitation.destinee_a(user):
                logger.warning(
                    "Invitation %s (%s) refusée au compte %s",
                    invitation.pk,
                    invitation.type,
                    user.pk,
                )
                raise InvitationInvalide(invitation.message_autre_compte)
            if invitation.type == Invitation.Type.ELEVE:
                invitation.auto_ecole.recevoir_mandat(user)
            else:
                if (
                    Membre.objects.filter(user=user)
                    .exclude(auto_ecole=invitation.auto_ecole)
                    .exists()
                ):
                    raise InvitationInvalide(
                        "Votre compte est déjà rattaché à une autre auto-école."
                    )
                Membre.objects.get_or_create(
                    user=user, defaults={"auto_ecole": invitation.auto_ecole}
                )
            invitation.acceptee_le = timezone.now()
            invitation.acceptee_par = user
            invitation.save(update_fields=["acceptee_le", "acceptee_par"])
            self.acceptee_le, self.acceptee_par = invitation.acceptee_le, user

    def destinee_a(self, user) -> bool:
        return user.is_authenticated and user.recoit_a(self.email)

    @property
    def message_autre_compte(self) -> str:
        return (
            f"Cette invitation a été envoyée à {self.email_masque} : seul le compte de cette "
            "adresse peut l'accepter. Connectez-vous avec ce compte, ou demandez à "
            f"{self.auto_ecole.nom} de vous inviter à l'adresse de votre compte."
        )

    @property
    def email_masque(self) -> str:
        """Enough for its addressee to recognise the address, not enough to learn it."""
        nom, _, domaine = self.email.partition("@")
        return f"{nom[:1]}…@{domaine}"

    @property
    def valide(self) -> bool:
        return self.acceptee_le is None and timezone.now() < self.envoyee_le + VALIDITE_INVITATION
