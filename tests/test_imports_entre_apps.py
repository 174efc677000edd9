"""Where the apps may reach: the portal's code never imports the back-office or a simulator.

`demandes/` is what a candidate files; the threads (`echanges/`) and the back-office
(`instruction/`) build on it, the
simulated outside services (`simulateurs/`) stand outside it. Every import statement is
read, those inside functions too, so no dependency hides from a reader or a tool.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

INTERDITS = {
    "demandes": {"instruction", "echanges", "simulateurs"},
    "instruction": {"simulateurs"},
    # The threads build on the requests; the back-office builds on the threads.
    "echanges": {"instruction", "simulateurs"},
}


def _imports(fichier: Path):
    for noeud in ast.walk(ast.parse(fichier.read_text(), str(fichier))):
        if isinstance(noeud, ast.Import):
            for alias in noeud.names:
                yield noeud.lineno, alias.name
        elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
            yield noeud.lineno, noeud.module


@pytest.mark.parametrize("app", sorted(INTERDITS))
def test_app_does_not_import_what_builds_on_it(app):
    dossier = Path(settings.BASE_DIR) / app
    fichiers = sorted(dossier.rglob("*.py"))
    assert fichiers
    fautes = [
        f"{fichier.relative_to(settings.BASE_DIR)}:{ligne} imports {module}"
        for fichier in fichiers
        for ligne, module in _imports(fichier)
        if module.split(".")[0] in INTERDITS[app]
    ]
    assert fautes == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    fichier = tmp_path / "module.py"
    fichier.write_text("def f():\n    from instruction.models import PriseEnCharge\n")
    assert list(_imports(fichier)) == [(2, "instruction.models")]
