"""Rebuild demandes/data/ from Etalab's npm package @etalab/decoupage-administratif.

The package (licence ouverte) carries INSEE's code officiel géographique with La Poste's
postal codes. `npm pack` fetches it from the npm registry; `--paquet` reads a tarball or an
unpacked package already at hand. The output is two small sorted text files, so a yearly
update shows as a readable diff.
"""

import gzip
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demandes import geographie

PAQUET = "@etalab/decoupage-administratif"
VERSION = "6.0.0"  # the 2026 COG
TYPES = {
    "commune-actuelle": "A",
    "commune-deleguee": "D",
    "commune-associee": "S",
    "arrondissement-municipal": "M",
}


class Command(BaseCommand):
    help = "Reconstruit les communes et départements officiels depuis le paquet npm d'Etalab."
    requires_system_checks = []  # it rebuilds data the checks' imports read

    def add_arguments(self, parser):
        parser.add_argument(
            "--version-paquet", default=VERSION, help=f"version du paquet ({VERSION})"
        )
        parser.add_argument("--paquet", help="archive .tgz ou dossier du paquet déjà téléchargé")
        parser.add_argument("--sortie", default=str(geographie.DONNEES), help="dossier produit")

    def handle(self, *args, version_paquet, paquet, sortie, **options):
        version = version_paquet
        with tempfile.TemporaryDirectory() as dossier:
            source = Path(paquet) if paquet else self._npm_pack(version, Path(dossier))
            lire = _lecteur(source)
            communes = json.loads(lire("data/communes.json"))
            departements = json.loads(lire("data/departements.json"))
            regions = {r["code"]: r["nom"] for r in json.loads(lire("data/regions.json"))}
            origine = json.loads(lire("package.json")).get("version", version)
        sortie = Path(sortie)
        sortie.mkdir(parents=True, exist_ok=True)
        entete = f"# {PAQUET} {origine} (licence ouverte) — construire_geographie\n"
        lignes_dep = [
            "\t".join(
                (
                    d["code"],
                    d["nom"],
                    d["region"],
                    regions.get(d["region"], d["nom"]),
                    d["zone"],
                    # INSEE's TNCC, the article the name takes (« le Rhône », « l'Ain »).
                    str(d.get("typeLiaison", 0)),
                )
            )
            for d in sorted(departements, key=lambda d: d["code"])
        ]
        (sortie / geographie.FICHIER_DEPARTEMENTS).write_text(
            entete + "\n".join(lignes_dep) + "\n", encoding="utf-8"
        )
        lignes = []
        for c in sorted(communes, key=lambda c: (c["code"], TYPES.get(c["type"], "?"))):
            if c["type"] not in TYPES:
                continue
            lignes.append(
                "\t".join(
                    (
                        c["code"],
                        c["nom"],
                        c.get("departement", ""),
                        TYPES[c["type"]],
                        " ".join(sorted(c.get("codesPostaux", []))),
                        " ".join(sorted(c.get("anciensCodes", []))),
                        c.get("commune") or c.get("chefLieu") or "",
                    )
                )
            )
        texte = (entete + "\n".join(lignes) + "\n").encode()
        # mtime=0: the same data gives the same bytes, so git sees no change.
        with (
            (sortie / geographie.FICHIER_COMMUNES).open("wb") as fichier,
            gzip.GzipFile(fileobj=fichier, mode="wb", mtime=0, filename="") as gz,
        ):
            gz.write(texte)
        geographie.index.cache_clear()
        self.stdout.write(
            f"{len(lignes)} communes et {len(lignes_dep)} départements ({PAQUET} {origine})"
        )

    def _npm_pack(self, version: str, dossier: Path) -> Path:
        try:
            resultat = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                ["npm", "pack", f"{PAQUET}@{version}", "--pack-destination", str(dossier)],  # noqa: S607
                check=True,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            raise CommandError(f"npm pack a échoué : {exc}") from exc
        return dossier / resultat.stdout.strip().splitlines()[-1]


def _lecteur(source: Path):
    """Read one file of the package, from its tarball (package/...) or its folder."""
    if source.is_dir():
        return lambda nom: (source / nom).read_text(encoding="utf-8")
    archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - read member by member below

    def lire(nom: str) -> str:
        membre = archive.extractfile(f"package/{nom}")
        if membre is None:
            raise CommandError(f"{nom} manque dans {source}")
        return io.TextIOWrapper(membre, encoding="utf-8").read()

    return lire
