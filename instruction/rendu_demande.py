"""The instruction page's body (the request's state, its claim and actions, its thread's
block, its file: identity, address, pieces, documents, history, claims, messages), kept
rendered (`{% fige %}` in templates/instruction/demande.html) under the key `cle_de_la_page`.

The fragment reads the request's columns, the rows listed in `Dossier` and the values of the
agent's side listed in `cle_de_la_page`, nothing else: the key is made of those very values,
the rows by the count of their changes PostgreSQL keeps (instruction.models.VersionDossier)
read with the request (requetes_demande._avec_le_dossier), so a page is never served from an
older request, and the rows themselves are read only when the fragment is rendered. The CSRF
tokens are its only live holes.
"""

import operator
from functools import cached_property

from django.db import connection, models
from django.utils import timezone

from accounts.models import User
from demandes.enums import Etat
from demandes.models import Demande
from demandes.pays import nom_pays
from echanges import fil
from echanges.enums import Cote
from instruction import requetes_demande
from instruction.controle import ListeControle, liste_de_controle

# The request's columns the page reads (all but those its query leaves out), read at once.
_CHAMPS = [
    champ
    for champ in Demande._meta.concrete_fields
    if champ.attname not in requetes_demande.COLONNES_NON_LUES
]
_COLONNES = operator.attrgetter(*(champ.attname for champ in _CHAMPS))
# Of those, the values kept in the key as their text: a JSON list is not hashable, and a file
# would keep its request's instance alive with the kept page.
_EN_TEXTE = tuple(
    rang
    for rang, champ in enumerate(_CHAMPS)
    if isinstance(champ, models.JSONField | models.FileField)
)


def _valeurs(demande: Demande) -> tuple:
    valeurs = list(_COLONNES(demande))
    for rang in _EN_TEXTE:
        valeurs[rang] = repr(valeurs[rang])
    return tuple(valeurs)


class Dossier:
    """`demande` as read by `requetes_demande.demande_et_prise(…, dossier=True)`."""

    def __init__(self, demande: Demande):
        self.demande = demande

    @cached_property
    def cle(self) -> tuple | None:
        """Every column of the request (_valeurs: hashable, not one repr of them all, which
        cost the view twice as much), who filed it and the counts of its rows' changes and of their authors' names (the
        thread's counts are its messages'). None without PostgreSQL, whose triggers keep the
        count: the page is then rendered at every view."""
        if connection.vendor != "postgresql":
            return None
        demande = self.demande
        return (
            _valeurs(demande),
            str(demande.depose_par) if demande.depose_par_id else None,
            demande.version_dossier,
            demande.version_noms,
            # The required pieces follow the rules of the day of filing, or of today.
            None if demande.deposee_le else timezone.localdate(),
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
        """The thread's block, counted from the journal the file shows (no query of its own)."""
        if self.demande.etat == Etat.BROUILLON:
            return None  # as {% resume_fil %}: a draft has no one to write to yet
        return fil.resume_du_journal(self.demande, Cote.SERVICE, self.journal_messages)

    @cached_property
    def journal_messages(self):
        return requetes_demande.journal_messages(self.demande)

    @cached_property
    def pays_naissance(self) -> str:
        return nom_pays(self.demande.pays_naissance)

    @cached_property
    def nationalite(self) -> str:
        return nom_pays(self.demande.nationalite)


def _nom(user: User) -> tuple:
    return (user.first_name, user.last_name, user.username)


def cle_de_la_page(contexte: dict) -> tuple | None:
    """The page's view `contexte` as the kept body shows it: the file's key, who holds the
    request since when, what the agent may do (the actions' keys: their labels are constants).
    None (rendered live) when the file has none."""
    prise = contexte["prise"]
    if contexte["dossier"].cle is None:
        return None
    return (
        contexte["dossier"].cle,
        prise and (prise.pk, prise.prise_le, prise.agent_id, _nom(prise.agent)),
        contexte["je_la_tiens"],
        contexte["dans_ma_file"],
        tuple(contexte["actions"]),
    )
