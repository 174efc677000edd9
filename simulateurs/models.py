"""What the simulated outside services keep: the codes a booth issued, the stamps sold."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

# A photo code is valid 6 months from the shot.
VALIDITE_CODE_PHOTO = timedelta(days=183)


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
