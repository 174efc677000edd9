import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.urls import reverse
from django.utils.http import urlencode

from accounts.franceconnect.views import PROVIDER_ID, FranceConnectOAuth2Adapter


class FranceConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        donnees = self.get_user_data() or {}
        nom = f"{donnees.get('given_name', '')} {donnees.get('family_name', '')}".strip()
        return nom or super().to_str()


class FranceConnectProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "FranceConnect"
    account_class = FranceConnectAccount
    oauth2_adapter_class = FranceConnectOAuth2Adapter
    supports_token_authentication = False

    def get_login_url(self, request, **kwargs):
        url = reverse("franceconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("franceconnect_callback")

    def get_default_scope(self):
        return ["openid", "identite_pivot", "email"]

    def get_auth_params(self):
        return {"acr_values": "eidas1", "prompt": "login", **super().get_auth_params()}

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # FranceConnect wants state and nonce of 32+ characters: 32 random bytes each.
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params={**auth_params, "nonce": nonce},
            state_id=secrets.token_urlsafe(32),
            nonce=nonce,
            **kwargs,
        )

    def extract_uid(self, data):
        return str(data["id_token"]["sub"])

    def extract_common_fields(self, data):
        userinfo = data["userinfo"]
        return {
            "email": userinfo.get("email"),
            "first_name": userinfo.get("given_name", ""),
            "last_name": userinfo.get("preferred_username") or userinfo.get("family_name", ""),
        }

    def extract_email_addresses(self, data):
        email = data["userinfo"].get("email")
        # The address comes with an identity FranceConnect certified: no second check by mail.
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []


provider_classes = [FranceConnectProvider]
