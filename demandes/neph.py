"""NEPH: the numéro d'enregistrement préfectoral harmonisé given at a first accepted inscription.

12 digits: year of registration (2), month (2), département (2), préfecture (2), order
number in the month (4), e.g. 260969010042 for the 42nd registration of September 2026
in the Rhône. It is kept for life, so it must never be given twice: the order number
comes from a counter row per (year, month, département), incremented by an upsert whose
row lock lasts until the acceptance commits. Two acceptances at once in a département
queue on that row; a rolled-back acceptance gives its number back.
"""

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

FORMAT = re.compile(r"^\d{12}$")
ORDRE_MAX = 9999
# The table of `demandes.models.CompteurNeph`, named here for the upsert below (the model
# imports this module, so it is not imported back).
TABLE_COMPTEUR = "demandes_compteurneph"


class NephEpuise(RuntimeError):
    """The 9,999 order numbers of the month are used up for this département."""


def codes_departement(departement: str) -> tuple[str, str]:
    """The département and préfecture codes (two digits each) of a département code.

    Metropolitan départements are their own code with préfecture 01; Corsica shares 20
    (Corse-du-Sud 01, Haute-Corse 02); overseas 97x and 98x keep their first two digits and
    take the third as préfecture, so no two départements share a prefix.
    """
    if re.fullmatch(r"\d{2}", departement) and departement not in {"00", "20"}:
        return departement, "01"
    if departement in {"2A", "2B"}:
        return "20", "01" if departement == "2A" else "02"
    if re.fullmatch(r"9[78]\d", departement):
        return departement[:2], f"0{departement[2]}"
    raise ValueError(f"not a French département code: {departement!r}")


def formater(le: date, departement: str, ordre: int) -> str:
    if not 1 <= ordre <= ORDRE_MAX:
        raise NephEpuise(f"no NEPH order number left in {le:%m/%Y} for {departement}")
    dep, prefecture = codes_departement(departement)
    return f"{le:%y%m}{dep}{prefecture}{ordre:04d}"


def _prochain_ordre(annee: int, mois: int, departement: str) -> int:
    table = connection.ops.quote_name(TABLE_COMPTEUR)
    with connection.cursor() as cursor:
        # One statement, atomic on PostgreSQL and SQLite: create the month's row at 1, or
        # bump it; the row stays locked by this transaction until it commits.
        cursor.execute(
            f"INSERT INTO {table} (annee, mois, departement, dernier) VALUES (%s, %s, %s, 1) "  # noqa: S608 (a constant table name)
            "ON CONFLICT (annee, mois, departement) "
            f"DO UPDATE SET dernier = {table}.dernier + 1 RETURNING dernier",
            [annee, mois, departement],
        )
        return cursor.fetchone()[0]


def attribuer(departement: str) -> str:
    """The next NEPH of this month for `departement`; call inside the acceptance's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("a NEPH is allocated inside the transaction that records it")
    codes_departement(departement)  # refuse a bad code before touching the counter
    le = timezone.localdate()
    return formater(le, departement, _prochain_ordre(le.year, le.month, departement))


def du_candidat(candidat_id: int, departement: str) -> str:
    """The candidate's NEPH, drawn at their first accepted inscription and kept for life."""
    candidat = get_user_model().objects.select_for_update().get(pk=candidat_id)
    if not candidat.neph:
        candidat.neph = attribuer(departement)
        candidat.save(update_fields=["neph"])
    return candidat.neph
