"""What each state of a request means to the candidate (docs/design.md, "Lifecycle").

One table, read by every place that tells the candidate where their request stands: the
email and SMS sent on a change (demandes/tasks.py, demandes/sms.py: a state with no
`notification` is not announced), the « Et maintenant ? » of the request page and the
page's own blocks (templates/demandes/detail.html). A state's label is its `Etat` label.
"""

from dataclasses import dataclass

from demandes.delais import CONSERVATION_TITRE, INSTANCE_POSTE
from demandes.enums import Etat, Motif, MotifRejet, Piece


@dataclass(frozen=True)
class Sens:
    a_faire: str  # what to do next, on the request page
    # (title, detail) of the email and SMS announcing the state; None: not announced.
    notification: tuple[str, str] | None = None
    # For an inscription, when what to do next differs (the motif's family decides).
    a_faire_inscription: str = ""
    # What the page offers in this state: "completer" (replace pieces), "reexpedier".
    action: str = ""
    suivi_postal: bool = False  # the tracking number matters (the licence is on its way)

    @property
    def notifiee(self) -> bool:
        return self.notification is not None


SENS: dict[Etat, Sens] = {
    Etat.BROUILLON: Sens(a_faire="Terminez les étapes de votre demande puis déposez-la."),
    Etat.DEPOSEE: Sens(
        a_faire="Rien à faire pour le moment : votre demande attend le contrôle de son dossier.",
        notification=(
            "Votre demande a bien été déposée",
            "Elle va être contrôlée puis instruite. Vous serez informé(e) de chaque étape.",
        ),
    ),
    Etat.CONTROLE_FORME: Sens(
        a_faire="Rien à faire pour le moment : le centre de traitement vérifie que votre dossier est complet et lisible.",
    ),
    Etat.EN_INSTRUCTION: Sens(
        a_faire="Rien à faire pour le moment : le service instructeur de votre département examine votre demande.",
        notification=(
            "Votre demande est en cours d'instruction",
            "Le service instructeur de votre département l'examine. Vous serez informé(e) de sa décision.",
        ),
    ),
    Etat.A_COMPLETER: Sens(
        a_faire="Remplacez les pièces demandées avant la date limite, sans quoi la demande sera rejetée.",
        notification=(
            "Votre demande est à compléter",
            "Des pièces justificatives doivent être remplacées avant la date indiquée dans votre espace.",
        ),
        action="completer",
    ),
    Etat.ACCEPTEE: Sens(
        a_faire="Rien à faire : la fabrication de votre permis va commencer.",
        a_faire_inscription=(
            "Imprimez votre attestation d'inscription (recto verso sur une seule feuille) "
            "et présentez-la, avec une pièce d'identité, le jour de l'examen."
        ),
        notification=(
            "Votre demande a été acceptée",
            "Retrouvez dans votre espace les documents qui l'accompagnent.",
        ),
    ),
    Etat.REJETEE: Sens(
        a_faire="Cette demande est close. Pour recommencer, déposez une nouvelle demande avec un nouveau code photo numérique.",
        notification=(
            "Votre demande a été rejetée",
            "Le motif est indiqué dans votre espace. Pour une nouvelle demande, il vous faudra un "
            "nouveau code photo numérique.",
        ),
    ),
    Etat.ABANDONNEE: Sens(
        a_faire="Cette demande est close. Vous pouvez en commencer une nouvelle à tout moment.",
        notification=(
            "Votre demande a été abandonnée",
            "Vous pouvez commencer une nouvelle demande à tout moment.",
        ),
    ),
    Etat.TITRE_EN_PRODUCTION: Sens(
        a_faire="Rien à faire : votre permis est en cours de fabrication.",
        notification=(
            "Votre permis est en cours de fabrication",
            "Il vous sera envoyé par La Poste ; vous recevrez son numéro de suivi.",
        ),
    ),
    Etat.TITRE_PRODUIT: Sens(
        a_faire="Rien à faire : votre permis est fabriqué et va vous être envoyé.",
    ),
    Etat.EXPEDIE: Sens(
        a_faire="Votre permis vous sera remis par La Poste contre signature, sur présentation d'une pièce d'identité.",
        notification=(
            "Votre permis a été expédié",
            "Il vous sera remis par La Poste contre signature.",
        ),
        suivi_postal=True,
    ),
    Etat.EN_INSTANCE: Sens(
        a_faire=f"Retirez votre permis au bureau de poste dans les {INSTANCE_POSTE}, muni(e) d'une pièce d'identité et de l'avis de passage.",
        notification=(
            "Votre permis vous attend au bureau de poste",
            f"Vous avez {INSTANCE_POSTE} pour le retirer, muni(e) d'une pièce d'identité.",
        ),
        suivi_postal=True,
    ),
    Etat.RETOURNE: Sens(
        a_faire=f"Demandez la réexpédition de votre permis ci-dessous : il est conservé {CONSERVATION_TITRE}.",
        notification=(
            "Votre permis a été retourné",
            f"Vous pouvez demander sa réexpédition depuis votre espace pendant {CONSERVATION_TITRE}.",
        ),
        action="reexpedier",
    ),
    Etat.DISTRIBUE: Sens(
        a_faire="Votre permis vous a été remis. Vous pouvez télécharger votre relevé d'information restreint.",
    ),
    Etat.DETRUIT: Sens(
        a_faire=f"Votre permis n'a pas été réclamé dans les {CONSERVATION_TITRE} et a été détruit : une nouvelle demande est nécessaire.",
        notification=(
            "Votre permis a été détruit",
            f"Il n'a pas été réclamé dans les {CONSERVATION_TITRE} : une nouvelle demande est nécessaire.",
        ),
    ),
}


def sens(etat: str) -> Sens:
    return SENS[Etat(etat)]


def a_faire(demande) -> str:
    """What the candidate should do next about `demande`."""
    sens_ = sens(demande.etat)
    if sens_.a_faire_inscription and demande.motif and Motif(demande.motif).est_inscription:
        return sens_.a_faire_inscription
    return sens_.a_faire


def notification(etat: str) -> tuple[str, str] | None:
    """(title, detail) announcing `etat` to the candidate, None when it is not announced."""
    return SENS[Etat(etat)].notification if etat in Etat.values else None


def precisions(demande, etat: str) -> list[str]:
    """The facts of this step the candidate needs: reasons, pieces and deadline, NEPH, tracking."""
    if etat == Etat.REJETEE and demande.motifs_rejet:
        motifs = ", ".join(MotifRejet(m).label.lower() for m in demande.motifs_rejet)
        return [f"Motif{'s' if len(demande.motifs_rejet) > 1 else ''} du rejet : {motifs}."]
    if etat == Etat.A_COMPLETER and demande.pieces_a_completer:
        pieces = ", ".join(Piece(p).label.lower() for p in demande.pieces_a_completer)
        avant = demande.completer_avant.strftime("%d/%m/%Y") if demande.completer_avant else ""
        return [f"Pièces à remplacer : {pieces}.", f"À transmettre avant le {avant}."]
    if etat == Etat.ACCEPTEE and demande.neph:
        return [f"Votre numéro NEPH, à conserver : {demande.neph}."]
    if etat == Etat.EXPEDIE and demande.numero_suivi:
        return [f"Numéro de suivi La Poste : {demande.numero_suivi}."]
    return []


def auteur(entree, demande) -> str:
    """Who made a change, as the candidate may know it (never an agent's name)."""
    if entree.by_id is None:
        return "automatiquement"
    if entree.by_id == demande.candidat_id:
        return "par vous"
    if entree.by_id == demande.depose_par_id:
        return "par votre auto-école"
    return "par l'administration"
