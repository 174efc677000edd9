"""allauth's OpenID Connect adapter and views, with FranceConnect v2's checks added."""

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp, SocialToken
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from accounts.franceconnect import erreurs
from accounts.franceconnect.client import FranceConnectClient
from accounts.franceconnect.erreurs import FranceConnectError
from accounts.franceconnect.jetons import JetonInvalide, verifier

PROVIDER_ID = "franceconnect"
ACR_ACCEPTES = ("eidas1", "eidas2", "eidas3")


class FranceConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    client_class = FranceConnectClient

    def __init__(self, request, provider_id: str = "") -> None:
        super().__init__(request, provider_id or PROVIDER_ID)
        # The stashed state of this callback (set by the view): it holds the nonce sent.
        self.state: dict | None = None

    def get_callback_url(self, request, app):
        return build_absolute_uri(
            request, reverse("franceconnect_callback"), self.redirect_uri_protocol
        )

    def _verifier(self, jeton: str, app: SocialApp, exigees: list[str]) -> dict:
        config = self.openid_config
        return verifier(
            jeton,
            jwks_uri=config["jwks_uri"],
            emetteur=config["issuer"],
            audience=app.client_id,
            exigees=exigees,
        )

    def complete_login(self, request, app, token: SocialToken, **kwargs):
        id_token = kwargs["response"].get("id_token", "")
        try:
            claims = self._verifier(id_token, app, ["iss", "aud", "exp", "iat", "sub", "nonce"])
        except JetonInvalide as exc:
            raise FranceConnectError(erreurs.SIGNATURE_INVALIDE, f"ID token: {exc}") from exc
        attendu = (self.state or {}).get("nonce", "")
        if not attendu or not constant_time_compare(str(claims["nonce"]), attendu):
            raise FranceConnectError(erreurs.NONCE_DIFFERENT, "ID token nonce mismatch")
        if claims.get("acr") not in ACR_ACCEPTES:
            raise FranceConnectError(erreurs.IDENTITE_INVALIDE, f"acr {claims.get('acr')!r}")

        userinfo = self._userinfo(token.token, app)
        if userinfo.get("sub") != claims["sub"]:
            raise FranceConnectError(
                erreurs.IDENTITE_INVALIDE, "userinfo sub is not the ID token's"
            )
        # Kept with the login so that logging out of the portal also ends the FC session.
        self.state["id_token"] = id_token
        return self.get_provider().sociallogin_from_response(
            request, {"userinfo": userinfo, "id_token": claims}
        )

    def _userinfo(self, access_token: str, app: SocialApp) -> dict:
        """FranceConnect v2 answers userinfo with a JWT signed like the ID token."""
        with get_adapter().get_requests_session() as session:
            reponse = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {access_token}"}
            )
        if reponse.status_code != 200:
            raise FranceConnectError(
                erreurs.IDENTITE_INVALIDE, f"userinfo answered {reponse.status_code}"
            )
        try:
            return self._verifier(reponse.text.strip(), app, ["iss", "aud", "sub"])
        except JetonInvalide as exc:
            raise FranceConnectError(erreurs.IDENTITE_INVALIDE, f"userinfo: {exc}") from exc


class FranceConnectCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, reponse = super()._get_state(request, provider)
        self.adapter.state = state
        return state, reponse


@login_not_required
def login(request):
    try:
        adapter = FranceConnectOAuth2Adapter(request)
        return OAuth2LoginView.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404("FranceConnect n'est pas configuré.") from exc
    except requests.RequestException as exc:
        # FranceConnect unreachable (its discovery document first): say so, like the callback.
        return render_authentication_error(request, adapter.get_provider(), exception=exc)


@login_not_required
def callback(request):
    try:
        return FranceConnectCallbackView.adapter_view(FranceConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404("FranceConnect n'est pas configuré.") from exc
