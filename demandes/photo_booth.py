"""Client of the "code photo numérique" (ePhoto) service of the approved photo booths.

An approved booth or photographer prints a single-use code of 22 letters and digits, valid
`delais.VALIDITE_CODE_PHOTO`, that stands for the photo and the signature it took and keeps. The portal checks
a code, fetches both images for the candidate to confirm, and consumes the code when the
request is submitted, inside the transaction of the submission: of two drafts holding the
same code only one can be submitted.

The implementation is chosen by `settings.PERMIS_CABINE_PHOTO` (an import path). The demo
one, `simulateurs.cabine.ClientCabineSimulee`, is the simulated booth of the `simulateurs`
app; a client of the real ePhoto web service would implement the same two methods.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from demandes.delais import VALIDITE_CODE_PHOTO
from permis import services

LONGUEUR_CODE = 22
FORMAT_CODE = re.compile(r"^[A-Z0-9]{22}$")


class CodePhotoRefuse(Exception):
    """The code cannot be used; `str(exc)` is the message shown to the candidate."""

    FORMAT = (
        "Le code photo comporte 22 caractères, uniquement des lettres et des chiffres "
        "(les espaces sont ignorés)."
    )
    INCONNU = (
        "Ce code photo est inconnu : vérifiez-le sur la planche remise par la cabine "
        "ou le photographe agréé."
    )
    UTILISE = (
        "Ce code photo a déjà été utilisé pour une autre demande : faites une nouvelle "
        "photo pour obtenir un nouveau code."
    )
    EXPIRE = (
        f"Ce code photo a expiré (il est valable {VALIDITE_CODE_PHOTO}) : faites une nouvelle photo pour "
        "obtenir un nouveau code."
    )


@dataclass(frozen=True)
class PhotoSignature:
    """What a code stands for: a JPEG photo and a PNG signature."""

    code: str
    photo: bytes
    signature: bytes
    expire_le: datetime


class CabinePhoto(Protocol):
    def recuperer(self, code: str) -> PhotoSignature:
        """The photo and signature of a usable code; raises CodePhotoRefuse otherwise."""

    def consommer(self, code: str, reference: str) -> None:
        """Mark the code used for `reference` (a request number), once; raises CodePhotoRefuse."""


def normaliser_code(saisie: str) -> str:
    """The code as the booth prints it: upper case, without spaces or hyphens."""
    return re.sub(r"[\s-]", "", saisie or "").upper()


def verifier_format(code: str) -> str:
    code = normaliser_code(code)
    if not FORMAT_CODE.match(code):
        raise CodePhotoRefuse(CodePhotoRefuse.FORMAT)
    return code


def client() -> CabinePhoto:
    return services.charger("PERMIS_CABINE_PHOTO")
