"""The documents' QR codes: segno's matrices, built from a template kept per version.

segno, in pure Python, builds a code module by module at every call: it turns the message
into bits one generator at a time, walks every module to place them, then calls the mask's
function once a module; about a fortieth of a render, for a code new at every document. For
one version, error level and mask, all but the message's bits is the same from one code to
the next: the finder, alignment and timing patterns, the format and version information, the
mask over the data modules, and the module each bit of the message lands on. So a _Gabarit,
made once per (version, error, mask) with segno's own steps, holds the matrix of the code
whose message is all zeros and, for each module, the bit of the message it shows (segno's
placement run once on numbered bits); a code is that matrix with the modules of its 1 bits
flipped. Its message is segno's too: segments, version, error level raised where the version
holds it, data codewords and padding; only the Reed-Solomon blocks and their interleaving
(ISO/IEC 18004, 7.5 and 7.6) are computed here, on bytes. The same matrix as
`segno.make(contenu, error=…, mask=…, micro=False)`, module for module (tests).
"""

import functools
import operator

from segno import consts
from segno import encoder as qr


class _Gabarit:
    """What the codes of one version, error level and mask share (see the module's text)."""

    def __init__(self, version: int, erreur: int, masque: int):
        self.cote = cote = qr.calc_matrix_size(version)
        # The data modules (value 2, segno's "free"), numbered in the order segno fills them.
        numerotee = qr.make_matrix(cote, cote)
        qr.add_finder_patterns(numerotee, cote, cote)
        qr.add_alignment_patterns(numerotee, cote, cote)
        lignes = [list(ligne) for ligne in numerotee]
        self.bits = sum(ligne.count(2) for ligne in lignes)
        qr.add_codewords(lignes, range(3, 3 + self.bits), version)
        # Every module reads a bit of the message; a function module the one past its end (0).
        self.source = operator.itemgetter(
            *(valeur - 3 if valeur >= 3 else self.bits for ligne in lignes for valeur in ligne)
        )
        vide = qr.make_matrix(cote, cote)
        qr.add_finder_patterns(vide, cote, cote)
        qr.add_alignment_patterns(vide, cote, cote)
        qr.add_codewords(vide, bytes(self.bits), version)
        _, vide = qr.find_and_apply_best_mask(vide, cote, cote, masque)
        qr.add_format_info(vide, version, erreur, masque)
        qr.add_version_info(vide, version)
        self.modules_vides = int.from_bytes(b"".join(vide))
        self.blocs = consts.ECC[version][erreur]


@functools.lru_cache(maxsize=16)
def _gabarit(version: int, erreur: int, masque: int) -> _Gabarit:
    return _Gabarit(version, erreur, masque)


@functools.lru_cache(maxsize=32)
def _produits(longueur: int) -> tuple[int, ...]:
    """For each byte c, what c times the generator polynomial of `longueur` correction
    codewords (without its leading 1) adds to the remainder, as one integer."""
    log, exp, generateur = consts.GALIOS_LOG, consts.GALIOS_EXP, consts.GEN_POLY[longueur]
    return (0, *(int.from_bytes(bytes(exp[log[c] + g] for g in generateur)) for c in range(1, 256)))


def _controle(donnees: bytes, longueur: int) -> bytes:
    """The Reed-Solomon correction codewords of one block: the remainder of segno's
    synthetic division (make_blocks), a byte at a time."""
    produits, decalage, masque = _produits(longueur), 8 * (longueur - 1), (1 << 8 * longueur) - 1
    reste = 0
    for octet in donnees:
        reste = ((reste << 8) & masque) ^ produits[(reste >> decalage) ^ octet]
    return reste.to_bytes(longueur)


def _message(version: int, erreur: int, donnees: bytes) -> bytes:
    """The final message's codewords: the data blocks interleaved, then their correction
    blocks interleaved (segno's make_final_message, on bytes)."""
    blocs, controles, position = [], [], 0
    for info in consts.ECC[version][erreur]:
        longueur = info.num_total - info.num_data
        for _ in range(info.num_blocks):
            bloc = donnees[position : position + info.num_data]
            position += info.num_data
            blocs.append(bloc)
            controles.append(_controle(bloc, longueur))
    sortie = bytearray()
    for groupe in (blocs, controles):
        for rang in range(max(map(len, groupe))):
            sortie.extend(bloc[rang] for bloc in groupe if rang < len(bloc))
    return bytes(sortie)


_BITS = bytes.maketrans(b"\x00\x01", b"01")
_OCTETS = bytes.maketrans(b"01", b"\x00\x01")


def modules(contenu: str, erreur: str, masque: int) -> tuple[int, bytes]:
    """The side of `contenu`'s QR code and its modules row by row (1 dark, 0 light)."""
    segments = qr.prepare_data(contenu, None, None)
    niveau = qr.normalize_errorlevel(erreur)
    version = qr.find_version(segments, niveau, eci=False, micro=False)
    niveau = qr.boost_error_level(version, niveau, segments, eci=False)
    tampon = qr.Buffer()
    for segment in segments:
        qr.write_segment(tampon, segment, None, qr.version_range(version), eci=False)
    capacite = consts.SYMBOL_CAPACITY[version][niveau]
    qr.write_terminator(tampon, capacite, None, len(tampon))
    qr.write_padding_bits(tampon, version, len(tampon))
    qr.write_pad_codewords(tampon, version, capacite, len(tampon))
    bits = bytes(tampon.getbits())
    donnees = int(bits.translate(_BITS), 2).to_bytes(len(bits) // 8)
    gabarit = _gabarit(version, niveau, masque)
    message = _message(version, niveau, donnees)
    # The message's bits, the remainder bits (0) after them, and the 0 function modules read.
    suite = format(int.from_bytes(message), f"0{len(message) * 8}b").encode().translate(_OCTETS)
    suite += bytes(gabarit.bits - len(suite) + 1)
    lus = bytes(gabarit.source(suite))
    cote = gabarit.cote
    return cote, (gabarit.modules_vides ^ int.from_bytes(lus)).to_bytes(cote * cote)
