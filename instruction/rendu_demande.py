"""The key under which the instruction page's file (identity, address, pieces, documents,
history, claims) is kept rendered (`{% fige %}` in templates/instruction/demande.html).

The fragment reads the request's columns and the rows listed here, nothing else: the key is
made of those very values, so a page is never served from an older request. What depends on
the agent (the claim, the actions, the CSRF token) or on the thread stays outside it.
"""

from demandes.models import Demande


def _nom(user) -> tuple | None:
    return None if user is None else (user.first_name, user.last_name, user.username)


def cle_du_dossier(demande: Demande, controle, historique, journal_prises, documents) -> str:
    """Every column of the request and each shown field of its rows, as one string (a list or
    a file is not hashable, their repr is)."""
    colonnes = tuple(getattr(demande, champ.attname) for champ in Demande._meta.concrete_fields)
    return repr(
        (
            colonnes,
            str(demande.depose_par) if demande.depose_par_id else None,
            tuple(
                (
                    ligne.piece,
                    ligne.fournie,
                    ligne.a_remplacer,
                    ligne.fichier
                    and (ligne.fichier.pk, ligne.fichier.nom_original, ligne.fichier.type_mime),
                )
                for ligne in controle.lignes
            ),
            tuple((f.pk, f.nature, f.nom_original) for f in controle.autres_pieces),
            tuple((d.pk, d.nature, d.cree_le) for d in documents),
            tuple(
                (e.pk, e.timestamp, _nom(e.by), e.state, e.description, e.content_type_id)
                for e in historique
            ),
            tuple((j.pk, j.le, _nom(j.agent), j.evenement) for j in journal_prises),
        )
    )
