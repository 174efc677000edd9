"""The lifecycle of a request (docs/design.md, "Lifecycle", with its state diagram), as django-fsm transitions.

`CycleDeVie` is mixed into the Demande model. Each transition names who may run it
(`permission`), when (`conditions`), and is only ever run through `Demande.executer`,
which locks the row, checks all three, saves and writes the audit entry (django-fsm-log)
in one transaction; the side effects of the new state are queued after commit by
`planifier_effets`.

    brouillon -> deposee -> controle_forme -> en_instruction -> acceptee | rejetee
    controle_forme -> rejetee (non conforme)
    controle_forme, en_instruction -> a_completer -> back to its queue | rejetee (late)
    acceptee (production motifs) -> titre_en_production -> titre_produit -> expedie
    expedie -> distribue | en_instance -> retourne -> expedie (within delais.CONSERVATION_TITRE) | detruit
    brouillon, deposee -> abandonnee
"""

from datetime import date

from celery import current_app
from django.db import transaction
from django.utils import timezone
from django_fsm import GET_STATE, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from demandes import files, neph
from demandes.delais import CONSERVATION_TITRE, INSTANCE_POSTE
from demandes.enums import Etat, Motif, MotifRejet

# --- Who may run a transition (django-fsm `permission`: (demande, user) -> bool) ---------
# `user` None stands for the system: the clock, the print centre, the post office.


def est_systeme(demande, user) -> bool:
    return user is None


def est_titulaire(demande, user) -> bool:
    """The candidate, or their driving school's staff while the student's mandate stands."""
    if user is None or not user.is_active:
        return False
    if user.pk == demande.candidat_id:
        return True
    return type(demande).objects.visibles_par(user).filter(pk=demande.pk).exists()


def est_agent_ctn(demande, user) -> bool:
    return files.CONTROLE.travaillee_par(user)


def est_instructeur_du_departement(demande, user) -> bool:
    return files.INSTRUCTION.travaillee_par(user) and user.departement == demande.departement


def est_agent_de_la_file(demande, user) -> bool:
    """The agents of the queue the request waits in (demandes/files.py)."""
    file = files.file_de_l_etat(demande.etat)
    return file is not None and file.contient(demande, user)


# --- When (django-fsm `conditions`: demande -> bool), with the message shown when unmet ---

_MESSAGES_CONDITIONS = {
    "deposer": "La demande est incomplète : terminez toutes les étapes avant de la déposer.",
    "completer": "Le délai pour compléter cette demande est dépassé.",
    "rejeter_hors_delai": "Le délai pour compléter cette demande n'est pas encore dépassé.",
    "lancer_production": "Ce motif ne donne pas lieu à la fabrication d'un titre.",
    "retourner": f"Le titre n'est pas en instance depuis {INSTANCE_POSTE}.",
    "reexpedier": (
        f"Le titre a été retourné il y a plus de {CONSERVATION_TITRE} : "
        "une nouvelle demande est nécessaire."
    ),
    "detruire": f"Le titre est conservé {CONSERVATION_TITRE} avant sa destruction.",
    "abandonner": (
        "Une demande de titre acceptée est déjà en fabrication : elle ne peut plus être abandonnée."
    ),
}


def message_condition(transition_name: str) -> str:
    return _MESSAGES_CONDITIONS.get(
        transition_name, "Les conditions de cette action ne sont pas remplies."
    )


def _produit_un_titre(demande) -> bool:
    return bool(demande.motif) and Motif(demande.motif).produit_un_titre


def _renonciation_possible(demande) -> bool:
    # An accepted inscription can still be withdrawn by the candidate (its attestation then
    # stops being valid); an accepted licence request is already being produced.
    return demande.etat != Etat.ACCEPTEE or Motif(demande.motif).est_inscription


def _retour_file_origine(demande, *args, **kwargs) -> str:
    return demande.file_origine


class CycleDeVie:
    """Transitions of a Demande; French verbs, one per event of docs/design.md."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.BROUILLON,
        target=Etat.DEPOSEE,
        permission=est_titulaire,
        conditions=[lambda d: d.dossier_complet()],
    )
    def deposer(self, by=None, description=None):
        self.deposee_le = timezone.now()
        # Single-use photo code and tax stamp: used up in this same transaction.
        self.consommer_justificatifs_externes()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=[Etat.BROUILLON, Etat.DEPOSEE, Etat.ACCEPTEE],
        target=Etat.ABANDONNEE,
        permission=est_titulaire,
        conditions=[_renonciation_possible],
    )
    def abandonner(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.DEPOSEE,
        target=Etat.CONTROLE_FORME,
        permission=est_agent_ctn,
    )
    def prendre_en_controle(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.CONTROLE_FORME,
        target=Etat.EN_INSTRUCTION,
        permission=est_agent_ctn,
    )
    def passer_en_instruction(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=[Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION],
        target=Etat.A_COMPLETER,
        permission=est_agent_de_la_file,
    )
    def demander_complement(
        self, pieces: list[str], avant: date, message: str = "", by=None, description=None
    ):
        if not pieces:
            raise ValueError("at least one piece to replace is required")
        if avant <= timezone.localdate():
            raise ValueError("the deadline must be in the future")
        self.file_origine = self.etat
        self.pieces_a_completer = list(pieces)
        self.completer_avant = avant
        self.message_candidat = message

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.A_COMPLETER,
        target=GET_STATE(_retour_file_origine, states=[Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION]),
        permission=est_titulaire,
        conditions=[lambda d: d.complement_dans_les_delais()],
    )
    def completer(self, by=None, description=None):
        self.pieces_a_completer = []
        self.completer_avant = None

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.A_COMPLETER,
        target=Etat.REJETEE,
        permission=est_systeme,
        conditions=[lambda d: d.complement_hors_delai()],
    )
    def rejeter_hors_delai(self, by=None, description=None):
        self.motifs_rejet = [MotifRejet.HORS_DELAI.value]
        self.message_candidat = (
            "Les pièces demandées n'ont pas été transmises dans le délai imparti."
        )
        self.decidee_le = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.EN_INSTRUCTION,
        target=Etat.ACCEPTEE,
        permission=est_instructeur_du_departement,
    )
    def accepter(self, by=None, description=None):
        self.decidee_le = timezone.now()
        if Motif(self.motif).est_inscription and not self.neph:
            # In this transaction: the candidate's row, and the month's NEPH counter when a
            # first NEPH is drawn, stay locked until it commits.
            self.neph = neph.du_candidat(self.candidat_id, self.departement)

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=[Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION],
        target=Etat.REJETEE,
        permission=est_agent_de_la_file,
    )
    def refuser(self, motifs: list[str], message: str, by=None, description=None):
        if not motifs or not message.strip():
            raise ValueError("a rejection needs reason codes and a message")
        self.motifs_rejet = [MotifRejet(m).value for m in motifs]
        self.message_candidat = message
        self.decidee_le = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.ACCEPTEE,
        target=Etat.TITRE_EN_PRODUCTION,
        permission=est_systeme,
        conditions=[_produit_un_titre],
    )
    def lancer_production(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.TITRE_EN_PRODUCTION,
        target=Etat.TITRE_PRODUIT,
        permission=est_systeme,
    )
    def produire(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.TITRE_PRODUIT,
        target=Etat.EXPEDIE,
        permission=est_systeme,
    )
    def expedier(self, numero_suivi: str, by=None, description=None):
        self.numero_suivi = numero_suivi

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.RETOURNE,
        target=Etat.EXPEDIE,
        permission=est_titulaire,
        conditions=[lambda d: d.conservation_en_cours()],
    )
    def reexpedier(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=[Etat.EXPEDIE, Etat.EN_INSTANCE],  # delivered, or collected at the post office
        target=Etat.DISTRIBUE,
        permission=est_systeme,
    )
    def distribuer(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field="etat", source=Etat.EXPEDIE, target=Etat.EN_INSTANCE, permission=est_systeme)
    def mettre_en_instance(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.EN_INSTANCE,
        target=Etat.RETOURNE,
        permission=est_systeme,
        conditions=[lambda d: d.instance_echue()],
    )
    def retourner(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="etat",
        source=Etat.RETOURNE,
        target=Etat.DETRUIT,
        permission=est_systeme,
        conditions=[lambda d: d.conservation_echue()],
    )
    def detruire(self, by=None, description=None):
        pass


TRANSITIONS = frozenset(
    name for name, value in vars(CycleDeVie).items() if hasattr(value, "_django_fsm")
)


def planifier_effets(demande, entree) -> None:
    """Queue what follows a transition (emails, SMS, PDFs) to run once it is committed."""
    from demandes import tasks  # the tasks import the models, which import this module

    entree_id, demande_id = entree.pk, demande.pk
    recepisse = entree.state == Etat.DEPOSEE and demande.donne_un_recepisse
    motif = Motif(demande.motif) if demande.motif else None
    acceptee = entree.state == Etat.ACCEPTEE and motif is not None
    attestation = acceptee and motif.est_inscription
    production = acceptee and motif.produit_un_titre
    commande = entree.state == Etat.TITRE_EN_PRODUCTION
    reexpedition = entree.transition == "reexpedier"

    a_publier = [
        (tasks.notifier_changement_etat, entree_id),
        (tasks.notifier_changement_etat_sms, entree_id),
    ]
    for tache, due in (
        (tasks.produire_recepisse_depot, recepisse),
        (tasks.produire_attestation, attestation),
        (tasks.lancer_production, production),
        (tasks.commander_titre, commande),
        (tasks.reexpedier_titre, reexpedition),
    ):
        if due:
            a_publier.append((tache, demande_id))

    def apres_commit():
        # One producer for the lot (each .delay() acquires its own from the pool) and its
        # messages sent in one batch: one Redis pipeline, where each publish made a client.
        with current_app.producer_or_acquire() as producteur, producteur.batch():
            options = _options_de_publication(producteur)
            for tache, argument in a_publier:
                tache.apply_async((argument,), producer=producteur, **options)

    transaction.on_commit(apres_commit)


def _options_de_publication(producteur) -> dict:
    """What Celery would find for itself at each publish of the lot, given to it.

    Every task above goes to the default queue (no route, no queue of its own; tested), which
    Celery asks kombu to declare at each publish: kombu looks it up in the connection's cache
    of declared entities, through a retrying wrapper built each time. Once the cache holds it
    (this connection declared it), no declaration is asked, as kombu would then do nothing;
    before, Celery's own declaration."""
    file, connexion = current_app.amqp.default_queue, getattr(producteur, "connection", None)
    if (
        connexion is not None
        and file.can_cache_declaration
        and hash(file) in connexion.declared_entities
    ):
        return {"declare": []}
    return {}
