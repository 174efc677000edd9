"""bench/pdf.py's "another request each time": each request a document never rendered before."""

import itertools
from datetime import date

from django.utils import timezone

from bench import pdf as banc
from demandes import numeros
from demandes.models import Demande


def test_each_other_request_shows_names_and_numbers_never_shown_before():
    demande = Demande(
        numero="B3KX-9QF2-7M4T",
        nom_naissance="MARTIN",
        prenoms="Camille",
        date_naissance=date(2006, 4, 12),
        deposee_le=timezone.now(),
    )
    vus = set()
    for autre in itertools.islice(banc._autres_demandes(demande), 3000):
        montres = {
            autre.nom_naissance,
            autre.prenoms,
            autre.commune_naissance,
            autre.commune,
            autre.adresse,
            autre.numero,
            autre.neph,
        }
        assert len(montres) == 7 and not montres & vus, montres & vus
        vus |= montres
        assert numeros.normaliser(autre.numero) == autre.numero  # a number the portal draws
    # Names with the capitals and accents French names bring, new glyphs at times.
    assert set("ÉÈËÇ") <= set("".join(vus))
