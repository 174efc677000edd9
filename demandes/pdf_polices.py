"""The embedded fonts' subsets, made once per thread for the same glyphs and then reused.

At every render WeasyPrint has HarfBuzz subset each font file to the glyphs the document
uses (twice: keep the glyphs, then drop the empty ones after the last), then compresses the
subset into the PDF at zlib's level 9: about 0.7 ms a font, three fonts a document, for the
same Marianne files and, from one request to the next, mostly the same glyphs. A subset
depends only on the font file, its face index, the glyphs, the hinting option and whether
some glyphs are missing (weasyprint 70's Font.subset), and its compressed stream only on its
bytes and dictionary, so both are kept under those (bounded) and the PDF is the same, byte
for byte. A font file is recognised by its bytes (checked, not only hashed).
"""

import re
import threading

import pydyf
import weasyprint.pdf
import weasyprint.pdf.fonts
from weasyprint.pdf.fonts import Font
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

_SOUS_ENSEMBLES_MAX = 500

_sous_ensemble_weasyprint = Font.subset
_polices_weasyprint = weasyprint.pdf.build_fonts_dictionary


class _Gardes(threading.local):
    """A thread's kept subsets and compressed font streams (None: WeasyPrint's own)."""

    def __init__(self):
        self.fichiers: dict[tuple, bytes] | None = {}  # (hash, size) → the file's bytes
        self.sous_ensembles: dict[tuple, bytes] | None = {}
        self.flux: dict[tuple, bytes] | None = {}
        self.pretraitees: dict[tuple, object] = {}  # (file, face index) → see _face_pretraitee


gardes = _Gardes()


def _sous_ensemble(self, to_unicode, hinting):
    """WeasyPrint's Font.subset, its result kept for the same file and glyphs."""
    sous_ensembles = gardes.sous_ensembles
    if sous_ensembles is None or not to_unicode:
        return _sous_ensemble_weasyprint(self, to_unicode, hinting)
    contenu = self.file_content
    fichier = (hash(contenu), len(contenu))
    connu = gardes.fichiers.setdefault(fichier, contenu)
    if connu != contenu:  # another file of the same hash: not kept
        return _sous_ensemble_weasyprint(self, to_unicode, hinting)
    cle = (fichier, self.index, tuple(sorted(to_unicode)), hinting, bool(self.missing))
    garde = sous_ensembles.get(cle)
    if garde is None:
        source = self.hb_face
        self.hb_face = _face_pretraitee(fichier, self.index, source)
        try:
            _sous_ensemble_weasyprint(self, to_unicode, hinting)
        finally:
            self.hb_face = source
        if len(sous_ensembles) >= _SOUS_ENSEMBLES_MAX:
            sous_ensembles.clear()
            gardes.flux.clear()
        garde = sous_ensembles[cle] = self.file_content
    self.file_content = garde
    return None


ffi.cdef("hb_face_t *hb_subset_preprocess (hb_face_t *source);")
# HarfBuzz-subset 6.0 or later; without it, WeasyPrint's subsetting of the face as it is.
_pretraiter = getattr(harfbuzz_subset, "hb_subset_preprocess", None)


def _face_pretraitee(fichier: tuple, index: int, source):
    """The font's face as HarfBuzz prepares it for subsetting it again and again (its tables'
    accelerators made once), kept per file: its subsets are the very ones, in less time
    (0.84 -> 0.59 ms a subset of the attestation's fonts, median of 88)."""
    if _pretraiter is None:
        return source
    cle = (fichier, index)
    if (face := gardes.pretraitees.get(cle)) is None:
        face = _pretraiter(source)
        face = gardes.pretraitees[cle] = ffi.gc(face, harfbuzz.hb_face_destroy)
    return face


class _FluxDePolice(pydyf.Stream):
    """A font file's stream, compressed once for the same bytes and dictionary."""

    @property
    def data(self):
        flux = gardes.flux
        if flux is None:
            return super().data
        cle = (self.stream[0], tuple(self.extra.items()), self.compress)
        if (donnees := flux.get(cle)) is None:
            donnees = flux[cle] = super().data
        return donnees


def _polices(pdf, fonts, compress, subset, options):
    """WeasyPrint's build_fonts_dictionary, its kept subsets' streams compressed once."""
    avant = len(pdf.objects)
    references = _polices_weasyprint(pdf, fonts, compress, subset, options)
    if gardes.sous_ensembles and gardes.flux is not None:
        kept = {id(contenu) for contenu in gardes.sous_ensembles.values()}
        for objet in pdf.objects[avant:]:
            if (
                type(objet) is pydyf.Stream
                and len(objet.stream) == 1
                and id(objet.stream[0]) in kept
            ):
                objet.__class__ = _FluxDePolice
    return references


class _FfiSansTailles:
    """WeasyPrint's cffi instance for its subsetting, its arrays typed without their length.

    Font.subset asks cffi for `hb_codepoint_t[N]`, N the number of glyphs, then the last
    glyph's id: a C type cffi parses with pycparser (~2 ms) for each length it has not seen,
    which another request's glyphs often are. `hb_codepoint_t[]` with the same values is the
    same array, its type parsed once."""

    _TABLEAU = re.compile(r"(\w+)\[\d+\]")

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, nom):
        return getattr(self._ffi, nom)

    def new(self, cdecl, init=None):
        if init is not None and (tableau := self._TABLEAU.fullmatch(cdecl)):
            cdecl = tableau[1] + "[]"
        return self._ffi.new(cdecl, init)


Font.subset = _sous_ensemble
weasyprint.pdf.fonts.ffi = _FfiSansTailles(weasyprint.pdf.fonts.ffi)
weasyprint.pdf.build_fonts_dictionary = _polices
