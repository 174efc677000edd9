"""Identifiers of a driving school: SIRET (python-stdnum) and numéro d'agrément."""

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret

AGREMENT = re.compile(r"^E(\d{2})(\d{3}|0(?:2A|2B))(\d{4})(\d)$")


def normaliser(valeur: str) -> str:
    return re.sub(r"[\s.\-]", "", valeur or "").upper()


def valider_siret(valeur: str) -> None:
    """python-stdnum's check: Luhn keys, and La Poste's establishments' own rule."""
    try:
        siret.validate(normaliser(valeur))
    except (InvalidFormat, InvalidLength) as exc:
        raise ValidationError("Le SIRET compte 14 chiffres.", code="format") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide (clé de contrôle).", code="cle"
        ) from exc


def valider_agrement(valeur: str) -> None:
    """Numéro d'agrément préfectoral: E, year (2), département (3), order (4), key (1).

    Example: E 24 069 0012 0 for a Rhône school approved in 2024.
    """
    if not AGREMENT.match(normaliser(valeur)):
        raise ValidationError(
            "Le numéro d'agrément a la forme E AA DDD NNNN C (par exemple E 24 069 0012 0).",
            code="format",
        )
