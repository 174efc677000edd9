"""Reference data of a request, each list in one place: states, motifs, categories, pieces."""

from django.db import models

from demandes import delais


class Etat(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    CONTROLE_FORME = "controle_forme", "En contrôle de forme"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    A_COMPLETER = "a_completer", "À compléter"
    ACCEPTEE = "acceptee", "Acceptée"
    REJETEE = "rejetee", "Rejetée"
    ABANDONNEE = "abandonnee", "Abandonnée"
    TITRE_EN_PRODUCTION = "titre_en_production", "Titre en production"
    TITRE_PRODUIT = "titre_produit", "Titre produit"
    EXPEDIE = "expedie", "Titre expédié"
    EN_INSTANCE = "en_instance", "En instance au bureau de poste"
    RETOURNE = "retourne", "Retourné à l'expéditeur"
    DISTRIBUE = "distribue", "Titre distribué"
    DETRUIT = "detruit", "Titre détruit"


# Named groups of states, used by queries and templates. In progress (the backlog's columns):
EN_COURS = frozenset(
    {
        Etat.DEPOSEE,
        Etat.CONTROLE_FORME,
        Etat.EN_INSTRUCTION,
        Etat.A_COMPLETER,
        Etat.TITRE_EN_PRODUCTION,
        Etat.TITRE_PRODUIT,
        Etat.EXPEDIE,
        Etat.EN_INSTANCE,
        Etat.RETOURNE,
    }
)
# Submitted and not decided yet: the time a récépissé de dépôt covers.
AVANT_DECISION = frozenset(
    {Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION, Etat.A_COMPLETER}
)


class Famille(models.TextChoices):
    INSCRIPTION = "inscription", "Inscription au permis de conduire"
    PRODUCTION = "production", "Fabrication du titre après réussite à l'examen"
    RENOUVELLEMENT = "renouvellement", "Renouvellement du titre"
    AUTRE = "autre", "Autres démarches"


class Motif(models.TextChoices):
    INSCRIPTION_PREMIERE = "inscription_premiere", "Première inscription"
    INSCRIPTION_EXTENSION = "inscription_extension", "Inscription pour une nouvelle catégorie"
    INSCRIPTION_RETOUR = (
        "inscription_retour",
        "Retour au permis après annulation ou invalidation",
    )
    PRODUCTION_PREMIER_TITRE = "production_premier_titre", "Premier titre après réussite à l'examen"
    PRODUCTION_NOUVELLE_CATEGORIE = (
        "production_nouvelle_categorie",
        "Nouvelle catégorie après réussite à l'examen",
    )
    PERTE = "perte", "Perte du permis"
    VOL = "vol", "Vol du permis"
    DETERIORATION = "deterioration", "Détérioration du permis"
    FIN_VALIDITE = "fin_validite", "Fin de validité du permis"
    FIN_VALIDITE_AVIS_MEDICAL = (
        "fin_validite_avis_medical",
        "Fin de validité du permis nécessitant un avis médical",
    )
    CHANGEMENT_ETAT_CIVIL = "changement_etat_civil", "Changement d'état civil"
    CONVERSION_BREVET_MILITAIRE = "conversion_brevet_militaire", "Conversion d'un brevet militaire"
    VALIDATION_DIPLOME_PRO = "validation_diplome_pro", "Validation d'un diplôme professionnel"
    APRES_ANNULATION = (
        "apres_annulation",
        "Demande suite à une invalidation ou une annulation du permis",
    )
    APRES_SUSPENSION = "apres_suspension", "Demande suite à une suspension du permis"

    @property
    def famille(self) -> Famille:
        return _FAMILLES[self]

    @property
    def est_inscription(self) -> bool:
        return self.famille == Famille.INSCRIPTION

    @property
    def produit_un_titre(self) -> bool:
        """Accepted, these motifs go on to title production (acceptee -> titre_en_production)."""
        return not self.est_inscription

    @property
    def demande_categories(self) -> bool:
        return self.famille in {Famille.INSCRIPTION, Famille.PRODUCTION} or self in {
            Motif.CONVERSION_BREVET_MILITAIRE,
            Motif.VALIDATION_DIPLOME_PRO,
        }

    @property
    def timbre_fiscal(self) -> int:
        """Amount in euros of the timbre fiscal dématérialisé, 0 when none is needed."""
        return 25 if self in {Motif.PERTE, Motif.VOL} else 0

    @property
    def suite_annulation(self) -> bool:
        return self in {Motif.INSCRIPTION_RETOUR, Motif.APRES_ANNULATION}

    @property
    def avis_medical(self) -> bool:
        return self.suite_annulation or self in {
            Motif.FIN_VALIDITE_AVIS_MEDICAL,
            Motif.APRES_SUSPENSION,
        }


_FAMILLES = {
    Motif.INSCRIPTION_PREMIERE: Famille.INSCRIPTION,
    Motif.INSCRIPTION_EXTENSION: Famille.INSCRIPTION,
    Motif.INSCRIPTION_RETOUR: Famille.INSCRIPTION,
    Motif.PRODUCTION_PREMIER_TITRE: Famille.PRODUCTION,
    Motif.PRODUCTION_NOUVELLE_CATEGORIE: Famille.PRODUCTION,
    Motif.PERTE: Famille.RENOUVELLEMENT,
    Motif.VOL: Famille.RENOUVELLEMENT,
    Motif.DETERIORATION: Famille.RENOUVELLEMENT,
    Motif.FIN_VALIDITE: Famille.RENOUVELLEMENT,
    Motif.FIN_VALIDITE_AVIS_MEDICAL: Famille.RENOUVELLEMENT,
    Motif.CHANGEMENT_ETAT_CIVIL: Famille.RENOUVELLEMENT,
    Motif.CONVERSION_BREVET_MILITAIRE: Famille.AUTRE,
    Motif.VALIDATION_DIPLOME_PRO: Famille.AUTRE,
    Motif.APRES_ANNULATION: Famille.AUTRE,
    Motif.APRES_SUSPENSION: Famille.AUTRE,
}


class Categorie(models.TextChoices):
    AM = "AM", "AM — cyclomoteur, voiturette"
    A1 = "A1", "A1 — motocyclette légère"
    A2 = "A2", "A2 — motocyclette de puissance intermédiaire"
    A = "A", "A — motocyclette"
    B1 = "B1", "B1 — quadricycle lourd"
    B = "B", "B — voiture"
    B96 = "B96", "B96 — voiture avec remorque (formation de 7 heures)"
    BE = "BE", "BE — voiture avec remorque lourde"
    C1 = "C1", "C1 — camion léger"
    C1E = "C1E", "C1E — camion léger avec remorque"
    C = "C", "C — poids lourd"
    CE = "CE", "CE — poids lourd avec remorque"
    D1 = "D1", "D1 — minibus"
    D1E = "D1E", "D1E — minibus avec remorque"
    D = "D", "D — autobus, autocar"
    DE = "DE", "DE — autobus avec remorque"

    @property
    def age_minimum(self) -> int:
        return _AGES_MINIMUM[self]


_AGES_MINIMUM = {
    "AM": 14, "A1": 16, "A2": 18, "A": 20, "B1": 16, "B": 17, "B96": 18, "BE": 18,
    "C1": 18, "C1E": 18, "C": 21, "CE": 21, "D1": 21, "D1E": 21, "D": 24, "DE": 24,
}  # fmt: skip

# The heavy-vehicle group: every request for these needs a medical opinion.
GROUPE_LOURD = frozenset(
    {Categorie.C1, Categorie.C1E, Categorie.C, Categorie.CE}
    | {Categorie.D1, Categorie.D1E, Categorie.D, Categorie.DE}
)
# Categories obtained after a training rather than an exam.
CATEGORIES_FORMATION = frozenset({Categorie.AM, Categorie.A, Categorie.B96})


class Piece(models.TextChoices):
    """Kinds of supporting documents; the matrix in documents.py says which a request needs."""

    IDENTITE = "identite", "Justificatif d'identité"
    DOMICILE = "domicile", "Justificatif de domicile"
    CODE_PHOTO = "code_photo", "Photo et signature numériques (code photo)"
    JDC = "jdc", "Attestation de participation à la JDC"
    TITRE_SEJOUR = "titre_sejour", "Justificatif de la régularité du séjour"
    PERMIS_ACTUEL = "permis_actuel", "Copie du permis de conduire actuel"
    AVIS_MEDICAL = "avis_medical", "Avis médical d'un médecin agréé"
    REFERENCE_44 = "reference_44", "Formulaire référence 44 (relevé d'information)"
    TESTS_PSYCHOTECHNIQUES = "tests_psychotechniques", "Résultat des tests psychotechniques"
    ATTESTATION_FORMATION = "attestation_formation", "Attestation de suivi de formation"
    ASSR = "assr", "ASSR de second niveau (ASSR2) ou ASR"
    IDENTITE_REPRESENTANT = (
        "identite_representant",
        "Justificatif d'identité du représentant légal",
    )
    DECLARATION_VOL = "declaration_vol", "Récépissé de déclaration de vol"

    @property
    def televersee(self) -> bool:
        """False for the photo code: the portal fetches it from the booth, nothing is uploaded."""
        return self != Piece.CODE_PHOTO


class MotifRejet(models.TextChoices):
    DOCUMENT_ILLISIBLE = "document_illisible", "Document illisible"
    DOMICILE_TROP_ANCIEN = (
        "domicile_trop_ancien",
        f"Justificatif de domicile de plus de {delais.ANCIENNETE_DOMICILE}",
    )
    PHOTO_NON_CONFORME = "photo_non_conforme", "Photo non conforme"
    IDENTITE_DISCORDANTE = "identite_discordante", "Identité incohérente entre les pièces"
    PIECE_MANQUANTE = "piece_manquante", "Pièce justificative manquante"
    CONDITIONS_NON_REMPLIES = "conditions_non_remplies", "Conditions de la démarche non remplies"
    HORS_DELAI = "hors_delai", "Demande non complétée dans le délai"
    AUTRE = "autre", "Autre motif"


class Sexe(models.TextChoices):
    FEMININ = "F", "Féminin"
    MASCULIN = "M", "Masculin"
