"""Reads docker-compose.yml and the Dockerfile as Docker would, to run their commands here.

Docker does not run on this machine: the production tests take the environment, commands and
build steps from these two files themselves, so a change there is what the tests run.
"""

import json
import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_VARIABLE = re.compile(
    r"\$(?:(?P<echappe>\$)|\{(?P<nom>\w+)(?:(?P<op>:?[-?])(?P<reste>[^}]*))?\}|(?P<simple>\w+))"
)


class VariableManquante(Exception):
    pass


def interpoler(texte: str, variables: dict[str, str]) -> str:
    """Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}."""

    def remplacer(m: re.Match) -> str:
        if m["echappe"]:
            return "$"
        nom = m["nom"] or m["simple"]
        valeur = variables.get(nom)
        op, reste = m["op"], m["reste"] or ""
        vide = valeur is None or (op is not None and op.startswith(":") and valeur == "")
        if op in {":-", "-"} and vide:
            return reste
        if op in {":?", "?"} and vide:
            raise VariableManquante(f"{nom}: {reste}")
        return valeur or ""

    return _VARIABLE.sub(remplacer, texte)


def fichier_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service(nom: str) -> dict:
    return fichier_compose()["services"][nom]


def environnement(nom: str, variables: dict[str, str]) -> dict[str, str]:
    """The environment compose gives the service, the shell's `variables` interpolated."""
    brut = service(nom).get("environment") or {}
    return {cle: interpoler(str(valeur), variables) for cle, valeur in brut.items()}


def commande(nom: str, variables: dict[str, str]) -> list[str] | None:
    """The service's command (None: the image's CMD), split as compose splits it."""
    brute = service(nom).get("command")
    if brute is None:
        return None
    if isinstance(brute, list):
        return [interpoler(str(mot), variables) for mot in brute]
    return shlex.split(interpoler(brute, variables))


def _instructions() -> list[tuple[str, str]]:
    texte = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lignes = [ligne.strip() for ligne in texte.splitlines()]
    return [
        tuple(ligne.split(None, 1))
        for ligne in lignes
        if ligne and not ligne.startswith("#") and " " in ligne
    ]


def image_env() -> dict[str, str]:
    """The ENV lines of the Dockerfile."""
    env: dict[str, str] = {}
    for instruction, argument in _instructions():
        if instruction == "ENV":
            env.update(mot.split("=", 1) for mot in shlex.split(argument))
    return env


def etape_de_construction(mot_cle: str) -> tuple[dict[str, str], list[str]]:
    """The Dockerfile RUN line holding `mot_cle`: its VAR=value prefix and its command."""
    for instruction, argument in _instructions():
        if instruction == "RUN" and mot_cle in argument:
            mots = shlex.split(argument)
            env = {}
            while mots and re.fullmatch(r"\w+=.*", mots[0]):
                cle, valeur = mots.pop(0).split("=", 1)
                env[cle] = valeur
            return env, mots
    raise LookupError(f"no RUN line with {mot_cle!r} in the Dockerfile")


def cmd_de_l_image() -> list[str]:
    for instruction, argument in reversed(_instructions()):
        if instruction == "CMD":
            return json.loads(argument)
    raise LookupError("no CMD in the Dockerfile")


def ignore_par_docker() -> list[str]:
    """The .dockerignore patterns (what `COPY . .` leaves out)."""
    lignes = (ROOT / ".dockerignore").read_text().splitlines()
    return [ligne.strip() for ligne in lignes if ligne.strip() and not ligne.startswith("#")]
