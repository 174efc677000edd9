"""PDFs the portal produces for a request, rendered from HTML templates by WeasyPrint.

`rendre_pdf` is the one way to turn a template into a PDF (the DSFR's Marianne font is
embedded from the static files); `recepisse_depot` is the receipt of a submitted category B
inscription. Tasks call these and store the result as a `DocumentProduit`.

Images (the QR code, the candidate's photo and signature) reach WeasyPrint from memory, as
`image:<name>` URLs served by `_Images`, not as data URIs: WeasyPrint's pure-Python HTML
parser reads a data URI character by character and urllib decodes it again, at every
render, which cost more than the images themselves (bench/pdf.py).

What is the same for every document is done once per thread, not at every render
(bench/pdf.py measures it): loading the fonts (a WeasyPrint `FontConfiguration`, which reads
and decodes the Marianne files) and parsing the stylesheets (base.css and the document's
own .css beside its template, as `weasyprint.CSS`, and the user-agent stylesheet
navigateur.css that replaces WeasyPrint's), computing the styles of their elements (_Styles)
and drawing the text lines they all share (the letterhead, the labels, the paragraphs:
_dessiner_texte writes each again as WeasyPrint drew it), and subsetting and compressing the
fonts for the same glyphs (demandes.pdf_polices). WeasyPrint's objects are not shared between
threads (gunicorn runs several), hence one set per thread.

The cyclic garbage collector is paused while WeasyPrint renders (`_sans_ramasse_miettes`):
a render allocates hundreds of thousands of short-lived objects, which set off collections
that walk every object of the process again and again (about a tenth of a render's CPU,
bench/pdf.py); the render's cycles are collected once it is done.
"""

import contextlib
import copy
import gc
import hashlib
import io
import struct
import threading
import types
import zlib
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
import pydyf
import weasyprint.css
import weasyprint.css.computed_values
import weasyprint.css.units
import weasyprint.draw
import weasyprint.formatting_structure.build
import weasyprint.layout.inline
import weasyprint.layout.preferred
import weasyprint.text.line_break
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from weasyprint import CSS, DEFAULT_OPTIONS, HTML
from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes
from weasyprint.images import RasterImage
from weasyprint.layout.page import PageType
from weasyprint.matrix import Matrix
from weasyprint.text.ffi import ffi, gobject
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from demandes import pdf_mise_en_page, pdf_polices, pdf_qr, verification  # noqa: F401 (patches)
from demandes.models import Demande, DocumentEmis
from demandes.pays import nom_pays

# The releases whose private functions this module, pdf_mise_en_page, pdf_polices and pdf_qr
# replace or call (the lock file pins them): tests/demandes/test_pdf_versions.py fails on any
# other, to compare those functions with the new release's before updating these.
VERSIONS_TRANSCRITES = {"weasyprint": "70.0", "pydyf": "0.13.0", "segno": "1.6.6"}


def _dossier_polices() -> str:
    chemin = finders.find("dsfr/dist/fonts/Marianne-Regular.woff2")
    return Path(chemin).parent.as_uri() + "/" if chemin else ""


def bloc_verification(emis: DocumentEmis) -> dict:
    """The code and QR code printed on a document, and the page they lead to."""
    code = emis.code
    url = settings.SITE_URL + reverse("verifier_code", args=[code])
    return {
        "code": verification.lisible(code),
        "url": url,
        "page": settings.SITE_URL + reverse("verifier"),
        # Quartile error correction: the code still scans from a creased printout. A fixed
        # mask: any of the eight is valid and read by every scanner, choosing the best one
        # (segno scores all eight) cost more than the rest of the code. segno's matrix, made
        # from a template kept per version (demandes.pdf_qr).
        "qr": _png_qr(*pdf_qr.modules(url, "q", 0)),
    }


# The QR code's dark modules (#161616) and light ones, as 8-bit grey levels.
_GRIS = bytes.maketrans(b"\x00\x01", b"\xff\x16")


def _png_qr(cote: int, modules: bytes) -> bytes:
    """A PNG of one grey pixel a module (`modules` row by row, 1 dark), enlarged without
    smoothing (`image-rendering: crisp-edges`): WeasyPrint draws it faster than a bigger PNG
    or an SVG, and embeds a grey PNG as it is where it converts and encodes again a palette
    one (segno's)."""
    sortie = io.BytesIO()
    Image.frombytes("L", (cote, cote), modules.translate(_GRIS)).save(sortie, "PNG")
    return sortie.getvalue()


class _PNG(RasterImage):
    """A PNG embedded as its own compressed rows. WeasyPrint decodes every PNG and encodes
    it again at each render, only to take the compressed rows (IDAT) out of the new file:
    for an 8-bit, non-interlaced, grey or RGB PNG with no transparency (the QR code, the
    booth's signature), the rows of the file we have are already what the PDF stores
    (FlateDecode with the PNG predictors), so they go in as they are."""

    def __init__(self, url: str, contenu: bytes, lignes: bytes):
        super().__init__(
            Image.open(io.BytesIO(contenu)),
            # WeasyPrint's own id for the URL (weasyprint.images.get_image_from_uri).
            hashlib.md5(url.encode(), usedforsecurity=False).hexdigest(),
            contenu,
            options=DEFAULT_OPTIONS,
        )
        self._lignes = lignes

    def _get_png_data(self, pillow_image):
        return self._lignes


def _lignes_png(contenu: bytes) -> bytes | None:
    """The compressed rows of a PNG that _PNG can embed as they are, None for any other."""
    if contenu[:8] != b"\x89PNG\r\n\x1a\n" or contenu[12:16] != b"IHDR":
        return None
    profondeur, couleurs, _, _, entrelace = contenu[24:29]
    if profondeur != 8 or couleurs not in (0, 2) or entrelace:
        return None
    lignes, position = [], 8
    while position + 8 <= len(contenu):
        (longueur,) = struct.unpack(">I", contenu[position : position + 4])
        nature = contenu[position + 4 : position + 8]
        if nature == b"tRNS":  # a transparent colour: WeasyPrint makes it an alpha mask
            return None
        if nature == b"IDAT":
            lignes.append(contenu[position + 8 : position + 8 + longueur])
        position += 12 + longueur
    return b"".join(lignes) or None


def _images_pretes(images: dict[str, bytes]) -> dict:
    """WeasyPrint's image cache for one render (its `cache` option, by URL), holding the
    PNGs that go in as they are; the others WeasyPrint loads through _Images."""
    pretes = {}
    for nom, contenu in images.items():
        if contenu and (lignes := _lignes_png(contenu)):
            url = f"image:{nom}"
            pretes[url] = _PNG(url, contenu, lignes)
    return pretes


class _Images(URLFetcher):
    """The one render's images, served to WeasyPrint for `image:<name>`; nothing else is
    fetched (the stylesheets and fonts are loaded beforehand, see _Moteur)."""

    def __init__(self, images: dict[str, bytes]):
        # No urllib opener: URLFetcher's would be built at every render for nothing.
        self._images = images
        self._fail_on_errors = False

    def fetch(self, url, headers=None):
        return URLFetcherResponse(url, self._images[url.removeprefix("image:")])


class _HTML(HTML):
    """A template's HTML with the portal's user-agent stylesheet (navigateur.css) in place
    of WeasyPrint's, whose rules for every HTML element cost a tenth of a render.

    The PDF templates are written as well-formed XML (void elements closed, tables with
    their tbody), so that the C parser of the standard library reads them in a few
    hundredths of a millisecond where tinyhtml5, in pure Python, takes about 2 ms (a
    twentieth of a render): both give the same tree, hence the same PDF, byte for byte
    (tests/demandes/test_pdf_xml.py). What is not well-formed (a control character in
    a name, say) goes through tinyhtml5 as before. The text comes from our templates,
    Django escaping every value, so the XML cannot declare entities of its own."""

    def __init__(self, navigateur: CSS, string: str, base_url: str, url_fetcher: URLFetcher):
        try:
            racine = ElementTree.fromstring(string)  # noqa: S314 (our template, values escaped)
        except ElementTree.ParseError:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
        else:
            # What HTML.__init__ sets once it has parsed (weasyprint/__init__.py).
            self.base_url = base_url
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                racine, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element
        self._navigateur = navigateur

    def _ua_stylesheets(self, forms=False):
        return [self._navigateur]


ffi.cdef("gpointer g_object_ref (gpointer object);")


class _Polices(FontConfiguration):
    """A thread's fonts, with the text lines drawn by its renders (see _dessiner_texte)."""

    def __init__(self):
        super().__init__()
        self.textes_dessines: dict[tuple, tuple] = {}
        self.styles_partages: dict[tuple, tuple] = {}  # see _Styles
        self.lignes_coupees: dict[tuple, tuple] = {}  # see _couper_ligne
        self._pango: dict[int, object] = {}

    def garder(self, pango_font):
        """The Pango font of a drawn line, referenced as long as these fonts live: a
        replayed line adds it to its document as the drawing did."""
        adresse = int(ffi.cast("uintptr_t", pango_font))
        if adresse not in self._pango:
            reference = ffi.gc(gobject.g_object_ref(pango_font), gobject.g_object_unref)
            self._pango[adresse] = (reference, ffi.cast("PangoFont *", reference))
        return self._pango[adresse][1]


# Lines drawn again and again: the letterhead, the labels, the verso's paragraphs…
_TEXTES_DESSINES_MAX = 2000
_dessiner_texte_weasyprint = weasyprint.draw.draw_text


class _Enregistreur:
    """A page's stream that also writes down what a text line's drawing does to it."""

    def __init__(self, stream, textbox):
        self._stream, self._textbox = stream, textbox
        self.operations: list[tuple] = []
        self.polices: dict[int, tuple] = {}  # id → (font, its real to_unicode, widths, missing)
        self.inconnue = False
        # The rectangles draw_first_line fills for each run of glyphs, read from the stream
        # once here rather than through __getattr__ at every run.
        self.ink_rect, self.logical_rect = stream.ink_rect, stream.logical_rect

    def __getattr__(self, nom):
        self.inconnue = True
        return getattr(self._stream, nom)

    def set_color(self, color, stroke=False):
        if stroke:
            self.inconnue = True
        self.operations.append(("set_color",))
        self._stream.set_color(color, stroke)

    def begin_text(self):
        self.operations.append(("begin_text",))
        self._stream.begin_text()

    def end_text(self):
        self.operations.append(("end_text",))
        self._stream.end_text()

    def set_text_matrix(self, *valeurs):
        self.operations.append(("set_text_matrix",))
        self._stream.set_text_matrix(*valeurs)

    def add_font(self, pango_font):
        font, taille = self._stream.add_font(pango_font)
        if id(font) not in self.polices:
            # The line's own glyph maps, merged into the document's after (first one wins).
            self.polices[id(font)] = (font, font.to_unicode, font.widths, len(font.missing))
            font.to_unicode, font.widths = {}, {}
        garde = self._textbox.style.font_config.garder(pango_font)
        self.operations.append(("add_font", garde, id(font)))
        return font, taille

    def set_font_size(self, police, taille):
        self.operations.append(("set_font_size", police, taille))
        self._stream.set_font_size(police, taille)

    def show_text(self, texte):
        self.operations.append(("show_text", texte))
        self._stream.show_text(texte)

    def set_text_rise(self, hauteur):
        self.operations.append(("set_text_rise", hauteur))
        self._stream.set_text_rise(hauteur)

    def rendre_les_polices(self) -> dict[int, tuple]:
        """Give each font its document's maps back, with the line's added; the line's maps."""
        cartes = {}
        for cle, (font, to_unicode, widths, manquants) in self.polices.items():
            cartes[cle] = (tuple(font.to_unicode.items()), tuple(font.widths.items()))
            if len(font.missing) != manquants or font.png or font.svg or font.colr:
                self.inconnue = True
            for glyphe, texte in font.to_unicode.items():
                to_unicode.setdefault(glyphe, texte)
            for glyphe, largeur in font.widths.items():
                widths.setdefault(glyphe, largeur)
            font.to_unicode, font.widths = to_unicode, widths
        return cartes


def _cle_du_texte(textbox, text_overflow) -> tuple:
    """What a text line's drawing depends on, beside its place and colour: its text and
    every property Layout.setup/set_text and draw_first_line read (weasyprint 70)."""
    style, layout = textbox.style, textbox.pango_layout
    return (
        layout.text,
        textbox.text,
        layout.justification_spacing,
        text_overflow,
        _cle_de_police(style, include_size=True),
        style["font_size"],
        style["direction"],
        style["font_kerning"],
        style["word_spacing"],
        style["letter_spacing"],
        style["overflow_wrap"],
        style["tab_size"],
    )


def _dessiner_texte(stream, textbox, offset_x, text_overflow="clip", block_ellipsis="none"):
    """WeasyPrint's draw_text, a line drawn once per thread and then written again as it was.

    Drawing a line of text is most of a page's painting: WeasyPrint has Pango shape its text
    again (reactivate), then walks its glyphs in Python to write their ids, advances and
    Unicode mappings, for the same letterhead, labels and paragraphs at every render. The
    operations a line made on the page's stream (font, size, glyph strings) depend on its
    text and font properties only (_cle_du_texte), so they are kept and replayed, at the
    line's own place and colour, with its glyphs' widths and Unicode mappings added to the
    document's fonts as the drawing would (first mapping wins). Not kept: lines with
    decorations or an ellipsis, missing glyphs, emoji fonts, anything else done to the stream.
    """
    style = textbox.style
    textes = getattr(style.font_config, "textes_dessines", None)
    if (
        textes is None
        or block_ellipsis != "none"
        or text_overflow == "ellipsis"
        or style["text_decoration_line"] != "none"
        or style["visibility"] != "visible"
        or not style["font_size"]
    ):
        if block_ellipsis != "none" or text_overflow == "ellipsis":
            # WeasyPrint writes the ellipsis into the line's layout, which may be a kept one.
            textbox.pango_layout = copy.copy(textbox.pango_layout)
        return _dessiner_texte_weasyprint(stream, textbox, offset_x, text_overflow, block_ellipsis)
    cle = _cle_du_texte(textbox, text_overflow)
    dessin = textes.get(cle)
    if dessin is None:
        enregistreur = _Enregistreur(stream, textbox)
        try:
            _dessiner_texte_weasyprint(
                enregistreur, textbox, offset_x, text_overflow, block_ellipsis
            )
        finally:
            cartes = enregistreur.rendre_les_polices()
        if not enregistreur.inconnue:
            if len(textes) >= _TEXTES_DESSINES_MAX:
                textes.clear()
            textes[cle] = (tuple(enregistreur.operations), cartes)
        return
    operations, cartes = dessin
    x, y = textbox.position_x, textbox.position_y + textbox.baseline
    for operation in operations:
        nom = operation[0]
        if nom == "show_text":
            stream.show_text(operation[1])
        elif nom == "set_font_size":
            stream.set_font_size(operation[1], operation[2])
        elif nom == "add_font":
            font, _ = stream.add_font(operation[1])
            to_unicode, widths = cartes[operation[2]]
            for glyphe, texte in to_unicode:
                font.to_unicode.setdefault(glyphe, texte)
            for glyphe, largeur in widths:
                font.widths.setdefault(glyphe, largeur)
        elif nom == "set_text_matrix":
            stream.set_text_matrix(*Matrix(d=-1, e=x, f=y).values)
        elif nom == "set_color":
            stream.set_color(style["color"])
        elif nom == "begin_text":
            stream.begin_text()
        elif nom == "end_text":
            stream.end_text()
        else:
            stream.set_text_rise(operation[1])


weasyprint.draw.draw_text = _dessiner_texte


# Computed styles kept from one render to the next: the same templates give the same elements.
_STYLES_PARTAGES_MAX = 2000


def _geler(cascaded: dict) -> dict:
    """A page's cascaded values, hashable: the @page rules' values and weights hold lists
    (a footer's content, a selector's specificity), here tuples marked as lists."""

    def geler(valeur):
        if isinstance(valeur, list):
            return ("[]", *map(geler, valeur))
        if isinstance(valeur, tuple):
            return tuple(map(geler, valeur))
        return valeur

    return {nom: geler(valeur) for nom, valeur in cascaded.items()}


class _Styles(weasyprint.css.StyleFor):
    """WeasyPrint's computed styles, an element's shared by the thread's renders.

    An element's computed style depends only on its parent's and on its cascaded declarations
    (weasyprint 70's ComputedStyle reads nothing else of the element), and WeasyPrint computes
    its values lazily, property by property, at every render: the same values again for the
    same letterhead, tables and lists (3,700 of them for the attestation, 740 left). So a style
    is kept under (its parent's kept style, its cascaded values) and the next render's element
    with the same gets that very object, its values already computed, as WeasyPrint already
    shares one between equal elements of a document. Pages and margin boxes are kept the same
    way, apart from the elements (WeasyPrint drops their 'pages' counter and adds 'page', the
    same change at every render): the footer's text and its line breaks with them, a new entry
    for a footer that holds a request's number (the récépissé's), bounded. Not kept: the styles
    of an element with an anchor (collected when its style is made), and any whose parent is
    not kept itself. (The table wrapper, which moves some of a table's values to itself, does
    so on a copy of the table's style.)"""

    def set_computed_styles(
        self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None
    ):
        partages = getattr(self.font_config, "styles_partages", None)
        calcules = self._computed_styles
        parent_style = None if parent is None else calcules.get((parent, None))
        cle = None
        # An element's or a page's whose parent, if any, is kept.
        page = isinstance(element, PageType)
        if (
            partages is not None
            and (page or isinstance(element, ElementTree.Element))
            and (parent is None or getattr(parent_style, "_partage", False))
        ):
            cascaded = self._cascaded_styles.get((element, pseudo_type), {})
            valeurs = _geler(cascaded) if page else cascaded
            try:
                cle = (id(parent_style), page, pseudo_type, base_url, frozenset(valeurs.items()))
                garde = partages.get(cle)
            except TypeError:  # a value that cannot be hashed: this one is not kept
                cle = garde = None
            if garde is not None:
                calcules[element, pseudo_type] = garde[0]
                return
        super().set_computed_styles(
            element, parent, root, pseudo_type, base_url=base_url, target_collector=target_collector
        )
        style = calcules[element, pseudo_type]
        if cle is not None and not style["anchor"]:
            if len(partages) >= _STYLES_PARTAGES_MAX:
                partages.clear()
            style._partage = True
            # The parent kept with it: its id, in the key, is not given to another object.
            partages[cle] = (style, parent_style)


weasyprint.css.StyleFor = _Styles

_envelopper_weasyprint = weasyprint.formatting_structure.build.wrap_table


def _envelopper(box, children):
    """WeasyPrint's wrap_table, the table's and its wrapper's styles kept for a kept table.

    WeasyPrint gives the table and the anonymous box wrapping it each a copy of the table's
    style and of its anonymous style, moving the wrapper's properties from one to the other
    (the same change at every render), and the copies compute again, lazily, the sixty-odd
    values layout reads (the attestation's ~180 a render). Both copies depend only on the
    table element's style: for a kept one (_Styles) the first render's copies are kept on it
    and given to the next renders' table and wrapper, their values already computed."""
    wrapper = _envelopper_weasyprint(box, children)
    if not _style_garde(box.style):
        return wrapper
    (table,) = (enfant for enfant in wrapper.children if isinstance(enfant, boxes.TableBox))
    gardes = box.style.__dict__.get("_styles_du_tableau")
    if gardes is None:
        box.style.__dict__["_styles_du_tableau"] = (table.style, wrapper.style)
    else:
        table.style, wrapper.style = gardes
    return wrapper


weasyprint.formatting_structure.build.wrap_table = _envelopper


def _style_garde(style) -> bool:
    """Whether `style` is a kept one (_Styles) or the anonymous style of one, which is the
    same object at every render (a cached property of the kept style)."""
    while isinstance(style, AnonymousStyle):
        parent = style.parent_style
        if parent.__dict__.get("anonymous_style") is not style:
            return False
        style = parent
    return getattr(style, "_partage", False)


_cle_de_police_weasyprint = weasyprint.text.line_break._font_style_cache_key


def _cle_de_police(style, include_size=False) -> str:
    """WeasyPrint's _font_style_cache_key, made once per kept style rather than per call.

    WeasyPrint builds it, the str() of fourteen of the style's values (and of its size and
    line height), for every line's strut and every ex or ch unit, and _cle_du_texte for every
    drawn line: the same string each time for the same style, whose values, once computed, do
    not change (a style WeasyPrint changes is a copy). A kept style (_Styles) keeps it, from
    one render to the next; any other style has it built as before."""
    if not _style_garde(style):
        return _cle_de_police_weasyprint(style, include_size)
    cles = style.__dict__.setdefault("_cles_de_police", {})
    if (cle := cles.get(include_size)) is None:
        cle = cles[include_size] = _cle_de_police_weasyprint(style, include_size)
    return cle


weasyprint.text.line_break._font_style_cache_key = _cle_de_police

_strut_weasyprint = weasyprint.text.line_break.strut


def _strut(style) -> tuple:
    """WeasyPrint's strut (a line's height and baseline for a style), kept on a kept style.

    WeasyPrint keeps it in the font configuration under _font_style_cache_key, but runs two
    imports and builds that key before looking it up, for every line box and inline box; a
    kept style (_Styles) keeps the very answer on itself."""
    if not _style_garde(style):
        return _strut_weasyprint(style)
    if (garde := style.__dict__.get("_strut")) is None:
        garde = style.__dict__["_strut"] = _strut_weasyprint(style)
    return garde


for _module in (weasyprint.text.line_break, weasyprint.layout.inline, weasyprint.css.units):
    _module.strut = _strut
weasyprint.css.computed_values.strut = _strut


_LIGNES_COUPEES_MAX = 4000
_couper_ligne_weasyprint = weasyprint.layout.inline.split_first_line


def _couper_ligne(
    text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False
):
    """WeasyPrint's split_first_line, a line's break found once per thread for a kept style.

    Finding where a line breaks is Pango laying out the text (and again with one more word,
    or hyphenated), at every render and again for each min- and max-content width of the
    tables, floats and list markers: the same labels, letterhead and paragraphs each time.
    For the same text, style and available width the answer is the same (the style's
    values are the very ones, _Styles), so it is kept: the line's length, where the next one
    resumes, its size and baseline, and its layout, which WeasyPrint has already released
    from Pango (deactivate) and only reads after, or lays out again to draw it."""
    lignes = getattr(style.font_config, "lignes_coupees", None)
    if lignes is None or not _style_garde(style):
        return _couper_ligne_weasyprint(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
    cle = (id(style), text, max_width, justification_spacing, is_line_start, minimum)
    garde = lignes.get(cle)
    if garde is None:
        coupe = _couper_ligne_weasyprint(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        if len(lignes) >= _LIGNES_COUPEES_MAX:
            lignes.clear()
        # The style kept with it: its id, in the key, is not given to another object.
        garde = lignes[cle] = (coupe, style)
    return garde[0]


weasyprint.layout.inline.split_first_line = _couper_ligne
weasyprint.layout.preferred.split_first_line = _couper_ligne


# pydyf compresses every stream at zlib's level 9: for the page streams and the object stream,
# a new text at each render, twice the CPU of level 6 (zlib's default) for under 1 % fewer bytes
# (the attestation: ~0.5 ms, 36,162 -> 36,330 bytes). The kept font streams are compressed once.
_NIVEAU_ZLIB = 6
pydyf.zlib = types.SimpleNamespace(
    compress=zlib.compress,
    compressobj=lambda level=_NIVEAU_ZLIB, *args, **kwargs: zlib.compressobj(
        _NIVEAU_ZLIB, *args, **kwargs
    ),
)


_en_octets_pydyf = pydyf._to_bytes


def _en_octets(item) -> bytes:
    """pydyf's _to_bytes, which writes every value of the PDF (names, numbers, dictionaries,
    arrays, the page streams' operands), its most frequent cases first: a value of exactly
    bytes, str or int, which pydyf reached after three isinstance checks, written as it writes
    them (a str as ASCII, an int as its decimal digits); any other, pydyf's own."""
    genre = type(item)
    if genre is bytes:
        return item
    if genre is str:
        return item.encode("ascii")
    if genre is int:
        return b"%d" % item
    return _en_octets_pydyf(item)


pydyf._to_bytes = _en_octets


class _Moteur:
    """One thread's fonts and parsed stylesheets, kept from one render to the next."""

    def __init__(self):
        self.polices = _Polices()
        self._feuilles: dict[str, CSS] = {}
        self.navigateur = self._feuille("demandes/pdf/navigateur.css")

    def feuilles(self, template: str) -> list[CSS]:
        return [self._feuille("demandes/pdf/base.css"), self._feuille(template[:-5] + ".css")]

    def _feuille(self, nom: str) -> CSS:
        if nom not in self._feuilles:
            texte = render_to_string(nom, {"polices": _dossier_polices()})
            self._feuilles[nom] = CSS(string=texte, font_config=self.polices)
        return self._feuilles[nom]


_local = threading.local()

# Renders in progress in this process: the collector is paused from the first one's start to
# the last one's end (threads share it), and switched back on only if it was on.
_rendus = {"en_cours": 0, "reactiver": False}
_verrou_rendus = threading.Lock()


@contextlib.contextmanager
def _sans_ramasse_miettes():
    with _verrou_rendus:
        if _rendus["en_cours"] == 0:
            _rendus["reactiver"] = gc.isenabled()
            gc.disable()
        _rendus["en_cours"] += 1
    try:
        yield
    finally:
        with _verrou_rendus:
            _rendus["en_cours"] -= 1
            if _rendus["en_cours"] == 0 and _rendus["reactiver"]:
                gc.enable()


def _moteur() -> _Moteur:
    if not hasattr(_local, "moteur"):
        _local.moteur = _Moteur()
    return _local.moteur


def rendre_pdf(template: str, contexte: dict, emis: DocumentEmis | None = None) -> bytes:
    """The PDF of a template; with `emis`, it carries that edition's verification code.

    `contexte["images"]` (name → bytes, empty for none) are shown by `<img src="image:name">`;
    the QR code is `image:qr`."""
    verification = bloc_verification(emis) if emis else None
    images = dict(contexte.get("images", {}))
    if verification:
        images["qr"] = verification["qr"]
    html = render_to_string(
        template,
        {
            "service": settings.PERMIS_SERVICE_NAME,
            "site_url": settings.SITE_URL,
            "verification": verification,
            **contexte,
        },
    )
    moteur = _moteur()
    with _sans_ramasse_miettes():
        return _HTML(
            moteur.navigateur,
            string=html,
            base_url=str(settings.BASE_DIR),
            url_fetcher=_Images(images),
        ).write_pdf(
            stylesheets=moteur.feuilles(template),
            font_config=moteur.polices,
            cache=_images_pretes(images),
            # Tagged (RGAA 13.3): headings, tables, lists and images with their text
            # alternative for screen readers, the language and the title shown. About a
            # twentieth of a render (bench/pdf.py).
            pdf_variant="pdf/ua-1",
        )


def recepisse_depot(demande: Demande, emis: DocumentEmis | None = None) -> bytes:
    """The récépissé de dépôt: lets the candidate start driving lessons on public roads."""
    return rendre_pdf(
        "demandes/pdf/recepisse_depot.html",
        {
            "demande": demande,
            "pays_naissance": nom_pays(demande.pays_naissance),
            "edite_le": emis.emis_le if emis else timezone.localtime(),
        },
        emis,
    )
