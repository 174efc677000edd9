"""Service providers (OpenID Connect clients) registered with the simulator.

Like FranceConnect's partner space: each client has an id, a secret, and the exact callback
and post-logout URLs it may use. They come from ``settings.FRANCECONNECT_SIMULATEUR_CLIENTS``.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac


@dataclass(frozen=True)
class Client:
    client_id: str
    secret: str
    nom: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]

    def sub(self, cle_identite: str) -> str:
        """The subject this client sees for an identity: stable, and different per client."""
        empreinte = salted_hmac(
            "fc_simulateur.sub", f"{self.client_id}:{cle_identite}", algorithm="sha256"
        ).hexdigest()
        return f"{empreinte}v1"


def client(client_id: str) -> Client | None:
    for config in settings.FRANCECONNECT_SIMULATEUR_CLIENTS:
        if hmac.compare_digest(config["client_id"].encode(), (client_id or "").encode()):
            return Client(
                client_id=config["client_id"],
                secret=config["secret"],
                nom=config.get("nom", "Service en ligne"),
                redirect_uris=tuple(config.get("redirect_uris", ())),
                post_logout_redirect_uris=tuple(config.get("post_logout_redirect_uris", ())),
            )
    return None


def authentifier(request) -> Client | None:
    """The client a token request authenticates as (client_secret_post or _basic), or None."""
    client_id = request.POST.get("client_id", "")
    secret = request.POST.get("client_secret", "")
    autorisation = request.headers.get("Authorization", "")
    if autorisation.startswith("Basic "):
        try:
            decode = base64.b64decode(autorisation[6:], validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        identifiant, _, mot_de_passe = decode.partition(":")
        client_id, secret = unquote(identifiant), unquote(mot_de_passe)
    trouve = client(client_id)
    if trouve is None or not secret:
        # Compare anyway so that an unknown client takes as long as a wrong secret.
        constant_time_compare(hashlib.sha256(secret.encode()).digest(), b"\0" * 32)
        return None
    if not constant_time_compare(secret, trouve.secret):
        return None
    return trouve
