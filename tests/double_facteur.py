"""Second factor in tests: staff accounts already enrolled, and TOTP codes computed here.

Administrators, CTN agents and DDT instructors must enrol a TOTP authenticator before the
back-office or the admin (accounts/double_facteur.py). So that tests keep logging staff in
with one line, the factories enrol them:

    AgentCTNFactory(), InstructeurFactory(), AdminFactory()   # enrolled (TOTP + recovery codes)
    AgentCTNFactory(double_facteur=False)                     # not yet: sent to the enrolment
    activer_double_facteur(user)                              # enrol any account (returns the secret)

`client.force_login(agent)` then reaches /instruction/ and /admin/ as before. Through the login
form, allauth asks for a code after the password: `code_totp(user)` computes the current one
from the enrolled secret (RFC 6238, written out here rather than borrowed from allauth), and
`connecter_avec_totp(client, user)` does the whole login. A code is accepted once: a second
login in the same 30 s needs `time_machine` to move to the next period.
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt

PERIODE = 30


def activer_double_facteur(user) -> str:
    """Enrol `user` in TOTP (and recovery codes) as the activation page would; the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def secret_totp(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def totp(secret: str, instant: float | None = None) -> str:
    """RFC 6238 with SHA-1, 6 digits, 30 s periods: what the phone app shows."""
    compteur = int((time.time() if instant is None else instant) // PERIODE)
    cle = base64.b32decode(secret, casefold=True)
    empreinte = hmac.new(cle, struct.pack(">Q", compteur), hashlib.sha1).digest()
    decalage = empreinte[-1] & 0x0F
    valeur = struct.unpack(">I", empreinte[decalage : decalage + 4])[0] & 0x7FFFFFFF
    return f"{valeur % 10**6:06d}"


def code_totp(user) -> str:
    return totp(secret_totp(user))


def connecter_avec_totp(client, user, mot_de_passe=None):
    """Log in through allauth's form: password, then the TOTP step. The last response."""
    from tests.factories import MOT_DE_PASSE

    client.post("/compte/login/", {"login": user.email, "password": mot_de_passe or MOT_DE_PASSE})
    return client.post("/compte/2fa/authenticate/", {"code": code_totp(user)})
