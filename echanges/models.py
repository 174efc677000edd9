"""A request's conversation: messages between the requester's side and the back-office.

A message is written once and never edited or deleted (the admin shows them read-only): with
its author, its time, its attachment and the time the other side read it, the thread is its
own audit trail. Sending is one transaction (`MessageQuerySet.envoyer`): the request's row is
locked, its state checked (a decided request's thread is closed), the message, its file and
the notifications it owes the candidate stored together; the notifications leave after
commit, at most once each (demandes.models.EnvoiUniqueQuerySet).
"""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from demandes import telephones
from demandes.models import (
    Demande,
    EnvoiUnique,
    EnvoiUniqueQuerySet,
    index_en_attente,
)
from demandes.uploads import FichierVerifie
from echanges.enums import ETATS_OUVERTS, Cote


class EchangeRefuse(Exception):
    """The message cannot be sent now; `str(exc)` says why, in French."""


def chemin_piece_jointe(instance, filename) -> str:
    """A random name in the private storage: never the name the user gave."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def fil_ouvert(demande: Demande) -> bool:
    return demande.etat in ETATS_OUVERTS


def non_lus_par(cote: Cote) -> Q:
    """Messages of the other side that no one on `cote` has read yet."""
    return Q(cote=Cote(cote).autre, lu_le__isnull=True)


class MessageQuerySet(models.QuerySet):
    def visibles_par(self, user) -> "MessageQuerySet":
        """Messages of the requests the candidate (or the school under mandate) may see."""
        return self.filter(demande__in=Demande.objects.visibles_par(user))

    def non_lus_par(self, cote: Cote) -> "MessageQuerySet":
        return self.filter(non_lus_par(cote))

    def envoyer(
        self,
        demande: Demande,
        auteur,
        cote: Cote,
        texte: str,
        fichier: FichierVerifie | None = None,
    ) -> "Message":
        """Store a message (and its checked attachment, demandes.uploads) in the request's
        thread, with the notifications it owes; EchangeRefuse when the thread is closed, or
        when an agent writes about a request that is no longer in their queue."""
        from echanges import tasks  # the tasks import this module

        with transaction.atomic():
            # Locked as transitions lock it: a message and a decision never cross.
            verrouillee = Demande.objects.select_for_update().get(pk=demande.pk)
            if not fil_ouvert(verrouillee):
                raise EchangeRefuse(
                    "Les échanges sur cette demande sont clos "
                    f"(elle est « {verrouillee.get_etat_display()} ») : "
                    "votre message n'a pas été envoyé."
                )
            if (
                cote == Cote.SERVICE
                and not Demande.objects.file_de(auteur).filter(pk=verrouillee.pk).exists()
            ):
                raise EchangeRefuse(
                    "Cette demande n'est plus dans votre file : votre message n'a pas été envoyé."
                )
            message = self.model(demande=verrouillee, auteur=auteur, cote=cote, texte=texte)
            if fichier is not None:
                message.nom_original = fichier.nom_original
                message.type_mime = fichier.type_mime
                message.taille = len(fichier.contenu)
                message.piece_jointe.save(
                    f"piece.{fichier.extension}", ContentFile(fichier.contenu), save=False
                )
            message.save()
            dues = NotificationMessage.objects.enregistrer(message)
            ids = [n.pk for n in dues]
            transaction.on_commit(lambda: [tasks.notifier_message.delay(pk) for pk in ids])
        return message

    def marquer_lus(self, demande: Demande, lecteur, cote: Cote) -> int:
        """`lecteur`, on `cote`, opened the thread: the other side's unread messages are read
        now (the read receipt its authors see). Returns how many were unread."""
        return (
            self.filter(demande=demande)
            .non_lus_par(cote)
            .update(lu_le=timezone.now(), lu_par=lecteur)
        )


def avec_reponse_recue(demandes):
    """Annotate `reponse_recue`: a message from the requester's side that no agent has read
    (a subquery on each row of the same query: a page of the queue costs one query)."""
    return demandes.annotate(
        reponse_recue=Exists(
            Message.objects.filter(demande=OuterRef("pk")).non_lus_par(Cote.SERVICE)
        )
    )


class Message(models.Model):
    """One message of a request's thread, with at most one attachment."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages_ecrits"
    )
    cote = models.CharField("côté", max_length=10, choices=Cote.choices)
    texte = models.TextField("message")
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    # The read receipt: when someone of the other side first opened the thread after it.
    lu_le = models.DateTimeField("lu le", null=True, blank=True)
    lu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The attachment, checked like a piece (demandes.uploads.verifier) and stored privately.
    piece_jointe = models.FileField("pièce jointe", upload_to=chemin_piece_jointe, blank=True)
    nom_original = models.CharField("nom du fichier envoyé", max_length=200, blank=True)
    type_mime = models.CharField("type", max_length=50, blank=True)
    taille = models.PositiveIntegerField("taille (octets)", null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["envoye_le", "pk"]
        indexes = [
            models.Index(fields=["demande", "envoye_le"], name="message_fil"),
            # The queue's « réponse reçue »: the few unread messages to the back-office.
            models.Index(
                fields=["demande"],
                condition=Q(cote="demandeur", lu_le__isnull=True),
                name="message_non_lu_du_demandeur",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cote_display()} — {self.demande} — {self.envoye_le:%d/%m/%Y %H:%M}"


class NotificationMessageQuerySet(EnvoiUniqueQuerySet):
    def enregistrer(self, message: Message) -> list["NotificationMessage"]:
        """What a back-office message owes the candidate, recorded with it: an email to the
        request's or the account's address, an SMS to a French mobile. The requester's
        messages owe nothing: agents see them in their queue."""
        if message.cote != Cote.SERVICE:
            return []
        demande = message.demande
        canaux = []
        if demande.email or demande.candidat.email:
            canaux.append(EnvoiUnique.Canal.EMAIL)
        try:
            telephones.portable_e164(demande.telephone)
        except telephones.NumeroInvalide:
            pass  # no mobile number given: the email is enough
        else:
            canaux.append(EnvoiUnique.Canal.SMS)
        return self.bulk_create(self.model(message=message, canal=canal) for canal in canaux)

    def a_envoyer(self, pk: int) -> "NotificationMessage | None":
        return (
            self.select_related("message__demande__candidat")
            .filter(pk=pk, statut=EnvoiUnique.Statut.A_ENVOYER)
            .first()
        )


class NotificationMessage(EnvoiUnique):
    """The email or SMS telling the candidate that the back-office wrote; sent at most once."""

    PREFIXE_MESSAGE_ID = "message"
    CHEMIN_DEMANDE = "message__demande"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notifications")

    objects = NotificationMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "notification de message"
        verbose_name_plural = "notifications de messages"
        constraints = [
            models.UniqueConstraint(
                fields=["message", "canal"], name="notification_message_unique_par_canal"
            )
        ]
        indexes = [index_en_attente("notif_message_en_attente")]

    def __str__(self) -> str:
        return f"{self.get_canal_display()} — {self.message}"

    @property
    def demande_concernee(self) -> Demande:
        return self.message.demande

    def mettre_en_file(self) -> None:
        from echanges.tasks import notifier_message

        notifier_message.delay(self.pk)
