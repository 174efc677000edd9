import math
import uuid
from contextlib import nullcontext
from contextvars import ContextVar
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, connections, models, transaction
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Now
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django_fsm import FSMField, TransitionNotAllowed
from django_fsm_log.models import StateLog

from accounts.enums import Role
from auto_ecoles.models import Mandat
from demandes import (
    delais,
    delais_constates,
    etats,
    files,
    geographie,
    lifecycle,
    neph,
    photo_booth,
    telephones,
    timbre_fiscal,
    verification,
)
from demandes.documents import Situation, age_le, pieces_requises
from demandes.enums import AVANT_DECISION, Categorie, Etat, Motif, MotifRejet, Piece, Sexe
from demandes.numeros import nouveau_numero
from permis.insertion_compilee import InsertionCompilee
from permis.mise_a_jour_compilee import MiseAJourCompilee
from permis.requetes_compilees import compilee


class DejaTraitee(TransitionNotAllowed):
    """Another agent changed the request first: the action no longer applies."""


MOTIFS_INSCRIPTION = [m for m in Motif if m.est_inscription]


def _chemin_prive(dossier: str, extension: str) -> str:
    """A random name in the private storage: never the name the user gave."""
    return f"{dossier}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def chemin_photo(instance, filename) -> str:
    return _chemin_prive("photos", ".jpg")


def chemin_signature(instance, filename) -> str:
    return _chemin_prive("signatures", ".png")


def chemin_piece(instance, filename) -> str:
    return _chemin_prive("pieces", "." + filename.rsplit(".", 1)[-1].lower())


def chemin_document(instance, filename) -> str:
    return _chemin_prive("documents", ".pdf")


class DemandeQuerySet(models.QuerySet):
    def visibles_par(self, user) -> "DemandeQuerySet":
        """Requests a candidate or a driving school's staff may see; agents use instruction scopes."""
        if not user.is_authenticated:
            return self.none()
        if not user.has_role(Role.AUTO_ECOLE):
            # Without the role no school's access applies (the dashboard's rule too): the
            # subquery below would find nothing, and building it costs more than the
            # candidate's whole query (the roles come with the account, no query).
            return self.filter(candidat=user)
        # A school sees the requests it filed for a student while the student's mandate
        # stands: withdrawing the mandate cuts its access at once.
        mandat_de_l_ecole = Mandat.objects.actifs().filter(
            candidat=OuterRef("candidat_id"),
            auto_ecole__membres__user=user,
            auto_ecole=OuterRef("depose_par__membre_auto_ecole__auto_ecole"),
        )
        return self.filter(Q(candidat=user) | Q(Exists(mandat_de_l_ecole)))

    def lignes_avec_documents(self, *colonnes: str) -> "DemandeQuerySet":
        """Rows for `demandes_et_documents`: the request's pk and `colonnes` (in the model's
        order of fields), then a produced document's pk and nature, a row per document (one
        of Nones without), oldest first. One query, the documents joined: a prefetch's
        second query cost more to build than the page's rows to read."""
        return self.order_by(*self.query.order_by, "documents_produits__cree_le").values_list(
            "pk", *_dans_l_ordre(colonnes), "documents_produits__pk", "documents_produits__nature"
        )

    def avec_documents_produits(self, *colonnes: str) -> list["Demande"]:
        """The requests, their `colonnes` only, each with `documents`, its produced documents."""
        return demandes_et_documents(self.lignes_avec_documents(*colonnes), colonnes, self.db)

    def avec_retard(self) -> "DemandeQuerySet":
        """Annotate `en_retard`: in its step for longer than 9 requests out of 10 there."""
        return self.annotate(
            en_retard=Exists(
                DelaiConstate.objects.alias(
                    # Entered the step before now minus the 9th decile.
                    seuil=ExpressionWrapper(
                        Now() - F("decile_9"), output_field=models.DateTimeField()
                    )
                ).filter(
                    departement=OuterRef("departement"),
                    etat=OuterRef("etat"),
                    seuil__gt=OuterRef("etat_modifie_le"),
                )
            )
        )

    def file_de(self, agent) -> "DemandeQuerySet":
        """The back-office queue an agent works on (demandes/files.py): the scope of every
        instruction query."""
        file = files.file_du_role(agent)
        if file is None or not file.travaillee_par(agent):
            return self.none()
        return self.dans_la_file(file, agent.departement)

    def dans_la_file(self, file: files.File, departement: str) -> "DemandeQuerySet":
        """The requests waiting in `file` (in `departement`, for a département's queue)."""
        demandes = self.filter(etat__in=file.etats)
        if file.par_departement:
            demandes = demandes.filter(departement=departement)
        return demandes

    def brouillons(self) -> "DemandeQuerySet":
        return self.filter(etat=Etat.BROUILLON)

    def brouillons_a_avertir(self) -> "DemandeQuerySet":
        """Drafts to be deleted soon whose owner was not warned yet."""
        limite = timezone.now() - (delais.BROUILLON - delais.PREAVIS_BROUILLON)
        return self.brouillons().filter(
            modifie_le__lte=limite, suppression_annoncee_le__isnull=True
        )

    def brouillons_a_supprimer(self) -> "DemandeQuerySet":
        """Drafts untouched for delais.BROUILLON whose owner was warned at least
        delais.PREAVIS_BROUILLON ago."""
        maintenant = timezone.now()
        return self.brouillons().filter(
            modifie_le__lte=maintenant - delais.BROUILLON,
            suppression_annoncee_le__lte=maintenant - delais.PREAVIS_BROUILLON,
        )

    # Documents a request's state entitles it to (the tasks re-check them on their row;
    # demandes/rattrapage.py looks for those that lack theirs).
    def attendent_une_attestation(self) -> "DemandeQuerySet":
        """Accepted inscriptions, with their NEPH: each has an attestation d'inscription."""
        return self.filter(
            etat=Etat.ACCEPTEE, motif__in=MOTIFS_INSCRIPTION, neph__isnull=False
        ).exclude(neph="")

    def attendent_un_recepisse(self) -> "DemandeQuerySet":
        """Submitted (and not withdrawn) category B inscriptions: each has a récépissé."""
        return self.filter(
            deposee_le__isnull=False, motif__in=MOTIFS_INSCRIPTION, categories__contains=["B"]
        ).exclude(etat__in=[Etat.BROUILLON, Etat.ABANDONNEE])

    def attendent_la_production(self) -> "DemandeQuerySet":
        """Accepted requests for a title: they go on to production (lancer_production)."""
        return self.filter(etat=Etat.ACCEPTEE).exclude(motif__in=MOTIFS_INSCRIPTION)

    def commandes_a_transmettre(self) -> "DemandeQuerySet":
        """In production, and the print centre's answer to the order never noted."""
        return self.filter(etat=Etat.TITRE_EN_PRODUCTION, commande_transmise_le__isnull=True)

    def sans_document(self, nature: str) -> "DemandeQuerySet":
        return self.exclude(
            Exists(DocumentProduit.objects.filter(demande=OuterRef("pk"), nature=nature))
        )

    # Deadlines the periodic task enforces (the transitions re-check them on each row).
    def en_instance_expirees(self) -> "DemandeQuerySet":
        limite = timezone.now() - delais.INSTANCE_POSTE
        return self.filter(etat=Etat.EN_INSTANCE, etat_modifie_le__lte=limite)

    def retournees_expirees(self) -> "DemandeQuerySet":
        limite = timezone.now() - delais.CONSERVATION_TITRE
        return self.filter(etat=Etat.RETOURNE, etat_modifie_le__lte=limite)

    def complement_expire(self) -> "DemandeQuerySet":
        return self.filter(etat=Etat.A_COMPLETER, completer_avant__lt=timezone.localdate())


def _dans_l_ordre(colonnes) -> list[str]:
    """A request's `colonnes` in the model's order of fields, the order from_db reads."""
    ordre = [f.attname for f in Demande._meta.concrete_fields if f.attname in colonnes]
    if len(ordre) != len(colonnes):
        raise ValueError(f"not columns of a request: {set(colonnes) - set(ordre)}")
    return ordre


def demandes_et_documents(lignes, colonnes, alias: str = "default") -> list["Demande"]:
    """The requests of `DemandeQuerySet.lignes_avec_documents` rows, their `colonnes` only,
    each with `documents`: its produced documents (pk and nature), oldest first."""
    colonnes = _dans_l_ordre(colonnes)
    demandes: dict[int, Demande] = {}
    for pk, *valeurs, document_pk, nature in lignes:
        demande = demandes.get(pk)
        if demande is None:
            demande = demandes[pk] = Demande.from_db(alias, ["id", *colonnes], [pk, *valeurs])
            demande.documents = []
        if document_pk is not None:
            demande.documents.append(
                DocumentProduit.from_db(
                    alias, ["id", "demande_id", "nature"], [document_pk, pk, nature]
                )
            )
    return list(demandes.values())


class Demande(lifecycle.CycleDeVie, MiseAJourCompilee, InsertionCompilee):
    """A request filed by (or for) a candidate; `etat` only changes through transitions."""

    numero = models.CharField("numéro de demande", max_length=14, unique=True, editable=False)
    candidat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demandes"
    )
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_deposees",
        help_text="Membre d'une auto-école qui dépose pour le candidat.",
    )
    motif = models.CharField(max_length=40, choices=Motif.choices, blank=True)
    categories = models.JSONField("catégories", default=list, blank=True)
    levee_code_78 = models.BooleanField("levée du code 78", default=False)
    conduite_accompagnee = models.BooleanField(
        "apprentissage anticipé de la conduite (AAC)", default=False
    )

    # État civil
    nom_naissance = models.CharField("nom de naissance", max_length=100, blank=True)
    nom_usage = models.CharField("nom d'usage", max_length=100, blank=True)
    prenoms = models.CharField("prénoms", max_length=150, blank=True)
    sexe = models.CharField(max_length=1, choices=Sexe.choices, blank=True)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    commune_naissance = models.CharField("commune de naissance", max_length=100, blank=True)
    departement_naissance = models.CharField(
        "département de naissance",
        max_length=3,
        blank=True,
        choices=geographie.choix_tous_departements,
        help_text="Pour une naissance en France.",
    )
    pays_naissance = models.CharField("pays de naissance", max_length=2, default="FR")
    nationalite = models.CharField("nationalité", max_length=2, default="FR")
    sous_tutelle = models.BooleanField("sous tutelle", default=False)
    representant_nom = models.CharField("nom du représentant légal", max_length=100, blank=True)
    representant_prenoms = models.CharField(
        "prénoms du représentant légal", max_length=150, blank=True
    )

    # Adresse et contact
    adresse = models.CharField(max_length=200, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=200, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    commune = models.CharField(max_length=100, blank=True)
    departement = models.CharField("département", max_length=3, blank=True, db_index=True)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone portable", max_length=20, blank=True)

    code_photo = models.CharField("code photo numérique", max_length=22, blank=True)
    timbre_fiscal = models.CharField("numéro de timbre fiscal", max_length=16, blank=True)
    # Copies of what the photo code stands for, kept once the candidate confirmed them.
    photo = models.FileField(upload_to=chemin_photo, blank=True)
    signature = models.FileField(upload_to=chemin_signature, blank=True)
    photo_confirmee = models.BooleanField("photo et signature confirmées", default=False)

    # Lifecycle
    etat = FSMField(default=Etat.BROUILLON, choices=Etat.choices, protected=True, db_index=True)
    etat_modifie_le = models.DateTimeField("dernier changement d'état", default=timezone.now)
    deposee_le = models.DateTimeField("déposée le", null=True, blank=True)
    decidee_le = models.DateTimeField("décidée le", null=True, blank=True)
    file_origine = models.CharField(
        "file d'origine",
        max_length=20,
        choices=Etat.choices,
        blank=True,
        help_text="La file où revient une demande à compléter une fois complétée.",
    )
    pieces_a_completer = models.JSONField(default=list, blank=True)
    completer_avant = models.DateField("à compléter avant le", null=True, blank=True)
    motifs_rejet = models.JSONField("motifs de rejet", default=list, blank=True)
    message_candidat = models.TextField("message au candidat", blank=True)
    # The candidate's NEPH (accounts.User.neph) as of this request's acceptance.
    neph = models.CharField("NEPH", max_length=12, null=True, blank=True, db_index=True)
    numero_suivi = models.CharField("numéro de suivi postal", max_length=30, blank=True)
    # The print centre's answer to the production order (tasks.commander_titre).
    reference_fabrication = models.CharField(
        "référence de l'ordre de fabrication", max_length=40, blank=True
    )
    commande_transmise_le = models.DateTimeField(
        "ordre de fabrication transmis le", null=True, blank=True
    )

    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    suppression_annoncee_le = models.DateTimeField(
        "suppression du brouillon annoncée le", null=True, blank=True
    )

    objects = DemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        verbose_name_plural = "demandes"
        ordering = ["-cree_le"]
        indexes = [
            models.Index(fields=["etat", "deposee_le"]),
            # The reconciliation looks back over the requests changed lately.
            models.Index(fields=["etat_modifie_le"], name="demande_etat_modifie_le"),
            # The back-office queues, oldest first (instruction/queries.py): read in index
            # order, a page costs the same at a million requests as at ten.
            models.Index(
                fields=["deposee_le", "id"],
                condition=Q(etat__in=files.CONTROLE.etats),
                name="demande_file_ctn",
            ),
            models.Index(
                fields=["departement", "deposee_le", "id"],
                condition=Q(etat__in=files.INSTRUCTION.etats),
                name="demande_file_ddt",
            ),
            # The backlog's oldest waiting request of a département, state by state (found
            # at once even when the département has none in that state).
            models.Index(
                fields=["departement", "etat", "deposee_le"], name="demande_dep_etat_depot"
            ),
            # The backlog's weeks and median decision time (instruction/queries.py) read the
            # requests deposited, or decided, since a date: nationally and per département.
            # Each index holds every column those figures read, so that they come from the
            # index alone (an index-only scan) and never from the table's rows, scattered
            # over the whole table (at a million requests: 1 s per figure instead of 0.1).
            models.Index(
                fields=["deposee_le"],
                include=["etat", "departement"],
                condition=Q(deposee_le__isnull=False),
                name="demande_deposee_le",
            ),
            models.Index(
                fields=["departement", "deposee_le"],
                include=["etat"],
                condition=Q(deposee_le__isnull=False),
                name="demande_dep_deposee_le",
            ),
            models.Index(
                fields=["decidee_le"],
                include=["deposee_le", "etat", "departement"],
                condition=Q(decidee_le__isnull=False),
                name="demande_decidee_le",
            ),
            models.Index(
                fields=["departement", "decidee_le"],
                include=["deposee_le", "etat"],
                condition=Q(decidee_le__isnull=False),
                name="demande_dep_decidee_le",
            ),
        ]

    def __str__(self) -> str:
        return self.numero

    def save(self, *args, **kwargs):
        if self.numero:
            return super().save(*args, **kwargs)
        for _ in range(5):
            self.numero = nouveau_numero()
            try:
                # A number already drawn fails the INSERT alone: inside a transaction, a
                # savepoint keeps the caller's; outside, autocommit needs none (BEGIN and
                # COMMIT would be two more round trips for the new draft's INSERT).
                with transaction.atomic() if connection.in_atomic_block else nullcontext():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not Demande.objects.filter(numero=self.numero).exists():
                    raise
        raise IntegrityError("could not draw a free request number")

    # --- Derived facts -------------------------------------------------------------------

    @property
    def motif_enum(self) -> Motif | None:
        return Motif(self.motif) if self.motif else None

    @property
    def mineur_ou_tutelle(self) -> bool:
        if self.sous_tutelle:
            return True
        if self.date_naissance is None:
            return False
        return age_le(self.date_naissance, timezone.localdate()) < 18

    def situation(self) -> Situation:
        return Situation(
            motif=Motif(self.motif),
            categories=frozenset(Categorie(c) for c in self.categories),
            date_naissance=self.date_naissance,
            nationalite=self.nationalite,
            mineur_ou_tutelle=self.mineur_ou_tutelle,
            premier_titre=self.motif == Motif.PRODUCTION_PREMIER_TITRE,
            levee_code_78=self.levee_code_78,
            # The Paris day: between 23:00 and midnight UTC, the UTC date is still yesterday.
            le=timezone.localdate(self.deposee_le or timezone.now()),
        )

    def pieces_requises(self) -> list[Piece]:
        return pieces_requises(self.situation()) if self.motif else []

    def dossier_complet(self) -> bool:
        """Enough to be submitted: every step of the wizard done, every required piece there."""
        from demandes import wizard  # the wizard's forms import this module

        # Judged once while executer holds the row: by executer, then by django-fsm's own
        # check of the transition's conditions, nothing written in between.
        connu = getattr(self, "_complet_connu", None)
        if connu is not None:
            return connu
        complet = not wizard.etapes_incompletes(self)
        if hasattr(self, "_complet_connu"):
            self._complet_connu = complet
        return complet

    def pieces_manquantes(self) -> list[Piece]:
        """Required pieces to upload that are not uploaded yet."""
        # Known without reading them: read once while executer holds the row, as the pieces
        # step wrote them (retenir_natures), or read for a page that lists them.
        presentes = getattr(self, "_natures_connues", None)
        if presentes is None:
            presentes = set(_natures_des_pieces(demande=self.pk)) if self.pk else set()
            if hasattr(self, "_natures_connues"):  # read once while executer holds the row
                self._natures_connues = presentes
        return [p for p in self.pieces_requises() if p.televersee and p not in presentes]

    def pieces_envoyees(self) -> list["PieceJustificative"]:
        """Its pieces in the order they were sent, read once for the page that lists them (a
        query compiled once per process); what is missing is then judged from them."""
        pieces = getattr(self, "_pieces_envoyees", None)
        if pieces is None:
            pieces = _pieces_de_la_demande(demande=self.pk)
            for piece in pieces:
                PieceJustificative.demande.field.set_cached_value(piece, self)
            self._pieces_envoyees = pieces
            self._natures_connues = {piece.nature for piece in pieces}
        return pieces

    def retenir_natures(self, natures: set[str]) -> None:
        """After writing pieces: the natures it now holds, as the writer read and wrote them
        under the row's lock; the pieces read before are read again when asked for."""
        self._natures_connues = set(natures)
        self._pieces_envoyees = None

    @property
    def donne_un_recepisse(self) -> bool:
        """A category B inscription gets a récépissé de dépôt once submitted (in SQL:
        DemandeQuerySet.attendent_un_recepisse)."""
        return bool(self.motif) and Motif(self.motif).est_inscription and "B" in self.categories

    def supprimer_brouillon(self) -> None:
        """Delete a draft with its files (the 6-month rule); a submitted request is kept."""
        if self.etat != Etat.BROUILLON:
            raise ValueError("only a draft can be deleted")
        fichiers = [self.photo, self.signature]
        fichiers += [p.fichier for p in self.pieces.all()]
        fichiers += [d.fichier for d in self.documents_produits.all()]
        _effacer_fichiers_apres_commit(fichiers)
        self.delete()

    def oublier_photo(self) -> None:
        """Drop the kept photo and signature (their files once the transaction commits);
        the caller saves."""
        _effacer_fichiers_apres_commit([self.photo, self.signature])
        self.photo = ""
        self.signature = ""
        self.photo_confirmee = False

    def pieces_remplacees(self) -> set[str]:
        """Natures of the requested pieces sent again since the request went back to the
        candidate."""
        return set(
            self.pieces.filter(
                nature__in=self.pieces_a_completer, cree_le__gte=self.etat_modifie_le
            ).values_list("nature", flat=True)
        )

    def remplacer_pieces_demandees(self, fichiers: dict, par) -> list[str]:
        """The candidate sends again pieces the agent asked for (`fichiers`: nature -> checked
        upload, uploads.FichierVerifie); returns the natures still missing.

        Each valid file is kept, even when another one is missing; once every requested piece
        is sent again, the request goes back to its queue (`completer`), in the same
        transaction. TransitionNotAllowed when it was sent back meanwhile.
        """
        with transaction.atomic():
            verrouillee = Demande.objects.select_for_update().get(pk=self.pk)
            if verrouillee.etat != Etat.A_COMPLETER:
                raise TransitionNotAllowed("Cette demande a déjà été renvoyée.")
            for nature, fichier in fichiers.items():
                PieceJustificative.objects.remplacer(verrouillee, nature, fichier)
            remplacees = verrouillee.pieces_remplacees()
            manquantes = [n for n in verrouillee.pieces_a_completer if n not in remplacees]
            if not manquantes:
                verrouillee.executer("completer", par=par)
        return manquantes

    def consommer_justificatifs_externes(self) -> None:
        """Use up the photo code (and the tax stamp) for this request, at submission.

        Runs inside the submission's transaction: if the transition fails later, nothing is
        used up; if the booth or the shop refuses (code used by another request meanwhile,
        expired...), the submission is refused with its message.
        """
        try:
            photo_booth.client().consommer(self.code_photo, reference=self.numero)
        except photo_booth.CodePhotoRefuse as exc:
            raise TransitionNotAllowed(str(exc)) from exc
        montant = Motif(self.motif).timbre_fiscal
        if montant:
            try:
                timbre_fiscal.client().consommer(
                    self.timbre_fiscal, montant=montant, reference=self.numero
                )
            except timbre_fiscal.TimbreRefuse as exc:
                raise TransitionNotAllowed(str(exc)) from exc

    def complement_dans_les_delais(self) -> bool:
        return self.completer_avant is not None and timezone.localdate() <= self.completer_avant

    def complement_hors_delai(self) -> bool:
        return self.completer_avant is not None and timezone.localdate() > self.completer_avant

    def instance_echue(self) -> bool:
        """Waiting at the post office for delais.INSTANCE_POSTE: back to the sender."""
        return timezone.now() >= self.etat_modifie_le + delais.INSTANCE_POSTE

    def conservation_en_cours(self) -> bool:
        """Returned less than delais.CONSERVATION_TITRE ago: it can still be re-sent."""
        return timezone.now() < self.etat_modifie_le + delais.CONSERVATION_TITRE

    def conservation_echue(self) -> bool:
        return not self.conservation_en_cours()

    def libelles_motifs_rejet(self) -> list[str]:
        return [MotifRejet(m).label for m in self.motifs_rejet]

    def libelles_pieces_a_completer(self) -> list[str]:
        return [Piece(p).label for p in self.pieces_a_completer]

    def delai_constate(self) -> "DelaiConstate | None":
        """The delay observed for the request's current step in its département, if known."""
        if self.etat not in delais_constates.ETAPES or not self.departement:
            return None
        lu = self.__dict__.get("delai_lu")  # (département, step, delay): read with the request
        if lu is not None and lu[:2] == (self.departement, self.etat):
            return lu[2]
        for delai in _delai_constate(departement=str(self.departement), etat=str(self.etat)):
            return delai
        return None

    def historique(self):
        # content_type: each entry's get_state_display() reads it (one query per entry otherwise).
        return (
            StateLog.objects.for_(self)
            .select_related("by", "content_type")
            .order_by("timestamp", "pk")
        )

    # --- Transitions: see lifecycle.CycleDeVie; always run them through `executer` ---------

    def transitions_possibles(self, user) -> list[str]:
        """Names of the transitions `user` may run now (for the buttons in a page)."""
        return [
            t.name
            for t in self.get_available_user_etat_transitions(user)  # type: ignore[attr-defined]
        ]

    def executer(self, transition: str, par, **kwargs) -> "Demande":
        """Run `transition` for `par` (None stands for the system: clock, print centre, post).

        The row is locked first, so of two agents acting at once exactly one wins; the
        other gets DejaTraitee. A wrong role raises PermissionDenied, a wrong state or an
        unmet condition TransitionNotAllowed, and nothing changes.
        """
        if transition not in lifecycle.TRANSITIONS:
            raise ValueError(f"unknown transition {transition!r}")
        with transaction.atomic():
            (demande,) = _demande_verrouillee(demande=self.pk)
            methode = getattr(demande, transition)
            if demande.etat != self.etat:
                # Acting on a stale page: whatever was decided meanwhile stands.
                raise DejaTraitee(
                    "Cette demande a déjà été traitée entre-temps "
                    f"(elle est maintenant « {demande.get_etat_display()} »)."
                )
            # django-fsm's can_proceed and has_transition_perm would each judge the conditions
            # again (the submission's read the pieces): the transition's own checks, once each.
            meta, etat = methode._django_fsm, demande.etat
            if not meta.has_transition(etat):
                raise TransitionNotAllowed(
                    f"Action impossible pour une demande « {demande.get_etat_display()} »."
                )
            # The row is locked and every writer of pieces locks it first: its pieces are read
            # once for the conditions here and the transition's own check of them.
            demande._natures_connues = demande._complet_connu = None
            try:
                if not meta.conditions_met(demande, etat):
                    raise TransitionNotAllowed(lifecycle.message_condition(transition))
                if not meta.has_transition_perm(demande, etat, par):
                    raise PermissionDenied("Vous n'avez pas le droit d'effectuer cette action.")
                avant = _valeurs(demande)
                entrees = []
                jeton = _ENTREES_ECRITES.set(entrees)
                try:
                    methode(by=par, **kwargs)
                finally:
                    _ENTREES_ECRITES.reset(jeton)
            finally:
                del demande._natures_connues, demande._complet_connu
            demande.etat_modifie_le = timezone.now()
            # Only the columns the transition changed: the whole row's UPDATE costs more to build.
            demande.save(update_fields=_changes(demande, avant))
            (entree,) = entrees  # django-fsm-log's, written by the transition
            # Recorded with the change: a committed change always has its messages to send.
            Notification.objects.enregistrer(demande, entree)
            lifecycle.planifier_effets(demande, entree)
        return demande


# Queries of every transition and of each judgement of the pieces, compiled once per process.
@compilee(demande=int)
def _demande_verrouillee(demande):
    return Demande.objects.select_for_update().filter(pk=demande).order_by()


@compilee(demande=int)
def _natures_des_pieces(demande):
    # Without the join to the request their Meta's ordering ("demande", …) costs.
    return (
        PieceJustificative.objects.filter(demande_id=demande)
        .order_by()
        .values_list("nature", flat=True)
    )


@compilee(demande=int)
def _pieces_de_la_demande(demande):
    # In the order of their Meta's, for one request: without the join its "demande" asks.
    return PieceJustificative.objects.filter(demande_id=demande).order_by("cree_le", "pk")


# The audit entries django-fsm-log writes while `executer` runs a transition (caught as they
# are saved rather than read back); None outside.
_ENTREES_ECRITES: ContextVar[list | None] = ContextVar("entrees_ecrites", default=None)


@receiver(post_save, sender=StateLog, dispatch_uid="demandes_entree_ecrite")
def _entree_ecrite(sender, instance, created, **kwargs):
    entrees = _ENTREES_ECRITES.get()
    if created and entrees is not None:
        entrees.append(instance)


def _valeurs(demande: Demande) -> dict:
    """Its columns' values, the lists and dicts copied (a transition may change them in place)."""
    valeurs = {}
    for champ in Demande._meta.concrete_fields:
        valeur = getattr(demande, champ.attname)
        valeurs[champ.attname] = valeur.copy() if isinstance(valeur, list | dict) else valeur
    return valeurs


def _changes(demande: Demande, avant: dict) -> list[str]:
    """The columns of `demande` that differ from `avant` (_valeurs), with its state and the
    dates a save writes (auto_now: modifie_le)."""
    changes = {nom for nom, valeur in avant.items() if getattr(demande, nom) != valeur}
    return sorted(changes | {"etat", "etat_modifie_le", "modifie_le"})


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
        db_table = neph.TABLE_COMPTEUR
        verbose_name = "compteur NEPH"
        verbose_name_plural = "compteurs NEPH"
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "mois", "departement"], name="compteur_neph_unique_par_mois"
            )
        ]

    def __str__(self) -> str:
        return f"{self.departement} {self.mois:02d}/{self.annee} : {self.dernier}"


class EnvoiUniqueQuerySet(models.QuerySet):
    """Messages sent at most once (see NotificationQuerySet for why): the rows of an
    `EnvoiUnique` model. The notifications of state changes and those of the request's
    messages (echanges/) share it."""

    def envoyer_une_fois(self, notification, envoyer, refus=()) -> bool:
        """Claim, `envoyer()`, mark sent; returns whether it went out now (see the class).

        Call it outside any transaction, so the claim is committed before anything leaves.
        `refus` are the exceptions by which the service says it did not take the message
        (an SMTP reply code...): the claim is released and the message may be tried again.
        Any other failure leaves the claim: the message may have gone out.
        """
        maintenant = timezone.now()
        reclamee = self.filter(pk=notification.pk, statut=self.model.Statut.A_ENVOYER).update(
            statut=self.model.Statut.EN_COURS,
            reclamee_le=maintenant,
            tentatives=models.F("tentatives") + 1,
        )
        if not reclamee:
            return False  # sent, being sent, or uncertain: never twice
        try:
            envoyer()
        except refus:
            self.filter(pk=notification.pk).update(
                statut=self.model.Statut.A_ENVOYER, reclamee_le=None
            )
            raise
        self.filter(pk=notification.pk).update(
            statut=self.model.Statut.ENVOYEE, envoyee_le=timezone.now()
        )
        return True

    def a_relancer(self, avant, tentatives_max: int):
        """Still to send, recorded before `avant` (its task was lost), oldest first; the
        reconciliation's rules (demandes/rattrapage.py) give the limits."""
        return self.filter(
            statut=self.model.Statut.A_ENVOYER, cree_le__lt=avant, tentatives__lt=tentatives_max
        ).order_by("cree_le")

    def marquer_incertaines(self, reclamees_avant) -> int:
        """Claimed before `reclamees_avant` and never confirmed: their sender died, maybe
        after the server took the message. INCERTAINE, for an operator; never sent again."""
        return self.filter(
            statut=self.model.Statut.EN_COURS, reclamee_le__lt=reclamees_avant
        ).update(statut=self.model.Statut.INCERTAINE)

    def remettre_a_envoyer(self, par) -> list:
        """Put back in the queue the uncertain ones among these, once each; returns them.

        For an operator who checked (the SMTP server's or the SMS operator's log) that the
        message did not go out. The rows are locked and their status re-read: two operators
        confirming together, or one confirming twice, put each message back once. Who and
        when are kept on the row. Call inside a transaction; queue the tasks after commit.
        """
        remises = list(
            self.select_for_update().filter(statut=self.model.Statut.INCERTAINE).order_by("pk")
        )
        maintenant = timezone.now()
        self.model.objects.filter(pk__in=[n.pk for n in remises]).update(
            statut=self.model.Statut.A_ENVOYER,
            reclamee_le=None,
            remise_a_envoyer_le=maintenant,
            remise_a_envoyer_par=par,
        )
        for notification in remises:
            notification.statut = self.model.Statut.A_ENVOYER
            notification.reclamee_le = None
            notification.remise_a_envoyer_le, notification.remise_a_envoyer_par = maintenant, par
        return remises


class NotificationQuerySet(EnvoiUniqueQuerySet):
    """Messages about state changes: recorded with the change, sent after it, at most once.

    Why at most once, and not exactly once: an SMTP server (or an SMS operator) takes a
    message and answers « 250 OK »; our record of that answer is a second write, in another
    system. A process killed between the two leaves a message that went out and a record
    that does not say so, and no protocol lets us ask the server afterwards. So a sender
    first claims the message (committed), then sends outside any transaction, then marks
    it sent. A retry finds the claim and sends nothing. A claim whose sender died stays
    unconfirmed: the reconciliation (demandes/rattrapage.py) marks it INCERTAINE for an
    operator instead of sending it again. The window is the few milliseconds between the
    claim and the server's answer; everything before it (building the message, connecting)
    happens unclaimed, so a crash there only delays the message. Every attempt carries the
    same Message-ID, so a copy an operator sends again shows as one message in mail clients.
    """

    def dues(self, demande: "Demande", entree) -> list["Notification"]:
        """The messages this audit entry owes the candidate (unsaved): email to the request's
        or the account's address, SMS to a French mobile, for the states that are announced."""
        if etats.notification(entree.state) is None:
            return []
        canaux = []
        if demande.email or demande.candidat.email:
            canaux.append(Notification.Canal.EMAIL)
        try:
            telephones.portable_e164(demande.telephone)
        except telephones.NumeroInvalide:
            pass  # no mobile number given: the email is enough
        else:
            canaux.append(Notification.Canal.SMS)
        return [self.model(demande=demande, entree=entree, canal=canal) for canal in canaux]

    def enregistrer(self, demande: "Demande", entree) -> None:
        """Record what the entry owes, in the transaction of the state change it describes.

        One INSERT whose text is written once per process and number of rows (bulk_create
        built and compiled it at every transition): the rows bulk_create(ignore_conflicts=True)
        wrote, a channel already recorded for the entry left as it is.
        """
        dues = self.dues(demande, entree)
        if not dues:
            return
        connexion = connections[self.db]
        cree_le = Notification._meta.get_field("cree_le").get_db_prep_save(
            timezone.now(), connexion
        )
        parametres = []
        for due in dues:
            parametres += [due.demande_id, due.entree_id, due.canal, due.statut, due.tentatives]
            parametres.append(cree_le)
        with connexion.cursor() as curseur:
            curseur.execute(_insertion_des_notifications(connexion, len(dues)), parametres)

    def a_envoyer(self, entree_id: int, canal: str) -> "Notification | None":
        """The entry's message on this channel if it is still to be sent, else None.

        An entry recorded before notifications were recorded with the change gets its
        record now.
        """
        entree = StateLog.objects.filter(pk=entree_id).first()
        if entree is None or etats.notification(entree.state) is None:
            return None
        if not self.filter(entree=entree).exists():
            demande = Demande.objects.select_related("candidat").filter(pk=entree.object_id).first()
            if demande is not None:
                self.enregistrer(demande, entree)
        return (
            self.select_related("demande__candidat", "demande__depose_par", "entree")
            .filter(entree=entree, canal=canal, statut=Notification.Statut.A_ENVOYER)
            .first()
        )


_INSERTIONS: dict[tuple[str, int], str] = {}
# The columns enregistrer() writes; the others are NULL (their default) on a new row.
_COLONNES_NOTIFICATION = ("demande_id", "entree_id", "canal", "statut", "tentatives", "cree_le")


def _insertion_des_notifications(connexion, lignes: int) -> str:
    cle = (connexion.alias, lignes)
    sql = _INSERTIONS.get(cle)
    if sql is None:
        qn = connexion.ops.quote_name
        colonnes = ", ".join(qn(c) for c in _COLONNES_NOTIFICATION)
        valeurs = ", ".join(["(" + ", ".join(["%s"] * len(_COLONNES_NOTIFICATION)) + ")"] * lignes)
        # Names from the model's own metadata, quoted; every value is a parameter.
        sql = _INSERTIONS[cle] = (
            f"INSERT INTO {qn(Notification._meta.db_table)} ({colonnes}) "  # noqa: S608
            f"VALUES {valeurs} ON CONFLICT DO NOTHING"
        )
    return sql


def index_en_attente(nom: str) -> models.Index:
    """The reconciliation's look-up on an `EnvoiUnique` table: the few not sent yet, by age."""
    return models.Index(
        fields=["cree_le"], condition=Q(statut__in=["a_envoyer", "en_cours"]), name=nom
    )


class EnvoiUnique(models.Model):
    """A message owed to someone on one channel, sent at most once (EnvoiUniqueQuerySet).

    A subclass names what it is about (a unique constraint with `canal`), its Message-ID's
    prefix, the path to its request and how its sender is queued (`mettre_en_file`).
    """

    class Canal(models.TextChoices):
        EMAIL = "email", "Courriel"
        SMS = "sms", "SMS"

    class Statut(models.TextChoices):
        A_ENVOYER = "a_envoyer", "À envoyer"
        EN_COURS = "en_cours", "Envoi en cours"
        ENVOYEE = "envoyee", "Envoyée"
        INCERTAINE = "incertaine", "Envoi interrompu, à vérifier"

    PREFIXE_MESSAGE_ID = ""
    CHEMIN_DEMANDE = "demande"  # for select_related, from the row to its request

    canal = models.CharField(max_length=5, choices=Canal.choices)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.A_ENVOYER)
    reclamee_le = models.DateTimeField("envoi commencé le", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    envoyee_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    # The operator who, after checking, put an uncertain message back in the queue (admin).
    remise_a_envoyer_le = models.DateTimeField("remise à envoyer le", null=True, blank=True)
    remise_a_envoyer_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="remise à envoyer par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def message_id(self) -> str:
        """The same Message-ID for every attempt at this message."""
        domaine = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<{self.PREFIXE_MESSAGE_ID}-{self.pk}@{domaine}>"

    @property
    def demande_concernee(self) -> "Demande":
        return self.demande

    def mettre_en_file(self) -> None:
        """Queue this message's sender (a task; call it after commit)."""
        raise NotImplementedError


class Notification(EnvoiUnique):
    """One message about one audit entry on one channel; makes retries send at most once."""

    PREFIXE_MESSAGE_ID = "notification"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="notifications")
    entree = models.ForeignKey(StateLog, on_delete=models.CASCADE, related_name="+")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entree", "canal"], name="notification_unique_par_canal"
            )
        ]
        indexes = [index_en_attente("notification_en_attente")]

    def __str__(self) -> str:
        return f"{self.get_canal_display()} — {self.demande}"

    def mettre_en_file(self) -> None:
        from demandes.tasks import mettre_en_file

        mettre_en_file(self.entree_id, self.canal)


def _effacer_fichiers_apres_commit(fichiers) -> None:
    """Delete stored files once the rows pointing to them are gone for good."""
    a_effacer = [(f.storage, f.name) for f in fichiers if f]

    def effacer():
        for stockage, nom in a_effacer:
            stockage.delete(nom)

    transaction.on_commit(effacer)


class PieceJustificativeQuerySet(models.QuerySet):
    def remplacer(
        self, demande: "Demande", nature: str, fichier, deja_envoyee: bool = True
    ) -> "PieceJustificative":
        """Store a checked upload (uploads.FichierVerifie) as the request's piece of this kind,
        replacing the one it had; call inside the transaction that holds the request.
        `deja_envoyee` False: the caller read under that lock that it has none to replace."""
        if deja_envoyee:
            demande.pieces.filter(nature=nature).supprimer()
        piece = self.model(
            demande=demande,
            nature=nature,
            nom_original=fichier.nom_original,
            type_mime=fichier.type_mime,
            taille=len(fichier.contenu),
        )
        piece.fichier.save(f"piece.{fichier.extension}", ContentFile(fichier.contenu), save=False)
        piece.save()
        return piece

    def supprimer(self) -> int:
        """Delete these pieces and, after commit, their files."""
        pieces = list(self)
        if pieces:
            _effacer_fichiers_apres_commit([p.fichier for p in pieces])
            self.model.objects.filter(pk__in=[p.pk for p in pieces]).delete()
        return len(pieces)


class PieceJustificative(InsertionCompilee):
    """One uploaded supporting document of a request: checked, re-encoded, stored privately."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="pieces")
    nature = models.CharField(max_length=30, choices=Piece.choices)
    fichier = models.FileField(upload_to=chemin_piece)
    nom_original = models.CharField("nom du fichier envoyé", max_length=200)
    type_mime = models.CharField("type", max_length=50)
    taille = models.PositiveIntegerField("taille (octets)")
    cree_le = models.DateTimeField("envoyé le", auto_now_add=True)

    objects = PieceJustificativeQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce justificative"
        verbose_name_plural = "pièces justificatives"
        ordering = ["demande", "cree_le"]
        constraints = [
            models.UniqueConstraint(fields=["demande", "nature"], name="piece_unique_par_nature")
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.demande}"

    @property
    def est_pdf(self) -> bool:
        return self.type_mime == "application/pdf"


class DocumentProduitQuerySet(models.QuerySet):
    def visibles_par(self, user) -> "DocumentProduitQuerySet":
        return self.filter(demande__in=Demande.objects.visibles_par(user))

    def conserver(
        self, demande: "Demande", nature: str, pdf: bytes, emis: "DocumentEmis | None" = None
    ) -> "DocumentProduit | None":
        """Keep `pdf` as the request's document of this kind; None if another run kept one first.

        `emis`, the edition whose verification code the PDF carries, is recorded with it.

        The file is written, then its row. Interrupted in between (a soft time limit, a
        database error), the file is deleted again, so a retry starts clean; only a process
        killed outright between the two can leave an unreferenced file behind.
        """
        document = self.model(demande=demande, nature=nature)
        document.fichier.save(f"{nature}.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                if emis is not None:
                    emis.save()
                document.save()
        except BaseException as exc:
            # Interrupted after the commit, the row stands and so must its file.
            if (
                isinstance(exc, IntegrityError)
                or not self.filter(fichier=document.fichier.name).exists()
            ):
                document.fichier.storage.delete(document.fichier.name)
            if isinstance(exc, IntegrityError):
                return None  # the constraint keeps one per request: theirs stands
            raise
        return document


class DocumentProduit(models.Model):
    """A PDF the portal produced for a request (récépissé de dépôt, attestation...)."""

    class Nature(models.TextChoices):
        RECEPISSE_DEPOT = "recepisse_depot", "Récépissé de dépôt"
        ATTESTATION_INSCRIPTION = "attestation_inscription", "Attestation d'inscription"

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="documents_produits"
    )
    nature = models.CharField(max_length=30, choices=Nature.choices)
    fichier = models.FileField(upload_to=chemin_document)
    cree_le = models.DateTimeField("produit le", auto_now_add=True)

    objects = DocumentProduitQuerySet.as_manager()

    class Meta:
        verbose_name = "document produit"
        verbose_name_plural = "documents produits"
        ordering = ["demande", "cree_le"]
        constraints = [
            # One of each kind per request: producing it again is a no-op.
            models.UniqueConstraint(
                fields=["demande", "nature"], name="document_produit_unique_par_nature"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.demande}"

    @property
    def nom_telechargement(self) -> str:
        return f"{self.nature.replace('_', '-')}-{self.demande.numero}.pdf"


class DocumentEmisQuerySet(models.QuerySet):
    def verifier(self, saisie: str) -> "verification.Verification | None":
        """What the public page says of a typed or scanned code; None when not genuine."""
        lu = verification.lire(saisie)
        if lu is None:
            return None
        emis = (
            self.select_related("demande")
            .filter(reference=lu.reference, version=lu.version)
            .first()
        )
        if emis is None:
            return None
        valide, explication = emis.validite()
        return verification.Verification(
            nature=emis.get_nature_display(),
            numero_demande=emis.demande.numero if emis.demande else "",
            titulaire=emis.titulaire,
            emis_le=emis.emis_le,
            valide=valide,
            explication=explication,
        )

    def de_meme_document(self, emis: "DocumentEmis") -> "DocumentEmisQuerySet":
        """Every edition of the same document (the same request's attestation, say)."""
        if emis.demande_id is not None:
            return self.filter(nature=emis.nature, demande_id=emis.demande_id)
        return self.filter(nature=emis.nature, demande=None, candidat_id=emis.candidat_id)


class DocumentEmis(models.Model):
    """One edition of a document the portal issued, as its verification code stands for it.

    The reference is random and the code is signed (demandes.verification), so the public
    verification page can say whether a document is genuine and still valid, showing only
    what the document itself shows. A relevé d'information is an edition of its own each
    time it is downloaded; an attestation or récépissé is re-edited only when re-issued.
    """

    class Nature(models.TextChoices):
        RECEPISSE_DEPOT = "recepisse_depot", "Récépissé de dépôt"
        ATTESTATION_INSCRIPTION = "attestation_inscription", "Attestation d'inscription"
        RELEVE_INFORMATION = "releve_information", "Relevé d'information restreint"

    reference = models.PositiveBigIntegerField(
        unique=True, default=verification.nouvelle_reference, editable=False
    )
    nature = models.CharField(max_length=30, choices=Nature.choices)
    version = models.PositiveSmallIntegerField(default=1)
    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, null=True, blank=True, related_name="documents_emis"
    )
    candidat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents_emis"
    )
    titulaire = models.CharField("titulaire, tel qu'imprimé", max_length=260)
    emis_le = models.DateTimeField("édité le", default=timezone.now)

    objects = DocumentEmisQuerySet.as_manager()

    class Meta:
        verbose_name = "document émis"
        verbose_name_plural = "documents émis"
        ordering = ["-emis_le"]
        constraints = [
            # Two concurrent editions of one document cannot both become version n.
            models.UniqueConstraint(
                fields=["nature", "demande", "version"],
                condition=Q(demande__isnull=False),
                name="document_emis_version_unique_par_demande",
            ),
            models.UniqueConstraint(
                fields=["nature", "candidat", "version"],
                condition=Q(demande__isnull=True),
                name="document_emis_version_unique_par_candidat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} v{self.version} — {self.titulaire}"

    @property
    def code(self) -> str:
        return verification.code_de(self.reference, self.version)

    @classmethod
    def nouvelle_edition(
        cls, nature: str, candidat, titulaire: str, demande: "Demande | None" = None
    ) -> "DocumentEmis":
        """The next edition of a document, not saved: its code goes into the PDF first, and
        the caller saves it in the transaction that stores the document."""
        emis = cls(nature=nature, demande=demande, candidat=candidat, titulaire=titulaire)
        derniere = cls.objects.de_meme_document(emis).aggregate(v=models.Max("version"))["v"]
        emis.version = (derniere or 0) + 1
        return emis

    @classmethod
    def edition_de(cls, demande: "Demande", nature: str) -> "DocumentEmis":
        """The next edition of a request's document, in the holder's name as it is printed."""
        return cls.nouvelle_edition(
            nature,
            demande.candidat,
            verification.titulaire(demande.prenoms, demande.nom_naissance, demande.nom_usage),
            demande,
        )

    def validite(self) -> tuple[bool, str]:
        """Whether the document still counts today, and why, in the words of the page."""
        if self.remplace:
            return False, "Une édition plus récente de ce document a été délivrée depuis."
        if self.nature == self.Nature.RELEVE_INFORMATION:
            return True, "Ce relevé est exact à sa date d'édition."
        etat = self.demande.etat
        if self.nature == self.Nature.ATTESTATION_INSCRIPTION:
            if etat == Etat.ACCEPTEE:
                return True, "L'inscription au permis de conduire est en cours de validité."
            return False, "L'inscription a été retirée : cette attestation n'est plus valable."
        if etat in AVANT_DECISION:
            return True, "La demande d'inscription est en cours d'instruction."
        if etat == Etat.ACCEPTEE:
            return (
                False,
                "L'inscription a été acceptée : l'attestation d'inscription remplace ce récépissé.",
            )
        return False, "La demande a été close sans inscription : ce récépissé n'est plus valable."

    @property
    def remplace(self) -> bool:
        """A later edition of the same document exists: this one no longer counts."""
        return DocumentEmis.objects.de_meme_document(self).filter(version__gt=self.version).exists()


class CompteurDemandes(models.Model):
    """How many requests are in each state in each département, kept by the database.

    On PostgreSQL, triggers on the request table (migration demandes 0010) change these rows in
    the same transaction as the requests themselves, whatever writes them (a transition, the
    admin, a bulk load): the backlog reads a few hundred rows instead of counting millions.
    """

    departement = models.CharField("département", max_length=3)
    etat = models.CharField("état", max_length=50, choices=Etat.choices)
    n = models.BigIntegerField("nombre de demandes", default=0)

    class Meta:
        verbose_name = "compteur de demandes"
        verbose_name_plural = "compteurs de demandes"
        constraints = [
            models.UniqueConstraint(fields=["departement", "etat"], name="compteur_demandes_unique")
        ]

    def __str__(self) -> str:
        return f"{self.departement} {self.etat} : {self.n}"


def _jours(duree: timedelta, arrondi=round) -> str:
    jours = max(1, arrondi(duree / timedelta(days=1)))
    return f"{jours} jour" if jours == 1 else f"{jours} jours"


class DelaiConstate(models.Model):
    """The delay observed for a step in a département (demandes/delais_constates.py)."""

    departement = models.CharField("département", max_length=3)
    etat = models.CharField("étape", max_length=30, choices=Etat.choices)
    mediane = models.DurationField("médiane")
    decile_9 = models.DurationField("9e décile")
    effectif = models.PositiveIntegerField("séjours mesurés")
    calcule_le = models.DateTimeField("calculé le")

    class Meta:
        verbose_name = "délai constaté"
        verbose_name_plural = "délais constatés"
        ordering = ["departement", "etat"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "etat"], name="delai_constate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.departement} — {self.get_etat_display()} : {self.mediane_libelle}"

    @property
    def lieu(self) -> str:
        """Where it was measured, as the sentence says it: « dans le Rhône », « à Paris »."""
        departement = geographie.departement(self.departement)
        return departement.locatif if departement else f"dans le département {self.departement}"

    @property
    def mediane_libelle(self) -> str:
        return _jours(self.mediane)

    @property
    def decile_9_libelle(self) -> str:
        # Rounded up: « 9 demandes sur 10 en moins de N jours » must hold.
        return _jours(self.decile_9, math.ceil)

    def depasse_par(self, demande: Demande) -> bool:
        """The request has been in this step longer than 9 requests out of 10 here."""
        return timezone.now() - demande.etat_modifie_le > self.decile_9

    @classmethod
    def actualiser(cls, maintenant=None) -> int:
        """Recompute the whole table from the audit trail; the number of figures kept."""
        maintenant = maintenant or timezone.now()
        mesures = delais_constates.mesurer(maintenant - delais.FENETRE_DELAIS_CONSTATES, maintenant)
        with transaction.atomic():
            cls.objects.all().delete()
            cls.objects.bulk_create(
                cls(
                    departement=m.departement,
                    etat=m.etat,
                    mediane=m.mediane,
                    decile_9=m.decile_9,
                    effectif=m.effectif,
                    calcule_le=maintenant,
                )
                for m in mesures
            )
        return len(mesures)


# Read on each page of a request in a measured step: compiled once (permis/requetes_compilees.py).
@compilee(departement=str, etat=str)
def _delai_constate(departement, etat):
    return DelaiConstate.objects.filter(departement=departement, etat=etat)[:1]
