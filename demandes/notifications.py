"""What the candidate is told at each state that matters to them."""

from demandes.enums import Etat, MotifRejet, Piece

# state -> (title, what happened / what to do next)
MESSAGES = {
    Etat.DEPOSEE: (
        "Votre demande a bien été déposée",
        "Elle va être contrôlée puis instruite. Vous serez informé(e) de chaque étape.",
    ),
    Etat.A_COMPLETER: (
        "Votre demande est à compléter",
        "Des pièces justificatives doivent être remplacées avant la date indiquée dans votre espace.",
    ),
    Etat.EN_INSTRUCTION: (
        "Votre demande est en cours d'instruction",
        "Le service instructeur de votre département l'examine. Vous serez informé(e) de sa décision.",
    ),
    Etat.ACCEPTEE: (
        "Votre demande a été acceptée",
        "Retrouvez dans votre espace les documents qui l'accompagnent.",
    ),
    Etat.REJETEE: (
        "Votre demande a été rejetée",
        "Le motif est indiqué dans votre espace. Pour une nouvelle demande, il vous faudra un "
        "nouveau code photo numérique.",
    ),
    Etat.TITRE_EN_PRODUCTION: (
        "Votre permis est en cours de fabrication",
        "Il vous sera envoyé par La Poste ; vous recevrez son numéro de suivi.",
    ),
    Etat.EXPEDIE: (
        "Votre permis a été expédié",
        "Il vous sera remis par La Poste contre signature.",
    ),
    Etat.EN_INSTANCE: (
        "Votre permis vous attend au bureau de poste",
        "Vous avez 15 jours pour le retirer, muni(e) d'une pièce d'identité.",
    ),
    Etat.RETOURNE: (
        "Votre permis a été retourné",
        "Vous pouvez demander sa réexpédition depuis votre espace pendant 6 mois.",
    ),
    Etat.DETRUIT: (
        "Votre permis a été détruit",
        "Il n'a pas été réclamé dans les 6 mois : une nouvelle demande est nécessaire.",
    ),
    Etat.ABANDONNEE: (
        "Votre demande a été abandonnée",
        "Vous pouvez commencer une nouvelle demande à tout moment.",
    ),
}


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
