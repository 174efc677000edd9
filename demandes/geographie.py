"""French postal geography the portal needs: which département a postal code is in."""

import re

CODE_POSTAL = re.compile(r"^\d{5}$")


def departement_du_code_postal(code_postal: str) -> str:
    """Département code ('69', '2A', '974') of a French postal code, '' when not one."""
    if not CODE_POSTAL.match(code_postal or ""):
        return ""
    if code_postal.startswith("20"):
        # Corse: 200xx-201xx is Corse-du-Sud, 202xx-206xx Haute-Corse.
        return "2A" if int(code_postal[:3]) < 202 else "2B"
    if code_postal.startswith("97") or code_postal.startswith("98"):
        return code_postal[:3]
    if code_postal == "00000":
        return ""
    return code_postal[:2]
