"""What a candidate reads on their request's page: where it stands and what to do next."""

from demandes.enums import Etat, Motif

_A_FAIRE = {
    Etat.BROUILLON: "Terminez les étapes de votre demande puis déposez-la.",
    Etat.DEPOSEE: "Rien à faire pour le moment : votre demande attend le contrôle de son dossier.",
    Etat.CONTROLE_FORME: "Rien à faire pour le moment : le centre de traitement vérifie que votre dossier est complet et lisible.",
    Etat.EN_INSTRUCTION: "Rien à faire pour le moment : le service instructeur de votre département examine votre demande.",
    Etat.A_COMPLETER: "Remplacez les pièces demandées avant la date limite, sans quoi la demande sera rejetée.",
    Etat.REJETEE: "Cette demande est close. Pour recommencer, déposez une nouvelle demande avec un nouveau code photo numérique.",
    Etat.ABANDONNEE: "Cette demande est close. Vous pouvez en commencer une nouvelle à tout moment.",
    Etat.TITRE_EN_PRODUCTION: "Rien à faire : votre permis est en cours de fabrication.",
    Etat.TITRE_PRODUIT: "Rien à faire : votre permis est fabriqué et va vous être envoyé.",
    Etat.EXPEDIE: "Votre permis vous sera remis par La Poste contre signature, sur présentation d'une pièce d'identité.",
    Etat.EN_INSTANCE: "Retirez votre permis au bureau de poste dans les 15 jours, muni(e) d'une pièce d'identité et de l'avis de passage.",
    Etat.RETOURNE: "Demandez la réexpédition de votre permis ci-dessous : il est conservé 6 mois.",
    Etat.DISTRIBUE: "Votre permis vous a été remis. Vous pouvez télécharger votre relevé d'information restreint.",
    Etat.DETRUIT: "Votre permis n'a pas été réclamé dans les 6 mois et a été détruit : une nouvelle demande est nécessaire.",
}


def a_faire(demande) -> str:
    if demande.etat == Etat.ACCEPTEE:
        if demande.motif and Motif(demande.motif).est_inscription:
            return (
                "Imprimez votre attestation d'inscription (recto verso sur une seule feuille) "
                "et présentez-la, avec une pièce d'identité, le jour de l'examen."
            )
        return "Rien à faire : la fabrication de votre permis va commencer."
    return _A_FAIRE[Etat(demande.etat)]


def auteur(entree, demande) -> str:
    """Who made a change, as the candidate may know it (never an agent's name)."""
    if entree.by_id is None:
        return "automatiquement"
    if entree.by_id == demande.candidat_id:
        return "par vous"
    if entree.by_id == demande.depose_par_id:
        return "par votre auto-école"
    return "par l'administration"
