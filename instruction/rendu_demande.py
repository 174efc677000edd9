"""The instruction page's body (the request's state, its claim and actions, its thread's
block, its file: identity, address, pieces, documents, history, claims, messages), kept
rendered (`{% fige %}` in templates/instruction/demande.html) under the key `cle_de_la_page`.

The fragment reads the request's columns, the rows listed in `Dossier` and the values of the
agent's side listed in `cle_de_la_page`, nothing else: the key is made of those very values,
the rows by the fingerprints and counts read with the request
(requetes_demande._avec_le_dossier, _avec_le_fil), so a page is never served from an older
request, and the rows themselves are read only when the fragment is rendered. The CSRF
tokens are its only live holes.
"""

from functools import cached_property

from django.utils import timezone

from accounts.models import User
from demandes.enums import Etat
from demandes.models import Demande
from demandes.pays import nom_pays
from echanges import fil
from echanges.enums import Cote
from instruction import requetes_demande
from instruction.controle import ListeControle, liste_de_controle


class Dossier:
    """`demande` as read by `requetes_demande.demande_et_prise(…, dossier=True)`."""

    def __init__(self, demande: Demande):
        self.demande = demande

    @cached_property
    def cle(self) -> str:
        """Every column of the request, who filed it, its rows' fingerprints and its thread's
        counts, as one string (a list or a file is not hashable, their repr is)."""
        demande = self.demande
        colonnes = tuple(getattr(demande, champ.attname) for champ in Demande._meta.concrete_fields)
        return repr(
            (
                colonnes,
                str(demande.depose_par) if demande.depose_par_id else None,
                demande.empreinte_pieces,
                demande.empreinte_documents,
                demande.empreinte_historique,
                demande.empreinte_prises,
                demande.empreinte_messages,
                demande.comptes_du_fil,
                # The required pieces follow the rules of the day of filing, or of today.
                None if demande.deposee_le else timezone.localdate(),
            )
        )

    @cached_property
    def controle(self) -> ListeControle:
        return liste_de_controle(self.demande)

    @cached_property
    def documents(self):
        return requetes_demande.documents(self.demande)

    @cached_property
    def historique(self):
        return requetes_demande.historique(self.demande)

    @cached_property
    def journal_prises(self):
        return requetes_demande.journal_prises(self.demande)

    @cached_property
    def resume_du_fil(self) -> fil.Resume | None:
        """The thread's block, from the counts read with the request (no query)."""
        if self.demande.etat == Etat.BROUILLON:
            return None  # as {% resume_fil %}: a draft has no one to write to yet
        return fil.resume(self.demande, Cote.SERVICE)

    @cached_property
    def journal_messages(self):
        if self.demande.empreinte_messages is None:  # no message: nothing to read
            return []
        return requetes_demande.journal_messages(self.demande)

    @cached_property
    def pays_naissance(self) -> str:
        return nom_pays(self.demande.pays_naissance)

    @cached_property
    def nationalite(self) -> str:
        return nom_pays(self.demande.nationalite)


def _nom(user: User) -> tuple:
    return (user.first_name, user.last_name, user.username)


def cle_de_la_page(contexte: dict) -> str:
    """The page's view `contexte` as the kept body shows it: the file's key, who holds the
    request since when, what the agent may do (the actions' keys: their labels are constants)."""
    prise = contexte["prise"]
    return repr(
        (
            contexte["dossier"].cle,
            prise and (prise.pk, prise.prise_le, prise.agent_id, _nom(prise.agent)),
            contexte["je_la_tiens"],
            contexte["dans_ma_file"],
            tuple(contexte["actions"]),
        )
    )
