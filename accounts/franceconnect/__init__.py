"""The FranceConnect login: an allauth provider built on its generic OpenID Connect client.

allauth's OpenID Connect client does not cover what FranceConnect v2 requires, so this
provider adds it rather than bypass allauth: a `state` and a `nonce` of 43 characters (32
bytes, FranceConnect refuses fewer than 32), `acr_values=eidas1`, the ID token's signature
always checked against the published JWKS and its nonce against the one sent, the userinfo
answer read as a signed JWT, and logout through FranceConnect's end-session endpoint.
Pointing it at the real FranceConnect is a settings change (client id, secret, server URL).
"""
