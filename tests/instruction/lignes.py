"""The queue's rows column by column, whether a compiled page's named rows or the ORM's
requests."""

from instruction import queries


def colonnes(ligne) -> tuple:
    """The values a row of the queue shows (queries.LIGNE_DE_FILE), of either kind of row."""
    if hasattr(ligne, "_fields"):
        return tuple(getattr(ligne, nom) for nom in queries.LIGNE_DE_FILE)
    prise = getattr(ligne, "prise_en_charge", None)
    agent = prise.agent if prise else None
    titulaire = [getattr(agent, nom, None) for nom in ("id", "first_name", "last_name", "username")]
    return (*(getattr(ligne, nom) for nom in queries.LIGNE_DE_FILE[:10]), *titulaire)
