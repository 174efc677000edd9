"""Back-office records: who holds a request, and the journal of claims."""

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


class VersionDossier(models.Model):
    """How many times the rows a request's instruction page shows beside the request's own
    columns have changed: its pieces, documents, history, claims' journal and messages (the
    names of who wrote them: VersionNoms). Kept by PostgreSQL's triggers (migration 0004), in the
    writer's transaction whatever writes the rows (the ORM, a queryset's update, raw SQL):
    the kept page's key (instruction/rendu_demande.py) reads it with the request, where it read
    five fingerprints of those rows. A request none of whose rows was ever written has none.

    No foreign key in the database: a request's deletion deletes its rows in any order, and a
    row's trigger must never fail it (the request's row goes with Django's cascade)."""

    demande = models.OneToOneField(
        Demande,
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    n = models.BigIntegerField("changements", default=0)

    class Meta:
        verbose_name = "version du dossier"
        verbose_name_plural = "versions des dossiers"

    def __str__(self) -> str:
        return f"{self.demande_id} — {self.n}"


class VersionNoms(models.Model):
    """How many times the names of an account shown on instruction pages (an author of a
    request's history, claims' journal or messages, a message's reader) have changed: one row,
    kept by PostgreSQL's trigger on the accounts' table (migration 0007), read with the request by
    the page's key beside VersionDossier. One count for every page, not one per request
    showing the account: a rename is rare, and bumping those requests' counts locked their
    rows after the account's, the opposite order of an acceptance, which locks its request
    then its candidate's account (the NEPH), so the two could deadlock."""

    n = models.BigIntegerField("changements", default=0)

    class Meta:
        verbose_name = "version des noms"
        verbose_name_plural = "versions des noms"

    def __str__(self) -> str:
        return f"{self.n} changements de noms"
