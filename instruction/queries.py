"""Back-office queries: what an agent may see, queue filters and the backlog figures.

Every instruction view starts from `consultables_par(agent)` (anything else is a 404) or,
for the queue, from `Demande.objects.file_de(agent)`. The figures of the backlog page are
computed by the database in a fixed number of queries, whatever the number of requests.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Least, TruncWeek
from django.db.models.lookups import IContains, PatternLookup
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from demandes import files
from demandes.delais import FENETRE_PILOTAGE
from demandes.enums import EN_COURS, Etat
from demandes.models import CompteurDemandes, Demande
from demandes.numeros import normaliser
from echanges.models import avec_reponse_recue
from instruction.pagination import PLAFOND
from permis.requetes_compilees import RequeteCompilee, compilee


def etats_de_la_file(agent) -> tuple[Etat, ...]:
    """The states of the agent's queue (demandes/files.py), to filter it by."""
    file = files.file_du_role(agent)
    return file.etats if file else ()


def _departements_de(agent) -> Q | None:
    """The départements an agent sees, as a condition on `departement`: every one for the
    CTN (a national centre), their own for a DDT instructor, None for nothing."""
    file = files.file_du_role(agent)
    if file is None or not file.travaillee_par(agent):
        return None
    return Q(departement=agent.departement) if file.par_departement else Q()


# The scope of the CTN's figures; a DDT instructor's is their département's code.
NATIONAL = "national"


def portee(agent) -> str | None:
    """Whose requests an agent sees: NATIONAL for the CTN, their département for a DDT
    instructor, None for nothing (an instructor without a département yet)."""
    departements = _departements_de(agent)
    if departements is None:
        return None
    return agent.departement if departements.children else NATIONAL


def perimetre(portee: str) -> QuerySet[Demande]:
    """The submitted requests of a scope (see `portee`)."""
    demandes = Demande.objects.exclude(etat=Etat.BROUILLON)
    return demandes if portee == NATIONAL else demandes.filter(departement=portee)


def selon_la_portee(sa_portee: str, nationale, departementale, *forme, **valeurs) -> list:
    """Run the compiled query (permis/requetes_compilees.py) of a scope: `nationale` for the
    CTN's, `departementale` given the département for a DDT instructor's. Two queries, since a
    national query has no département to take."""
    if sa_portee == NATIONAL:
        return nationale(*forme, **valeurs)
    return departementale(*forme, **valeurs, departement=sa_portee)


def consultables_par(agent) -> QuerySet[Demande]:
    """Requests an agent may open: the submitted requests of their départements."""
    sa_portee = portee(agent)
    return Demande.objects.none() if sa_portee is None else perimetre(sa_portee)


def dans_la_file(agent, demande: Demande) -> bool:
    """Whether `demande` waits in the agent's queue: `Demande.objects.file_de(agent)` asked
    of a request already loaded, without a query."""
    file = files.file_du_role(agent)
    return file is not None and file.contient(demande, agent)


def perimetre_pilotage(agent) -> QuerySet[Demande]:
    """The requests the backlog page counts: national for the CTN, the département for a DDT."""
    return consultables_par(agent)


class _Comme(IContains):
    """icontains given its LIKE pattern (`motif_like`) rather than the text: the same SQL,
    the value passed unchanged to the database, so that a compiled query (permis/
    requetes_compilees.py) takes it as a parameter (icontains' own pattern is its rewrite)."""

    def process_rhs(self, qn, connection):
        return super(PatternLookup, self).process_rhs(qn, connection)


def motif_like(texte: str) -> str:
    """What icontains looks for: `texte` anywhere, its %, _ and \\ taken as such."""
    return f"%{connection.ops.prep_for_like_query(texte)}%"


def _nom_comme(motif: str) -> Q:
    return (
        Q(_Comme(F("nom_naissance"), motif))
        | Q(_Comme(F("nom_usage"), motif))
        | Q(_Comme(F("prenoms"), motif))
    )


def rechercher(demandes: QuerySet[Demande], texte: str) -> QuerySet[Demande]:
    """By request number (as typed: dashes, spaces, lower case), NEPH, or part of a name.

    A valid request number or a 12-digit NEPH is looked up exactly (no name holds one): a
    unique index answers at once, where OR-ing it with the name search would let the
    planner walk the whole queue in its order looking for the one row.
    """
    sorte, valeur = _sorte_de_recherche(texte)
    if sorte is None:
        return demandes
    if sorte == "numero":
        return demandes.filter(numero=valeur)
    if sorte == "neph":
        return demandes.filter(neph=valeur)
    return demandes.filter(_nom_comme(motif_like(valeur)))


def _sorte_de_recherche(texte: str) -> tuple[str | None, str]:
    """("numero", the number) for a valid request number, ("neph", its digits) for a 12-digit
    NEPH, ("nom", the text, its spaces collapsed) for anything else, (None, "") for nothing."""
    texte = " ".join(texte.split())
    if not texte:
        return None, ""
    if numero := normaliser(texte):
        return "numero", numero
    chiffres = texte.replace(" ", "")
    if chiffres.isdigit() and len(chiffres) == 12:
        return "neph", chiffres
    return "nom", texte


def recherche_par_nom(filtres: dict) -> bool:
    """Whether the filters search a name (no index answers at once how many match)."""
    return _sorte_de_recherche(filtres.get("q", ""))[0] == "nom"


def avec_categorie(demandes: QuerySet[Demande], categorie: str) -> QuerySet[Demande]:
    # The JSON list is matched as text on the quoted code ("B" never matches "B96" or
    # "BE"): the same lookup on PostgreSQL and on the embedded SQLite, which has no
    # JSON containment.
    return demandes.filter(_Comme(F("categories"), motif_like(f'"{categorie}"')))


def deposees_depuis_plus_de(demandes: QuerySet[Demande], jours: int) -> QuerySet[Demande]:
    return demandes.filter(deposee_le__lte=timezone.now() - timedelta(days=jours))


def file_ordonnee(demandes: QuerySet[Demande]) -> QuerySet[Demande]:
    """Oldest first, with who holds each request, in one query per page."""
    return demandes.select_related("prise_en_charge__agent").order_by("deposee_le", "pk")


def file_filtree(agent, filtres: dict) -> QuerySet[Demande]:
    """The agent's queue narrowed by the valid filters of `FiltresFile`, oldest first."""
    demandes = _lignes_de_file(Demande.objects.file_de(agent))
    return file_ordonnee(_filtrer(demandes, **_criteres(filtres, agent)))


def _criteres(filtres: dict, agent) -> dict:
    """The valid filters of `FiltresFile` as `_filtrer` takes them: the search by its kind
    (a name as its LIKE pattern), the category as its pattern, « par moi » as the agent's id."""
    criteres = {nom: filtres[nom] for nom in ("motif", "etat", "anciennete") if filtres.get(nom)}
    sorte, valeur = _sorte_de_recherche(filtres.get("q", ""))
    if sorte is not None:
        criteres[sorte] = motif_like(valeur) if sorte == "nom" else valeur
    if categorie := filtres.get("categorie"):
        criteres["categorie"] = motif_like(f'"{categorie}"')
    if filtres.get("reponse"):
        criteres["reponse"] = True
    if filtres.get("prise") == "moi":
        criteres["agent"] = agent.pk
    elif filtres.get("prise") == "libres":
        criteres["libres"] = True
    return criteres


def _filtrer(
    demandes,
    *,
    numero=None,
    neph=None,
    nom=None,
    motif=None,
    categorie=None,
    etat=None,
    anciennete=None,
    reponse=False,
    agent=None,
    libres=False,
):
    """The queue's filters, each given (see `_criteres`): one place for the ORM's queue and
    its compiled pages, which give stand-ins for the values."""
    if numero is not None:
        demandes = demandes.filter(numero=numero)
    if neph is not None:
        demandes = demandes.filter(neph=neph)
    if nom is not None:
        demandes = demandes.filter(_nom_comme(nom))
    if motif is not None:
        demandes = demandes.filter(motif=motif)
    if categorie is not None:
        demandes = demandes.filter(_Comme(F("categories"), categorie))
    if etat is not None:
        demandes = demandes.filter(etat=etat)
    if anciennete is not None:
        demandes = deposees_depuis_plus_de(demandes, anciennete)
    if reponse:
        demandes = demandes.filter(reponse_recue=True)
    if agent is not None:
        demandes = demandes.filter(prise_en_charge__agent=agent)
    elif libres:
        demandes = demandes.filter(prise_en_charge__isnull=True)
    return demandes


def _lignes_de_file(demandes: QuerySet[Demande]) -> QuerySet[Demande]:
    """What a row of the queue shows besides the request's columns."""
    return avec_reponse_recue(demandes.avec_retard())


# A page of the unfiltered queue, the one agents open first and come back to: compiled once
# per process for each page (its bounds are its shape: LIMIT and OFFSET are written into the
# SQL), where building it through the ORM cost more than reading its rows. At most
# PLAFOND rows are offered, so a few dozen pages per page size. The queue's states and the
# unread messages' side are written into the SQL (litteraux): the one plan PostgreSQL makes
# of the prepared query reads the queue's partial index (demande_file_ctn, demande_file_ddt)
# and the unread messages' (message_non_lu_du_demandeur), where with them as parameters
# the CTN's page was planned again at every run.
# Each row also holds the queue's size from the counters (`taille_de_la_file`): the page
# and its count in one query (FileEntiere.lire_page), a round trip fewer. Its rows (and
# every queue page's) are named tuples of the columns shown (LIGNE_DE_FILE), not models:
# building a request's and its holder's models cost ~25 µs a row, more than writing it.
@compilee(litteraux=True)
def _page_nationale(file: files.File, debut: int, fin: int):
    demandes = _lignes_de_file(Demande.objects.dans_la_file(file, ""))
    return _lignes_nommees(demandes, taille_de_la_file=_taille(Q(), file.etats))[debut:fin]


@compilee(litteraux=True, departement=str)
def _page_du_departement(file: files.File, debut: int, fin: int, departement: str):
    demandes = _lignes_de_file(Demande.objects.dans_la_file(file, departement))
    taille = _taille(Q(departement=departement), file.etats)
    return _lignes_nommees(demandes, taille_de_la_file=taille)[debut:fin]


# A row of a queue page, as instruction/rendu_file.py writes it: of the request and of the
# agent who holds it, the columns shown (a request has some fifty, an account fifteen).
LIGNE_DE_FILE = (
    "numero",
    "neph",
    "nom_naissance",
    "prenoms",
    "motif",
    "categories",
    "etat",
    "en_retard",
    "reponse_recue",
    "deposee_le",
    "prise_en_charge__agent_id",
    "prise_en_charge__agent__first_name",
    "prise_en_charge__agent__last_name",
    "prise_en_charge__agent__username",
)


def _lignes_nommees(demandes: QuerySet[Demande], **annotations) -> QuerySet:
    """`demandes` (with _lignes_de_file's annotations) as named rows of LIGNE_DE_FILE, then
    `annotations`, oldest first."""
    demandes = demandes.annotate(**annotations).order_by("deposee_le", "pk")
    return demandes.values_list(*LIGNE_DE_FILE, *annotations, named=True)


def _taille(departements: Q, etats: tuple) -> Coalesce:
    """The sum of the counters of `_compteurs`, as a column (a SUM without GROUP BY)."""
    compteurs = CompteurDemandes.objects.filter(departements, etat__in=etats).order_by()
    somme = compteurs.annotate(somme=Func(F("n"), function="SUM")).values("somme")
    return Coalesce(Subquery(somme), 0)


class FileEntiere:
    """The agent's unfiltered queue as the paginator reads it: a slice is one compiled page;
    anything else (counting it where the database keeps no counters) is `file_filtree`'s."""

    ordered = True

    def __init__(self, agent):
        self.agent = agent
        self.portee = portee(agent)
        self._lue: tuple | None = None  # (debut, par_page, rows) read by lire_page

    def __getitem__(self, tranche: slice) -> list[Demande]:
        debut, fin = tranche.start or 0, tranche.stop
        if self.portee is None or fin <= debut:
            return []  # an empty queue's page is [0:0], which the ORM compiles to no SQL
        if self._lue is not None and self._lue[0] == debut and fin - debut <= self._lue[1]:
            return self._lue[2][: fin - debut]  # read with the size by lire_page
        return self._page(debut, fin)

    def _page(self, debut: int, fin: int) -> list[Demande]:
        file = files.file_du_role(self.agent)
        return selon_la_portee(self.portee, _page_nationale, _page_du_departement, file, debut, fin)

    def lire_page(self, numero, par_page: int) -> int | None:
        """The queue's size, read with the rows of page `numero` (as Paginator.get_page reads
        it), which the paginator's slice then takes without a query; None when the page to
        show is not known without the size (no page, a page past the end or the cap) or the
        database keeps no counters (the embedded SQLite): the view counts as before."""
        try:
            numero = int(numero or 1)  # Paginator: a page that is not an integer is the first
        except (TypeError, ValueError):
            numero = 1
        debut = (numero - 1) * par_page
        if self.portee is None or connection.vendor != "postgresql" or not 0 <= debut < PLAFOND:
            return None
        lignes = self._page(debut, debut + par_page)
        if lignes:
            self._lue = (debut, par_page, lignes)
            return lignes[0].taille_de_la_file
        # No row on the first page: an empty queue, as its counters say (kept by triggers in
        # the same transactions as the rows, read in the same statement).
        return 0 if debut == 0 else None

    def __getattr__(self, nom: str):
        return getattr(file_filtree(self.agent, {}), nom)


# The filtered queue's pages and capped counts, compiled once per process for each shape:
# which criteria are given, the motif and state filtered (a few codes each, written into
# the SQL as literals), the page's bounds. Building them through the ORM was most of a
# filtered page's CPU. A number, a NEPH, a category's pattern and the département are
# parameters: PostgreSQL's one generic plan of each shape reads the same indexes for any of
# them. Not a name's pattern nor an agent's claims: with the queue's states as literals, the
# generic plan walks the whole queue in its order for a rare name or agent (5 s at a million
# requests, where a plan for the value reads the trigram or claims' index): those filters
# and the age (a new limit at each view) page through the ORM.
_VALEURS = {"numero": str, "neph": str, "categorie": str, "departement": str}
_FORMES = {"motif", "etat", "reponse", "libres"}


def _fabrique_filtree(file, drapeaux: tuple, tranche: tuple, **valeurs):
    """`tranche`: (debut, fin) for a page, (None, n) for the ids of the first n rows (a
    capped count)."""
    departement = valeurs.pop("departement", "")
    demandes = _lignes_de_file(Demande.objects.dans_la_file(file, departement))
    demandes = _filtrer(demandes, **valeurs, **dict(drapeaux))
    debut, fin = tranche
    if debut is None:
        return demandes.order_by().values_list("pk", flat=True)[:fin]
    return _lignes_nommees(demandes)[debut:fin]


# The compiled filtered queue of each set of criteria given as values, in sorted order: one
# per subset of _VALEURS's names, all made here (none compiled before its first call), so
# that the store holds 2 ** len(_VALEURS) = 16 queries and never grows with the filters met.
_FILTREES: dict[tuple[str, ...], RequeteCompilee] = {
    noms: compilee(litteraux=True, **{nom: _VALEURS[nom] for nom in noms})(_fabrique_filtree)
    for noms in (
        tuple(sorted(nom for rang, nom in enumerate(_VALEURS) if masque >> rang & 1))
        for masque in range(2 ** len(_VALEURS))
    )
}


class FileFiltree:
    """The agent's queue filtered, as the paginator reads it: its pages and its capped count
    from the compiled queries; anything else (the planner's estimate) is `file_filtree`'s."""

    ordered = True

    def __init__(self, agent, criteres: dict):
        self.agent = agent
        self.file = files.file_du_role(agent)
        valeurs = {n: _VALEURS[n](v) for n, v in criteres.items() if n in _VALEURS}
        self.drapeaux = tuple(
            sorted((n, v if v is True else str(v)) for n, v in criteres.items() if n in _FORMES)
        )
        if self.file.par_departement:
            valeurs["departement"] = agent.departement
        self.valeurs = valeurs
        self.requete = _FILTREES[tuple(sorted(valeurs))]
        self.filtres = criteres

    def _executer(self, tranche: tuple) -> list:
        return self.requete(self.file, self.drapeaux, tranche, **self.valeurs)

    def __getitem__(self, tranche: slice) -> list[Demande]:
        debut, fin = tranche.start or 0, tranche.stop
        return self._executer((debut, fin)) if fin > debut else []

    def compter(self, jusqu_a: int) -> int:
        """How many rows, counted up to `jusqu_a`."""
        return len(self._executer((None, jusqu_a)))

    def __getattr__(self, nom: str):
        orm = _lignes_de_file(Demande.objects.file_de(self.agent))
        return getattr(file_ordonnee(_filtrer(orm, **self.filtres)), nom)


def file_a_paginer(agent, filtres: dict) -> "QuerySet[Demande] | FileEntiere | FileFiltree":
    """What the queue page paginates: the compiled unfiltered queue, the compiled filtered
    one, or (a search by name, an agent's claims, the age, an agent who sees nothing) the
    ORM's."""
    if not any(nom != "par_page" for nom in filtres):
        return FileEntiere(agent)
    criteres = _criteres(filtres, agent)
    if portee(agent) is None or not criteres.keys() <= _VALEURS.keys() | _FORMES:
        return _lignes_nommees(file_filtree(agent, filtres))
    return FileFiltree(agent, criteres)


# The counters the database keeps per (département, state) (demandes.CompteurDemandes,
# migration 0010), of a scope's requests in some states: the queue's size and the backlog's
# table, no request's row read, at any size. PostgreSQL only.
@compilee(litteraux=True)
def _compteurs_nationaux(etats: tuple):
    return _compteurs(Q(), etats)


@compilee(litteraux=True, departement=str)
def _compteurs_du_departement(etats: tuple, departement: str):
    return _compteurs(Q(departement=departement), etats)


def _compteurs(departements: Q, etats: tuple):
    return (
        CompteurDemandes.objects.filter(departements, etat__in=etats, n__gt=0)
        .values("departement", "etat", "n")
        .order_by("departement", "etat")
    )


def compteurs(sa_portee: str, etats: tuple) -> list[dict]:
    """{departement, etat, n} of the scope's requests in `etats`, from the counters."""
    return selon_la_portee(sa_portee, _compteurs_nationaux, _compteurs_du_departement, etats)


def taille_de_la_file(agent) -> int | None:
    """How many requests wait in `Demande.objects.file_de(agent)`, unfiltered, from the
    counters; None where there are none (the embedded SQLite keeps no counters)."""
    if connection.vendor != "postgresql":
        return None
    sa_portee = portee(agent)
    if sa_portee is None:
        return 0
    return sum(ligne["n"] for ligne in compteurs(sa_portee, etats_de_la_file(agent)))


# --- Backlog --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ligne:
    departement: str
    comptes: list[int]  # one per state of `Pilotage.etats`, in that order
    total: int


@dataclass(frozen=True)
class Pilotage:
    etats: list[Etat]
    lignes: list[Ligne]
    totaux: list[int]
    total: int
    plus_ancienne: datetime | None  # submission date of the oldest waiting request
    attente_max: timedelta | None
    mediane_decision: timedelta | None
    decisions_recentes: int
    semaines: list["Semaine"]  # the last SEMAINES weeks, oldest first

    @property
    def mediane_lisible(self) -> str:
        return duree_lisible(self.mediane_decision)

    @property
    def attente_max_lisible(self) -> str:
        return duree_lisible(self.attente_max)


def duree_lisible(duree: timedelta | None) -> str:
    """'3 j 4 h', '5 h 12 min' or '8 min': what an agent reads at a glance."""
    if duree is None:
        return "—"
    minutes = int(duree.total_seconds() // 60)
    jours, minutes = divmod(minutes, 24 * 60)
    heures, minutes = divmod(minutes, 60)
    if jours:
        return f"{jours} j {heures} h"
    if heures:
        return f"{heures} h {minutes} min"
    return f"{minutes} min"


def _mediane_decision(demandes: QuerySet[Demande]) -> tuple[timedelta | None, int]:
    """Median submission -> decision time of the requests decided within FENETRE_PILOTAGE,
    and their number. On PostgreSQL one query (PERCENTILE_CONT over an index-only scan of
    demande_decidee_le); elsewhere two: count, then the one or two middle rows of the
    durations sorted by the database."""
    decidees = demandes.filter(
        decidee_le__gte=timezone.now() - FENETRE_PILOTAGE, deposee_le__isnull=False
    )
    duree = ExpressionWrapper(F("decidee_le") - F("deposee_le"), output_field=DurationField())
    if connection.vendor == "postgresql":
        chiffres = decidees.aggregate(n=Count("*"), mediane=Mediane(duree))
        return chiffres["mediane"], chiffres["n"]
    n = decidees.count()
    if not n:
        return None, 0
    durees = decidees.annotate(duree=duree).order_by("duree").values_list("duree", flat=True)
    milieu = list(durees[(n - 1) // 2 : n // 2 + 1])
    return sum(milieu, timedelta()) / len(milieu), n


def _premieres_en_attente(demandes: QuerySet[Demande]) -> QuerySet:
    """The oldest submission date of each waiting state: each is the first entry of the
    (etat, deposee_le) index, where a MIN over all of them at once reads every waiting
    request."""
    premieres = [
        demandes.filter(etat=etat, deposee_le__isnull=False)
        .order_by("deposee_le")
        .values_list("deposee_le", flat=True)[:1]
        for etat in files.EN_ATTENTE
    ]
    return premieres[0].union(*premieres[1:], all=True)


# The oldest waiting request, compiled once per process (the union of one query per state
# took a third of the backlog page's CPU to build): for the CTN, nationally; for a DDT, its
# département.
@compilee()
def _premieres_nationales():
    return _premieres_en_attente(perimetre(NATIONAL))


@compilee(departement=str)
def _premieres_du_departement(departement: str):
    return _premieres_en_attente(perimetre(departement))


def _plus_ancienne_en_attente(sa_portee: str) -> datetime | None:
    """The oldest submission date among the scope's waiting requests."""
    premieres = selon_la_portee(sa_portee, _premieres_nationales, _premieres_du_departement)
    return min(premieres, default=None)


# The backlog's counters and its oldest waiting request in one round trip (PostgreSQL): each
# counter row carries the oldest date, the least of one uncorrelated subquery per waiting
# state (the first entry of the (etat, deposee_le) index each, run once for the whole query;
# PostgreSQL's LEAST skips the states without a waiting request). The states as literals,
# as the counters' query (litteraux: one generic plan that reads the indexes).
def _compteurs_et_premiere(departements: Q, portee: str, etats: tuple):
    premieres = [
        Subquery(
            perimetre(portee)
            .filter(etat=etat, deposee_le__isnull=False)
            .order_by("deposee_le")
            .values("deposee_le")[:1]
        )
        for etat in files.EN_ATTENTE
    ]
    return _compteurs(departements, etats).annotate(plus_ancienne=Least(*premieres))


@compilee(litteraux=True)
def _chiffres_nationaux(etats: tuple):
    return _compteurs_et_premiere(Q(), NATIONAL, etats)


@compilee(litteraux=True, departement=str)
def _chiffres_du_departement(etats: tuple, departement: str):
    return _compteurs_et_premiere(Q(departement=departement), departement, etats)


# The median reads every decision of the last FENETRE_PILOTAGE (a sort of hundreds of thousands of
# rows nationally): a figure a few minutes old is as useful, and costs that once per period.
# The beat task instruction.tasks.actualiser_chiffres_pilotage computes it again before then.
DUREE_CACHE_MEDIANE = 300


# Past weeks no longer change but for a correction: computed again once a day (by the beat task
# on the first run of the day, by a page if they are missing), under a key naming the current
# week so that a new week starts a new history. Kept an hour longer than a day, so that the
# task's daily run finds them still there and pages never wait for them.
DUREE_CACHE_SEMAINES_PASSEES = 25 * 3600


def _cle(portee: str, nom: str) -> str:
    """The cache key of a figure of a scope (every agent of a scope sees the same figures)."""
    return f"pilotage:{nom}:{portee}"


def _cles_des_chiffres(portee: str, lundi: date | None = None) -> tuple[str, str, str]:
    """The cache keys of a scope's figures: the median, the past weeks (under this week's
    Monday, today's unless given), this week."""
    lundi = lundi or _lundi(timezone.localdate())
    return (
        _cle(portee, "mediane"),
        _cle(portee, f"semaines-passees-datees:{lundi}"),
        _cle(portee, "semaine-en-cours"),
    )


def _lire(cle: str, lus: dict | None):
    """A cached figure, from `lus` (what one get_many read for the page) when given."""
    return cache.get(cle) if lus is None else lus.get(cle)


def _en_cache(portee: str | None, nom: str, calcul, lus: dict | None = None):
    """`calcul()` kept DUREE_CACHE_MEDIANE seconds for the scope (not kept without one)."""
    if portee is None:
        return calcul()
    cle = _cle(portee, nom)
    resultat = _lire(cle, lus)
    if resultat is None:
        resultat = calcul()
        cache.set(cle, resultat, DUREE_CACHE_MEDIANE)
    return resultat


def oublier(agent, *, semaines_passees=True) -> None:
    """Drop the cached figures of the agent's scope, as they expire: every few minutes all
    but the past weeks, once a day those too (the benchmark measures both)."""
    mediane, passees, courante = _cles_des_chiffres(portee(agent) or NATIONAL)
    cache.delete_many([mediane, courante, passees] if semaines_passees else [mediane, courante])


def _mediane_decision_recente(portee: str | None, demandes: QuerySet[Demande], lus=None):
    return _en_cache(portee, "mediane", lambda: _mediane_decision(demandes), lus)


def portees_actives() -> list[str]:
    """The scopes whose figures agents read: national, and each département with an active
    instructor."""
    from accounts.enums import Role
    from accounts.models import User

    departements = (
        User.objects.filter(is_active=True, groups__name=Role.INSTRUCTEUR_DDT)
        .exclude(departement="")
        .values_list("departement", flat=True)
        .distinct()
        .order_by("departement")
    )
    return [NATIONAL, *departements]


def actualiser(portee: str) -> None:
    """Compute again the figures of a scope that expire every few minutes (the median, this
    week) and, on the day's first run or if missing, the past weeks, into the cache where pages
    read them. Each figure is one cache write of a whole value: run twice, or stopped half-way,
    the pages read the older or the newer figures, or compute them as without the task."""
    demandes = perimetre(portee)
    cache.set(_cle(portee, "mediane"), _mediane_decision(demandes), DUREE_CACHE_MEDIANE)
    _historique(portee, demandes, actualiser=True)


# --- Backlog week by week -------------------------------------------------------------------

SEMAINES = 26


@dataclass(frozen=True)
class Semaine:
    """One ISO week (Monday to Sunday, in the service's time zone) of the backlog's history."""

    debut: date  # its Monday
    deposees: int
    decidees: int
    mediane: timedelta | None  # submission -> decision, of the requests decided that week

    @property
    def numero(self) -> int:
        return self.debut.isocalendar().week

    @property
    def mediane_lisible(self) -> str:
        return duree_lisible(self.mediane)


class Mediane(Aggregate):
    """PostgreSQL's continuous median (the mean of the middle two of an even count)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _lundi(jour: date) -> date:
    """The Monday of `jour`'s week."""
    return jour - timedelta(days=jour.weekday())


def _lundis(aujourd_hui: date) -> list[date]:
    lundi = _lundi(aujourd_hui)
    return [lundi - timedelta(weeks=n) for n in range(SEMAINES - 1, -1, -1)]


def _semaine(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _decisions_par_semaine(decidees: QuerySet[Demande]) -> dict[date, tuple[int, timedelta]]:
    """{Monday: (decisions, median time)} of the requests decided since the first Monday:
    grouped and the median taken by PostgreSQL; elsewhere (the embedded SQLite) the
    durations come sorted in the same single query and the median is taken here."""
    duree = ExpressionWrapper(F("decidee_le") - F("deposee_le"), output_field=DurationField())
    par_semaine = decidees.annotate(semaine=TruncWeek("decidee_le")).values("semaine")
    if connection.vendor == "postgresql":
        return {
            _semaine(ligne["semaine"]): (ligne["n"], ligne["mediane"])
            for ligne in par_semaine.annotate(n=Count("*"), mediane=Mediane(duree)).order_by()
        }
    durees: dict[date, list[timedelta]] = {}
    for semaine, valeur in par_semaine.annotate(duree=duree).values_list("semaine", "duree"):
        durees.setdefault(_semaine(semaine), []).append(valeur)
    return {lundi: (len(d), statistics.median(sorted(d))) for lundi, d in durees.items()}


def semaines(
    demandes: QuerySet[Demande], aujourd_hui: date | None = None, *, seule_la_derniere=False
) -> list[Semaine]:
    """Requests deposited and decided each week of the last SEMAINES (this one included), and
    the median submission-to-decision time of each week's decisions: two queries. With
    `seule_la_derniere`, this week only (what changes from one minute to the next)."""
    lundis = _lundis(aujourd_hui or timezone.localdate())
    if seule_la_derniere:
        lundis = lundis[-1:]
    debut = timezone.make_aware(datetime.combine(lundis[0], time.min))
    deposees = {
        _semaine(ligne["semaine"]): ligne["n"]
        for ligne in demandes.filter(deposee_le__gte=debut)
        .annotate(semaine=TruncWeek("deposee_le"))
        .values("semaine")
        .annotate(n=Count("*"))  # not COUNT(id): the index holds no id
        .order_by()
    }
    decisions = _decisions_par_semaine(
        demandes.filter(decidee_le__gte=debut, deposee_le__isnull=False)
    )
    return [
        Semaine(lundi, deposees.get(lundi, 0), *decisions.get(lundi, (0, None))) for lundi in lundis
    ]


def _historique(portee: str | None, demandes: QuerySet[Demande], *, actualiser=False, lus=None):
    """The last SEMAINES weeks, two queries at most: all of them when the past weeks are not
    in the cache (once a day per scope), else this week only (once every few minutes). With
    `actualiser` (the beat task), this week always, and the past weeks computed another day.
    `lus`: the cached figures as the page read them (_cles_des_chiffres)."""
    aujourd_hui = timezone.localdate()
    lundi = _lundi(aujourd_hui)
    if portee is None:  # nothing kept for an agent who sees no request
        return semaines(demandes)
    _, cle_passees, cle_courante = _cles_des_chiffres(portee, lundi)
    passees, courante = _lire(cle_passees, lus), _lire(cle_courante, lus)
    if passees is None or (actualiser and passees[0] != aujourd_hui):
        *semaines_passees, courante = semaines(demandes, aujourd_hui)
        passees = (aujourd_hui, semaines_passees)
        cache.set(cle_passees, passees, DUREE_CACHE_SEMAINES_PASSEES)
        cache.set(cle_courante, courante, DUREE_CACHE_MEDIANE)
    elif actualiser or courante is None or courante.debut != lundi:
        courante = semaines(demandes, aujourd_hui, seule_la_derniere=True)[0]
        cache.set(cle_courante, courante, DUREE_CACHE_MEDIANE)
    return [*passees[1], courante]


def _comptes_et_plus_ancienne(agent, sa_portee: str | None, etats: tuple[Etat, ...]):
    """(departement, etat, n) of the agent's requests in `etats`, and the oldest submission
    date among the waiting ones: on PostgreSQL one query of the counters the database keeps
    (demandes.CompteurDemandes), elsewhere by counting, then the oldest."""
    if sa_portee is None:
        return [], None
    if connection.vendor != "postgresql":
        comptes = (
            consultables_par(agent)
            .filter(etat__in=etats)
            .values("departement", "etat")
            .annotate(n=Count("pk"))
            .order_by("departement", "etat")
        )
        return comptes, _plus_ancienne_en_attente(sa_portee)
    lignes = selon_la_portee(sa_portee, _chiffres_nationaux, _chiffres_du_departement, etats)
    if not lignes:  # no counter row to carry the date: asked alone (an empty backlog)
        return [], _plus_ancienne_en_attente(sa_portee)
    return lignes, lignes[0]["plus_ancienne"]


def pilotage(agent) -> Pilotage:
    """Counts per state and département of the requests in progress, the oldest waiting one,
    the median decision time and the last weeks' history (both cached a few minutes): at most
    six queries, none of them reading the requests in progress one by one."""
    sa_portee = portee(agent)
    # Built only when a cached figure is missing: building the ORM query costs ~0.1 ms.
    demandes = SimpleLazyObject(lambda: perimetre_pilotage(agent))
    etats = [etat for etat in Etat if etat in EN_COURS]
    par_departement: dict[str, dict[str, int]] = {}
    comptes, plus_ancienne = _comptes_et_plus_ancienne(agent, sa_portee, tuple(etats))
    for groupe in comptes:
        par_departement.setdefault(groupe["departement"], {})[groupe["etat"]] = groupe["n"]
    lignes = []
    for departement in sorted(par_departement):
        comptes = [par_departement[departement].get(etat, 0) for etat in etats]
        lignes.append(Ligne(departement or "—", comptes, sum(comptes)))
    totaux = [sum(ligne.comptes[i] for ligne in lignes) for i in range(len(etats))]
    # The scope's cached figures in one round trip to the cache rather than three.
    lus = cache.get_many(_cles_des_chiffres(sa_portee)) if sa_portee else None
    mediane, decisions = _mediane_decision_recente(sa_portee, demandes, lus)
    historique = _historique(sa_portee, demandes, lus=lus)
    return Pilotage(
        etats=etats,
        lignes=lignes,
        totaux=totaux,
        total=sum(totaux),
        plus_ancienne=plus_ancienne,
        attente_max=timezone.now() - plus_ancienne if plus_ancienne else None,
        mediane_decision=mediane,
        decisions_recentes=decisions,
        semaines=historique,
    )
