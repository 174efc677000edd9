"""A simulated FranceConnect: a small OpenID Connect identity provider served by the portal.

It stands for FranceConnect v2's integration environment (``fcp-low…/api/v2``): the same URL
layout under one issuer URL (``/authorize``, ``/token``, ``/userinfo``, ``/session/end``,
``/.well-known/openid-configuration``, ``/jwks``), the authorization code flow with a
confidential client, ``state`` and ``nonce`` of at least 32 characters, ``acr_values=eidas1``,
ID tokens and userinfo answers signed with ES256, and a demo identity provider listing a few
test identities (``identites.py``). The portal reaches it over HTTP through its ordinary
OpenID Connect client, exactly as it reaches the real FranceConnect; the setting
``FRANCECONNECT_SIMULATEUR`` switches it on (the embedded default) or off (404 everywhere).
"""
