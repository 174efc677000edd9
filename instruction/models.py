"""Back-office records: who holds a request, the NEPH sequence, and the simulated services' books.

The print centre, the post office and the SMS gateway are outside services; in this project
they are simulated (instruction/centre_impression.py, instruction/poste.py, demandes/sms.py)
and these models are their own records, shown in the admin.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from demandes.models import Demande


class PriseEnChargeRefusee(Exception):
    """The request cannot be claimed now; `str(exc)` says why, in French."""


class PriseEnChargeQuerySet(models.QuerySet):
    def prendre(self, demande: Demande, agent) -> "PriseEnCharge":
        """Claim a request of the agent's queue; of two agents claiming at once, one gets it.

        The request's row is locked first, as transitions do, so a claim and a state change
        never cross; the other agent is told who holds it.
        """
        with transaction.atomic():
            verrouillee = Demande.objects.select_for_update().get(pk=demande.pk)
            if not Demande.objects.file_de(agent).filter(pk=verrouillee.pk).exists():
                raise PriseEnChargeRefusee(
                    "Cette demande n'est pas dans votre file "
                    f"(elle est « {verrouillee.get_etat_display()} »)."
                )
            prise, cree = self.select_related("agent").get_or_create(
                demande=verrouillee, defaults={"agent": agent}
            )
            if cree:
                JournalPriseEnCharge.objects.create(
                    demande=verrouillee, agent=agent, evenement=JournalPriseEnCharge.Evenement.PRISE
                )
        if prise.agent_id != agent.pk:
            raise PriseEnChargeRefusee(
                f"Cette demande est déjà prise en charge par {prise.agent.get_full_name() or prise.agent}."
            )
        return prise

    def liberer(self, demande: Demande, agent) -> bool:
        """Release the agent's own claim; returns whether there was one."""
        with transaction.atomic():
            supprimees, _ = self.filter(demande=demande, agent=agent).delete()
            if supprimees:
                JournalPriseEnCharge.objects.create(
                    demande=demande,
                    agent=agent,
                    evenement=JournalPriseEnCharge.Evenement.LIBERATION,
                )
        return bool(supprimees)

    def lever_en_sortie_de_file(self, demande_id: int) -> None:
        """The request left the queue it was claimed in: its claim ends with the transition."""
        for prise in self.filter(demande_id=demande_id):
            prise.delete()
            JournalPriseEnCharge.objects.create(
                demande_id=demande_id,
                agent_id=prise.agent_id,
                evenement=JournalPriseEnCharge.Evenement.FIN_DE_FILE,
            )


class PriseEnCharge(models.Model):
    """The one agent who holds a request in a back-office queue; others see who.

    Released by its holder, or automatically when the request leaves the queue it was
    claimed in (instruction/signals.py).
    """

    demande = models.OneToOneField(
        Demande, on_delete=models.CASCADE, related_name="prise_en_charge"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prises_en_charge"
    )
    prise_le = models.DateTimeField("prise en charge le", default=timezone.now)

    objects = PriseEnChargeQuerySet.as_manager()

    class Meta:
        verbose_name = "prise en charge"
        verbose_name_plural = "prises en charge"

    def __str__(self) -> str:
        return f"{self.demande} — {self.agent}"


class JournalPriseEnCharge(models.Model):
    """Who held a request in the back-office, and when: claims are recorded like actions."""

    class Evenement(models.TextChoices):
        PRISE = "prise", "Prise en charge"
        LIBERATION = "liberation", "Libérée"
        FIN_DE_FILE = "fin_de_file", "Libérée (la demande a quitté la file)"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="journal_prises")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    evenement = models.CharField("événement", max_length=12, choices=Evenement.choices)
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "événement de prise en charge"
        verbose_name_plural = "journal des prises en charge"
        ordering = ["le", "pk"]

    def __str__(self) -> str:
        return f"{self.get_evenement_display()} — {self.demande} — {self.agent}"


class CompteurNeph(models.Model):
    """The last order number given in a month for a département: the NEPH sequence.

    One row per (year, month, département), incremented by an upsert that keeps the row
    locked until the acceptance commits (demandes/neph.py).
    """

    annee = models.PositiveSmallIntegerField("année")
    mois = models.PositiveSmallIntegerField()
    departement = models.CharField("département", max_length=3)
    dernier = models.PositiveIntegerField("dernier numéro d'ordre", default=0)

    class Meta:
        verbose_name = "compteur NEPH"
        verbose_name_plural = "compteurs NEPH"
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "mois", "departement"], name="compteur_neph_unique_par_mois"
            )
        ]

    def __str__(self) -> str:
        return f"{self.departement} {self.mois:02d}/{self.annee} : {self.dernier}"


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
