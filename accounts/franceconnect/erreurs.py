"""Why a FranceConnect login was refused, told in French to the person who tried."""

from allauth.socialaccount.providers.oauth2.client import OAuth2Error

REESSAYER = (
    "Revenez à la page de connexion et cliquez à nouveau sur « S'identifier avec FranceConnect »."
)

ETAT_INCONNU = (
    "La réponse de FranceConnect ne correspond à aucune connexion en cours sur ce navigateur "
    f"(paramètre state inconnu ou expiré). {REESSAYER}"
)
CODE_INVALIDE = (
    "Le code transmis par FranceConnect a expiré ou a déjà été utilisé : la connexion ne "
    f"peut pas aboutir. {REESSAYER}"
)
CLIENT_INCONNU = (
    "FranceConnect ne reconnaît pas ce service (client inconnu ou secret invalide). La "
    "connexion avec FranceConnect est indisponible pour le moment : connectez-vous avec votre "
    "identifiant et votre mot de passe, ou réessayez plus tard."
)
NONCE_DIFFERENT = (
    "La réponse d'identification ne correspond pas à la connexion demandée (nonce différent) : "
    f"elle a été refusée. {REESSAYER}"
)
SIGNATURE_INVALIDE = (
    "La réponse d'identification n'a pas pu être vérifiée : sa signature ne correspond pas aux "
    f"clés publiées par FranceConnect. Elle a été refusée. {REESSAYER}"
)
IDENTITE_INVALIDE = (
    "Les informations d'identité transmises par FranceConnect n'ont pas pu être vérifiées. "
    f"{REESSAYER}"
)
INDISPONIBLE = (
    "FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre identifiant et votre mot de passe."
)
REFUS_FRANCECONNECT = "FranceConnect a refusé la demande de connexion. " + REESSAYER
INCONNUE = "La connexion avec FranceConnect n'a pas abouti. " + REESSAYER


class FranceConnectError(OAuth2Error):
    """A refused login: `message_usager` is shown, the technical detail is logged."""

    def __init__(self, message_usager: str, detail: str = ""):
        super().__init__(detail or message_usager)
        self.message_usager = message_usager
