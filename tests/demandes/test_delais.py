"""Every delay of the procedures is defined once, in demandes/delais.py, and read from there."""

import copy
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from demandes import delais
from demandes.models import Demande

RACINE = Path(settings.BASE_DIR)
DELAIS = {nom: d for nom, d in vars(delais).items() if isinstance(d, delais.Delai)}


def test_a_delay_is_a_duration_that_reads_as_french():
    assert delais.INSTANCE_POSTE.days == 15 and str(delais.INSTANCE_POSTE) == "15 jours"
    assert f"{delais.CONSERVATION_TITRE}" == "6 mois"
    assert str(copy.deepcopy(delais.BROUILLON)) == "6 mois"
    rendu = Template("{{ delais.CONSERVATION_TITRE }}").render(Context({"delais": delais}))
    assert rendu == "6 mois"


def test_no_delay_is_written_out_in_a_template_or_a_message():
    libelles = {str(d) for d in DELAIS.values()}
    motif = re.compile("|".join(re.escape(libelle) for libelle in libelles))
    fichiers = [*RACINE.glob("templates/**/*.html"), *RACINE.glob("templates/**/*.txt")]
    for app in ("demandes", "instruction", "simulateurs", "auto_ecoles", "accounts", "permis"):
        fichiers += [f for f in (RACINE / app).rglob("*.py") if "migrations" not in f.parts]
    fichiers.remove(RACINE / "demandes" / "delais.py")
    trouves = [
        f"{fichier.relative_to(RACINE)}: {m.group()}"
        for fichier in fichiers
        for m in motif.finditer(fichier.read_text())
    ]
    assert trouves == []


def test_no_delay_hides_in_a_number_of_days_outside_the_table():
    """A `VALIDITE_JOURS = 30` with « valable {{ jours }} jours » escapes the test above."""
    constante = re.compile(r"^\s*[A-Z_]*_(JOURS|MOIS)\s*=\s*\d", re.MULTILINE)
    phrase = re.compile(r"with\b[^%]*\b(jours|mois)=")  # a count of days typed into a sentence
    fichiers = [*RACINE.glob("templates/**/*.html"), *RACINE.glob("templates/**/*.txt")]
    for app in ("demandes", "instruction", "simulateurs", "auto_ecoles", "accounts", "permis"):
        fichiers += [f for f in (RACINE / app).rglob("*.py") if "migrations" not in f.parts]
    trouves = [
        f"{fichier.relative_to(RACINE)}: {m.group()}"
        for fichier in fichiers
        for motif in (constante, phrase)
        for m in motif.finditer(fichier.read_text())
    ]
    assert trouves == []


def test_no_method_is_named_after_a_delay():
    noms = [nom for nom in dir(Demande) if re.search(r"\d+_(jours|mois)", nom)]
    assert noms == []
