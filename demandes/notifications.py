"""What the candidate is told at each state that matters to them."""

from demandes.enums import Etat

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
    Etat.ACCEPTEE: (
        "Votre demande a été acceptée",
        "Retrouvez dans votre espace les documents qui l'accompagnent.",
    ),
    Etat.REJETEE: (
        "Votre demande a été rejetée",
        "Le motif est indiqué dans votre espace. Pour une nouvelle demande, il vous faudra un "
        "nouveau code photo numérique.",
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
