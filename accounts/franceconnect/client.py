"""The token request, with FranceConnect's refusals turned into messages a person can read."""

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Client

from accounts.franceconnect import erreurs
from accounts.franceconnect.erreurs import FranceConnectError

_MESSAGES = {
    "invalid_grant": erreurs.CODE_INVALIDE,
    "invalid_client": erreurs.CLIENT_INCONNU,
    "unauthorized_client": erreurs.CLIENT_INCONNU,
}


class FranceConnectClient(OAuth2Client):
    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.callback_url,
        }
        auth = None
        if self.basic_auth:
            auth = requests.auth.HTTPBasicAuth(self.consumer_key, self.consumer_secret)
        else:
            data.update({"client_id": self.consumer_key, "client_secret": self.consumer_secret})
        with get_adapter().get_requests_session() as session:
            reponse = session.post(self.access_token_url, data=data, auth=auth)
        try:
            corps = reponse.json()
        except ValueError:
            corps = {}
        if reponse.status_code == 200 and corps.get("access_token") and corps.get("id_token"):
            return corps
        erreur = corps.get("error", "") if isinstance(corps, dict) else ""
        raise FranceConnectError(
            _MESSAGES.get(erreur, erreurs.INCONNUE),
            f"token endpoint answered {reponse.status_code}: {erreur} "
            f"{corps.get('error_description', '') if isinstance(corps, dict) else ''}",
        )
