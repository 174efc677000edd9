"""Background work on requests. Tasks take ids, reload, re-check, and are safe to run twice."""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from demandes import attestation, centre_impression, delais, etats, pdf, poste, rattrapage, sms
from demandes.models import DelaiConstate, Demande, DocumentEmis, DocumentProduit, Notification
from permis import emails

logger = logging.getLogger(__name__)


# The SMTP server answered with a refusal: it did not take the message (sent again later).
REFUS_SMTP = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifier_changement_etat(entree_id: int) -> bool:
    """Email the candidate about one audit entry, at most once; returns whether it went out now."""
    notification = Notification.objects.a_envoyer(entree_id, Notification.Canal.EMAIL)
    if notification is None:
        return False
    demande, entree = notification.demande, notification.entree
    titre, detail = etats.notification(entree.state)
    courriel = emails.message(
        "changement_etat",
        demande.email or demande.candidat.email,
        {
            "demande": demande,
            "titre": titre,
            "detail": detail,
            "entree": entree,
            "precisions": etats.precisions(demande, entree.state),
        },
        copie=copie_auto_ecole(demande),
        message_id=notification.message_id,
    )
    # Built and connected before the claim: a template error or a server down fails here,
    # with nothing claimed, and the retry sends it.
    with mail.get_connection() as connexion:
        return Notification.objects.envoyer_une_fois(
            notification, lambda: connexion.send_messages([courriel]), refus=REFUS_SMTP
        )


def mettre_en_file(entree_id: int, canal: str) -> None:
    """Queue the sender of this audit entry's message on this channel."""
    if canal == Notification.Canal.SMS:
        notifier_changement_etat_sms.delay(entree_id)
    else:
        notifier_changement_etat.delay(entree_id)


def renvoyer_apres_verification(notifications, par) -> list:
    """Queue again the uncertain messages an operator checked did not go out (the admin):
    `notifications` is a queryset of any `EnvoiUnique` model."""
    with transaction.atomic():
        remises = notifications.remettre_a_envoyer(par)
        for notification in remises:
            logger.warning(
                "%s %s (%s) remise à envoyer par le compte %s",
                notification._meta.model_name,
                notification.pk,
                notification.canal,
                par.pk,
            )
            transaction.on_commit(notification.mettre_en_file)
    return remises


def copie_auto_ecole(demande: Demande) -> list[str]:
    """The school staff member who filed the request follows it while the mandate stands."""
    deposant = demande.depose_par
    if deposant is None or deposant.pk == demande.candidat_id or not deposant.email:
        return []
    if not Demande.objects.visibles_par(deposant).filter(pk=demande.pk).exists():
        return []
    return [deposant.email]


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifier_changement_etat_sms(entree_id: int) -> bool:
    """Text the candidate about one audit entry (demandes/sms.py), at most once."""
    notification = Notification.objects.a_envoyer(entree_id, Notification.Canal.SMS)
    if notification is None:
        return False
    demande = notification.demande
    titre, _detail = etats.notification(notification.entree.state)
    texte = sms.texte_changement_etat(demande, titre)
    return Notification.objects.envoyer_une_fois(
        notification,
        lambda: sms.client().envoyer(
            sms.numero_international(demande.telephone), texte, demande=demande
        ),
        refus=(sms.NumeroRefuse,),
    )


# A render cut short by the soft time limit leaves nothing behind (DocumentProduit.conserver)
# and is tried again; the reconciliation (demandes/rattrapage.py) catches any left over.
REESSAIS_PDF = {
    "autoretry_for": (OSError, SoftTimeLimitExceeded),
    "retry_backoff": True,
    "max_retries": 3,
}


@shared_task(**REESSAIS_PDF)
def produire_attestation(demande_id: int) -> bool:
    """Produce the attestation d'inscription of an accepted inscription, once."""
    return attestation.produire(demande_id) is not None


@shared_task
def lancer_production(demande_id: int) -> bool:
    """An accepted request for a title goes to production, then its order to the print centre."""
    demande = Demande.objects.attendent_la_production().filter(pk=demande_id).first()
    if demande is None:
        return False
    try:
        demande.executer("lancer_production", par=None)
    except TransitionNotAllowed:
        return False  # launched meanwhile by a concurrent run
    return True


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def commander_titre(demande_id: int) -> str | None:
    """Send the production order of a request in titre_en_production to the print centre,
    then note its reference; returns it, or None when there was nothing to send.

    Sent outside any transaction: the centre is another system. A worker killed between the
    centre's answer and the note leaves an order we do not know was taken; the
    reconciliation sends it again with the same idempotency key, and the centre answers
    with the first order's reference instead of printing a second card.
    """
    demande = Demande.objects.commandes_a_transmettre().filter(pk=demande_id).first()
    if demande is None:
        return None
    cle = centre_impression.cle_idempotence(demande)
    reference = centre_impression.client().commander(demande, cle=cle)
    # update(): the note is no change of the request (modifie_le, etat_modifie_le).
    Demande.objects.filter(pk=demande.pk, commande_transmise_le__isnull=True).update(
        reference_fabrication=reference, commande_transmise_le=timezone.now()
    )
    return reference


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reexpedier_titre(demande_id: int) -> str | None:
    """Post again a returned licence the candidate asked for (demandes/poste.py)."""
    return poste.reexpedier(demande_id)


# (queryset of requests whose deadline passed, transition to run on each)
_REGLES_TEMPORELLES = [
    ("en_instance_expirees", "retourner"),
    ("retournees_expirees", "detruire"),
    ("complement_expire", "rejeter_hors_delai"),
]


@shared_task
def appliquer_transitions_temporelles() -> dict[str, int]:
    """Clock-driven rules (demandes/delais.py): at the post office, kept, completion deadlines."""
    faites: dict[str, int] = {}
    for requete, nom in _REGLES_TEMPORELLES:
        faites[nom] = 0
        for demande in getattr(Demande.objects, requete)().iterator():
            try:
                demande.executer(nom, par=None)
            except TransitionNotAllowed:
                continue  # changed meanwhile (re-sent, completed): nothing to do
            faites[nom] += 1
    logger.info("transitions temporelles: %s", faites)
    return faites


@shared_task(**REESSAIS_PDF)
def produire_recepisse_depot(demande_id: int) -> bool:
    """Render and keep the récépissé de dépôt of a submitted category B inscription, once."""
    nature = DocumentProduit.Nature.RECEPISSE_DEPOT
    demande = (
        Demande.objects.attendent_un_recepisse().sans_document(nature).filter(pk=demande_id).first()
    )
    if demande is None:
        return False
    emis = DocumentEmis.edition_de(demande, nature)
    document = DocumentProduit.objects.conserver(
        demande, nature, pdf.recepisse_depot(demande, emis), emis
    )
    return document is not None


@shared_task
def actualiser_delais_constates() -> int:
    """Recompute the delays shown to candidates (demandes/delais_constates.py)."""
    return DelaiConstate.actualiser()


@shared_task
def purger_brouillons() -> dict[str, int]:
    """Drafts untouched for delais.BROUILLON: warn the owner beforehand, then delete them."""
    a_avertir = list(Demande.objects.brouillons_a_avertir().values_list("pk", flat=True))
    for pk in a_avertir:
        avertir_suppression_brouillon.delay(pk)
    supprimes = 0
    for pk in Demande.objects.brouillons_a_supprimer().values_list("pk", flat=True):
        with transaction.atomic():
            # Re-checked under lock: touched since the query, the draft is kept.
            demande = (
                Demande.objects.brouillons_a_supprimer().select_for_update().filter(pk=pk).first()
            )
            if demande is not None:
                demande.supprimer_brouillon()
                supprimes += 1
    faits = {"avertis": len(a_avertir), "supprimes": supprimes}
    logger.info("purge des brouillons: %s", faits)
    return faits


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def avertir_suppression_brouillon(demande_id: int) -> bool:
    """Email the owner of an old draft that it will be deleted; returns whether it went out."""
    with transaction.atomic():
        # The row lock and the mark make a concurrent or repeated run send nothing more.
        demande = (
            Demande.objects.brouillons_a_avertir()
            .select_for_update()
            .select_related("candidat")
            .filter(pk=demande_id)
            .first()
        )
        if demande is None:
            return False
        destinataire = demande.email or demande.candidat.email
        maintenant = timezone.now()
        if destinataire:
            emails.envoyer(
                "brouillon_a_supprimer",
                destinataire,
                {
                    "demande": demande,
                    "supprime_a_partir_du": max(
                        demande.modifie_le + delais.BROUILLON, maintenant + delais.PREAVIS_BROUILLON
                    ),
                },
            )
        # update(): the warning must not count as a change of the draft (modifie_le).
        Demande.objects.filter(pk=demande.pk).update(suppression_annoncee_le=maintenant)
    return bool(destinataire)


@shared_task
def rattraper_taches_perdues(grace_secondes: int | None = None) -> dict[str, int]:
    """Queue again the documents and messages whose task was lost (demandes/rattrapage.py).

    `grace_secondes` shortens the time left to the tasks queued on commit (0: look at
    everything now, as an operator would after a crash).
    """
    grace = rattrapage.GRACE if grace_secondes is None else timedelta(seconds=grace_secondes)
    lot = rattrapage.a_rattraper(grace=grace)
    for pk in lot.attestations:
        produire_attestation.delay(pk)
    for pk in lot.recepisses:
        produire_recepisse_depot.delay(pk)
    for pk in lot.productions:
        lancer_production.delay(pk)
    for pk in lot.commandes:
        commander_titre.delay(pk)
    for entree_id, canal in lot.notifications:
        mettre_en_file(entree_id, canal)
    bilan = lot.bilan()
    # Anything found means a task was lost (or a sender died): worth a look in the logs.
    (logger.warning if any(bilan.values()) else logger.info)("rattrapage : %s", bilan)
    return bilan
