"""What the simulated outside services keep: the codes a booth issued, the stamps sold, the
SMS sent, the print centre's orders and the post office's letters.

These are the services' own books, never read by the portal (docs/services.md).
"""

from django.db import models
from django.utils import timezone

from demandes.delais import VALIDITE_CODE_PHOTO
from demandes.models import Demande


class CodePhoto(models.Model):
    """A single-use code printed by the simulated booth, standing for a photo and a signature."""

    code = models.CharField(max_length=22, unique=True)
    nom = models.CharField(max_length=100)
    prenoms = models.CharField("prénoms", max_length=150)
    # Drives the drawing of the portrait, so each code has its own recognisable photo.
    teinte = models.PositiveSmallIntegerField(default=0)
    emis_le = models.DateTimeField("émis le", default=timezone.now)
    expire_le = models.DateTimeField("expire le")
    utilise_le = models.DateTimeField("utilisé le", null=True, blank=True)
    utilise_pour = models.CharField("utilisé pour", max_length=30, blank=True)
    # The photo (JPEG) and signature (PNG) the booth took, drawn when the code is issued: a
    # real booth has them before the portal asks. Empty for a code made without them.
    photo = models.BinaryField(default=b"", db_default=b"", blank=True, editable=False)
    signature = models.BinaryField(default=b"", db_default=b"", blank=True, editable=False)

    class Meta:
        verbose_name = "code photo (simulé)"
        verbose_name_plural = "codes photo (simulés)"
        ordering = ["-emis_le"]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if self.expire_le is None:
            self.expire_le = self.emis_le + VALIDITE_CODE_PHOTO
        super().save(*args, **kwargs)

    @property
    def expire(self) -> bool:
        return timezone.now() >= self.expire_le


class TimbreFiscal(models.Model):
    """A dematerialised tax stamp sold by the simulated shop."""

    numero = models.CharField("numéro", max_length=16, unique=True)
    montant = models.PositiveIntegerField("montant (€)")
    email = models.EmailField(blank=True)
    achete_le = models.DateTimeField("acheté le", default=timezone.now)
    utilise_le = models.DateTimeField("utilisé le", null=True, blank=True)
    utilise_pour = models.CharField("utilisé pour", max_length=30, blank=True)

    class Meta:
        verbose_name = "timbre fiscal (simulé)"
        verbose_name_plural = "timbres fiscaux (simulés)"
        ordering = ["-achete_le"]

    def __str__(self) -> str:
        return f"{self.numero} ({self.montant} €)"


class Sms(models.Model):
    """The outbox of the simulated SMS gateway: every text message the portal sent."""

    demande = models.ForeignKey(
        Demande, on_delete=models.SET_NULL, null=True, blank=True, related_name="sms"
    )
    numero = models.CharField("numéro", max_length=20)
    texte = models.TextField()
    reference = models.CharField("référence de la passerelle", max_length=40, unique=True)
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "SMS envoyé"
        verbose_name_plural = "SMS envoyés (boîte d'envoi simulée)"
        ordering = ["-envoye_le", "-pk"]

    def __str__(self) -> str:
        return f"{self.numero} — {self.texte[:40]}"


class OrdreFabrication(models.Model):
    """A production order as the simulated print centre records it."""

    reference = models.CharField("référence", max_length=20, unique=True)
    # The portal's idempotency key: an order sent again with it is the same order.
    cle_idempotence = models.CharField(
        "clé d'idempotence", max_length=80, unique=True, null=True, blank=True
    )
    demande = models.OneToOneField(
        Demande, on_delete=models.PROTECT, related_name="ordre_fabrication"
    )
    recu_le = models.DateTimeField("reçu le", default=timezone.now)
    produit_le = models.DateTimeField("produit le", null=True, blank=True)
    expedie_le = models.DateTimeField("expédié le", null=True, blank=True)

    class Meta:
        verbose_name = "ordre de fabrication (centre d'impression simulé)"
        verbose_name_plural = "ordres de fabrication (centre d'impression simulé)"
        ordering = ["-recu_le"]

    def __str__(self) -> str:
        return self.reference


class Pli(models.Model):
    """A registered letter as the simulated post office tracks it."""

    class Statut(models.TextChoices):
        ACHEMINEMENT = "acheminement", "En cours d'acheminement"
        DISTRIBUE = "distribue", "Distribué"
        EN_INSTANCE = "en_instance", "En instance au bureau de poste"
        RETOURNE = "retourne", "Retourné à l'expéditeur"

    numero_suivi = models.CharField("numéro de suivi", max_length=30, unique=True)
    demande = models.ForeignKey(Demande, on_delete=models.PROTECT, related_name="plis")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.ACHEMINEMENT)
    depose_le = models.DateTimeField("déposé le", default=timezone.now)
    presente_le = models.DateTimeField("présenté le", null=True, blank=True)

    class Meta:
        verbose_name = "pli (bureau de poste simulé)"
        verbose_name_plural = "plis (bureau de poste simulé)"
        ordering = ["-depose_le"]

    def __str__(self) -> str:
        return self.numero_suivi
