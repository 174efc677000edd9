"""The simulated approved photo booth ("cabine agréée ePhoto").

Stands for the booths and photographers approved by the ANTS: each shot gives a
single-use code of 22 letters and digits, valid 6 months, standing for an identity photo
and a signature that the booth keeps. Here the booth draws both images with Pillow
(a portrait whose colours depend on the code, a handwritten-like signature of the name),
keeps the issued codes in `CodePhoto`, and serves the portal through
`ClientCabineSimulee`, the implementation of `demandes.photo_booth.CabinePhoto` used when
`settings.PERMIS_CABINE_PHOTO` points to it (the default).

The simulated client reaches the booth's table directly, so consuming a code runs in the
same database transaction as the submission of the request.
"""

import colorsys
import functools
import hashlib
import io
import math
import random
import secrets
import string
from datetime import datetime

from django.db import connections, router
from django.utils import timezone
from PIL import Image, ImageDraw

from demandes.photo_booth import CodePhotoRefuse, PhotoSignature, verifier_format
from permis.requetes_compilees import compilee
from simulateurs.models import CodePhoto

# Letters and digits, without O and I that read like 0 and 1 on the printed sheet.
ALPHABET_CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ" + string.digits
# 35 x 45 mm at 300 dpi, the format of an identity photo.
TAILLE_PHOTO = (413, 531)
TAILLE_SIGNATURE = (480, 160)


def emettre_code(nom: str, prenoms: str, emis_le: datetime | None = None) -> CodePhoto:
    """Take the shot: a new code standing for a new photo and signature."""
    while True:
        code = "".join(secrets.choice(ALPHABET_CODE) for _ in range(22))
        if not CodePhoto.objects.filter(code=code).exists():
            break
    tire = CodePhoto(
        code=code,
        nom=nom.strip(),
        prenoms=prenoms.strip(),
        teinte=secrets.randbelow(360),
        emis_le=emis_le or timezone.now(),
    )
    # Drawn with the shot, not when the portal fetches them (~3 ms in each of its workers).
    tire.photo, tire.signature = photo_jpeg(tire), signature_png(tire)
    tire.save()
    return tire


def _graine(code: CodePhoto, usage: str) -> random.Random:
    empreinte = hashlib.sha256(f"{code.code}:{usage}".encode()).digest()
    return random.Random(int.from_bytes(empreinte[:8], "big"))  # noqa: S311 - a drawing, not a secret


def _couleur(teinte: float, saturation: float, valeur: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(teinte / 360, saturation, valeur)
    return int(r * 255), int(g * 255), int(b * 255)


def photo_jpeg(code: CodePhoto) -> bytes:
    """The identity photo of a code: a plain portrait on a light uniform background."""
    alea = _graine(code, "photo")
    largeur, hauteur = TAILLE_PHOTO
    image = Image.new("RGB", TAILLE_PHOTO, (229, 233, 236))
    dessin = ImageDraw.Draw(image)
    peau = alea.choice([(241, 200, 170), (224, 172, 135), (198, 134, 96), (141, 85, 54)])
    cheveux = alea.choice([(40, 30, 25), (90, 60, 35), (150, 110, 60), (200, 170, 110)])
    vetement = _couleur(code.teinte, 0.55, 0.55)
    cx = largeur // 2
    # Shoulders, neck, head, hair, eyes and mouth.
    dessin.ellipse((cx - 190, 400, cx + 190, 700), fill=vetement)
    dessin.rectangle((cx - 38, 330, cx + 38, 420), fill=peau)
    dessin.ellipse((cx - 105, 120, cx + 105, 380), fill=peau)
    dessin.chord((cx - 112, 95, cx + 112, 300), 180, 360, fill=cheveux)
    for dx in (-42, 42):
        dessin.ellipse((cx + dx - 11, 230, cx + dx + 11, 244), fill=(250, 250, 250))
        dessin.ellipse((cx + dx - 5, 232, cx + dx + 5, 242), fill=(45, 45, 60))
    dessin.line((cx, 250, cx - 8, 292, cx + 6, 296), fill=tuple(c - 40 for c in peau), width=3)
    dessin.arc((cx - 35, 300, cx + 35, 335), 20, 160, fill=(150, 70, 70), width=4)
    sortie = io.BytesIO()
    image.save(sortie, "JPEG", quality=88)
    return sortie.getvalue()


def signature_png(code: CodePhoto) -> bytes:
    """The signature of a code: a pen stroke looping once per letter of the name."""
    alea = _graine(code, "signature")
    largeur, hauteur = TAILLE_SIGNATURE
    image = Image.new("L", TAILLE_SIGNATURE, 255)
    dessin = ImageDraw.Draw(image)
    lettres = (code.prenoms[:1] + code.nom).replace(" ", "") or "X"
    points = []
    pas = (largeur - 80) / (len(lettres) * 24)
    x, base = 40.0, hauteur * 0.6
    for i, lettre in enumerate(lettres):
        amplitude = 18 + (ord(lettre) % 7) * 5 + (18 if i == 0 else 0)
        phase = alea.uniform(0, math.pi)
        for t in range(24):
            angle = phase + t * 2 * math.pi / 24
            points.append((x, base - amplitude * math.sin(angle) - 6 * math.cos(3 * angle)))
            x += pas
    dessin.line(points, fill=20, width=3, joint="curve")
    dessin.line(
        (40, base + 28, largeur * 0.55, base + 36, largeur - 50, base + 22), fill=20, width=2
    )
    sortie = io.BytesIO()
    image.save(sortie, "PNG")
    return sortie.getvalue()


def _utilisable(code: CodePhoto | None) -> CodePhoto:
    if code is None:
        raise CodePhotoRefuse(CodePhotoRefuse.INCONNU)
    if code.utilise_le is not None:
        raise CodePhotoRefuse(CodePhotoRefuse.UTILISE)
    if code.expire:
        raise CodePhotoRefuse(CodePhotoRefuse.EXPIRE)
    return code


def images(code: CodePhoto) -> tuple[bytes, bytes]:
    """The photo and signature of a code: those kept since it was issued, else drawn."""
    if code.photo and code.signature:
        return bytes(code.photo), bytes(code.signature)
    return _images(code.code, code.nom, code.prenoms, code.teinte)


@functools.lru_cache(maxsize=256)
def _images(code: str, nom: str, prenoms: str, teinte: int) -> tuple[bytes, bytes]:
    """The photo and signature of a code issued without them, drawn once per process. The
    wizard fetches them four times (the photo step, its two images, the confirmation);
    drawing both takes about 3 ms."""
    tire = CodePhoto(code=code, nom=nom, prenoms=prenoms, teinte=teinte)
    return photo_jpeg(tire), signature_png(tire)


@compilee(code=str)  # five times per filing (the photo step, its two images, the confirmation)
def _code_photo(code):
    return CodePhoto.objects.filter(code=code).order_by()  # unique: no ordering to build


_UTILISER: dict[str, str] = {}


def _utiliser(code: str, maintenant: datetime, reference: str) -> bool:
    """CodePhoto.objects.filter(code=code, utilise_le__isnull=True, expire_le__gt=maintenant)
    .update(utilise_le=maintenant, utilise_pour=reference), by a text written once per
    process (the queryset built and compiled its UPDATE at every submission): whether the
    code's row was updated."""
    connexion = connections[router.db_for_write(CodePhoto)]
    sql = _UTILISER.get(connexion.alias)
    if sql is None:
        qn, meta = connexion.ops.quote_name, CodePhoto._meta
        table, colonne = qn(meta.db_table), lambda nom: qn(meta.get_field(nom).column)
        # Names from the model's own metadata, quoted; every value is a parameter.
        sql = _UTILISER[connexion.alias] = (
            f"UPDATE {table} SET {colonne('utilise_le')} = %s, {colonne('utilise_pour')} = %s "  # noqa: S608
            f"WHERE {colonne('code')} = %s AND {colonne('utilise_le')} IS NULL "
            f"AND {colonne('expire_le')} > %s"
        )
    date = CodePhoto._meta.get_field("utilise_le").get_db_prep_save(maintenant, connexion)
    with connexion.cursor() as curseur:
        curseur.execute(sql, [date, reference, code, date])
        return curseur.rowcount > 0


class ClientCabineSimulee:
    """`demandes.photo_booth.CabinePhoto` served by the simulated booth."""

    def recuperer(self, code: str) -> PhotoSignature:
        code = verifier_format(code)
        trouve = _utilisable(next(iter(_code_photo(code=code)), None))
        photo, signature = images(trouve)
        return PhotoSignature(
            code=code, photo=photo, signature=signature, expire_le=trouve.expire_le
        )

    def consommer(self, code: str, reference: str) -> None:
        code = verifier_format(code)
        maintenant = timezone.now()
        # One conditional UPDATE: its row lock makes a concurrent submission with the same
        # code wait, then find the code used (the condition is judged again on the row it
        # committed), and nothing is read when the code is usable.
        if _utiliser(code, maintenant, reference):
            return
        # Refused: the row says why (unknown, used or expired).
        _utilisable(next(iter(_code_photo(code=code)), None))
        raise CodePhotoRefuse(CodePhotoRefuse.UTILISE)
