"""Identifiers of a driving school: SIRET (Luhn key) and numéro d'agrément."""

import re

from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN and use a digit-sum rule instead of Luhn.
SIREN_LA_POSTE = "356000000"
AGREMENT = re.compile(r"^E(\d{2})(\d{3}|0(?:2A|2B))(\d{4})(\d)$")


def normaliser(valeur: str) -> str:
    return re.sub(r"[\s.\-]", "", valeur or "").upper()


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(chiffres)):
        n = int(char)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def valider_siret(valeur: str) -> None:
    siret = normaliser(valeur)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError("Le SIRET compte 14 chiffres.", code="format")
    if siret.startswith(SIREN_LA_POSTE):
        valide = sum(int(c) for c in siret) % 5 == 0
    else:
        valide = luhn_valide(siret[:9]) and luhn_valide(siret)
    if not valide:
        raise ValidationError("Ce numéro SIRET n'est pas valide (clé de contrôle).", code="cle")


def valider_agrement(valeur: str) -> None:
    """Numéro d'agrément préfectoral: E, year (2), département (3), order (4), key (1).

    Example: E 24 069 0012 0 for a Rhône school approved in 2024.
    """
    if not AGREMENT.match(normaliser(valeur)):
        raise ValidationError(
            "Le numéro d'agrément a la forme E AA DDD NNNN C (par exemple E 24 069 0012 0).",
            code="format",
        )
