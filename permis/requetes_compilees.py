"""A QuerySet compiled to SQL once per process, then run again with new values: `compilee`.

Building a query through the ORM (resolving lookups and joins, compiling each expression)
costs 0.5–1 ms of CPU per query here, often several times what PostgreSQL takes to answer it,
and a page asks the same query on every view with only an id or a number changing. A query
declared with `compilee` is built and compiled once per process and database, with stand-in
values in place of its parameters; each call puts the real values where the stand-ins were
found in the compiled parameters and runs the kept SQL:

    @compilee(candidat=int)
    def demandes_du_candidat(candidat):
        return Demande.objects.filter(candidat_id=candidat).values_list("numero", "etat")

    demandes_du_candidat(candidat=user.pk)  # a list, as list(queryset) would give

Positional arguments before the named values are the query's shape (what changes its SQL,
not only its values: a role, a side): the fabrique gets them first, and each shape is
compiled once.

What it returns is what the QuerySet would: tuples (values_list), values (flat=True),
named tuples (named=True), dicts (values) or model instances (annotations set on them, the
rows of select_related attached by Django's own populators), the fields' database
converters applied. Only what can be compiled once is accepted, and what is not is refused
when the query is first compiled rather than answered wrongly: a parameter must be an int or
a str passed unchanged into the SQL (a lookup that rewrites it, such as `icontains` wrapping
it in %, is refused), never None (`= NULL` and `IS NULL` are different SQL); no
prefetch_related, no related manager's QuerySet (its known instance), no composite keys. The
stand-ins cannot be told apart from a value the query holds itself only if that value is one
of them: they are chosen not to be values a form or a database would produce.

`compilee(litteraux=True, ...)`: the values the query holds itself (not its parameters) that
are a code (letters, digits, `_`, `-`) or a non-negative integer are written into the SQL as
literals. PostgreSQL prepares a query it is sent often and, after five runs, may plan it once
for any parameters (a generic plan); such a plan cannot use a partial index whose condition
names values given as parameters (`WHERE etat IN ('deposee', 'controle_forme')`), so it either
misses the index or is planned again at every run. With the query's own values as literals,
its one generic plan uses the index.
"""

import functools
import inspect
import operator
import re
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.query_utils import DeferredAttribute
from django.db.models.utils import create_namedtuple_class

_TYPES = (int, str)
# Plans kept per query: its shapes are a few (a role, a side); a caller passing a value as its
# shape would compile one per call, and past this many all are dropped, so memory stays flat.
_PLANS_MAX = 64
_CODE = re.compile(r"[A-Za-z0-9_-]+")
# A parameter's place in the SQL Django compiles (`%%` is a percent sign, not a place).
_PLACE = re.compile(r"%%|%s")


def _litteral(parametre) -> str | None:
    """The SQL literal of a value written into the query, None to keep it a parameter."""
    if isinstance(parametre, bool):
        return None
    if isinstance(parametre, int) and parametre >= 0:
        return str(int(parametre))  # an IntegerChoices member as its value
    if isinstance(parametre, str) and _CODE.fullmatch(parametre):
        # A TextChoices member as its value; only letters, digits, _ and -: nothing to escape.
        return f"'{str.__str__(parametre)}'"
    return None


def _en_litteraux(sql: str, parametres: list, gardes: set[int]) -> tuple[str, list[int]]:
    """`sql` with the parameters not in `gardes` written as literals where they can be (see
    _litteral), and the ranks, in `parametres`, of those still sent as parameters."""
    restants: list[int] = []
    rangs = iter(range(len(parametres)))

    def remplacer(place: re.Match) -> str:
        if place.group() == "%%":
            return "%%"
        rang = next(rangs)
        litteral = None if rang in gardes else _litteral(parametres[rang])
        if litteral is None:
            restants.append(rang)
            return "%s"
        return litteral

    sql = _PLACE.sub(remplacer, sql)
    if next(rangs, None) is not None:
        raise ImproperlyConfigured("compilee: fewer places than parameters in the SQL")
    return sql, restants


def _fictif(type_: type, rang: int):
    if type_ is int:
        # In the range of every integer column, positive ones included (out of it the ORM
        # compiles the lookup to no SQL at all), and above any id or count the portal reaches.
        return 2_147_000_123 + rang
    return f"\x1f\x1frequete-compilee-{rang}\x1f\x1f"  # control characters are refused in input


def _construction_directe(modele) -> bool:
    """Whether an instance read from a row can be made as Model.from_db makes it by writing
    its fields straight into its __dict__: Django's own from_db and __init__, and every field
    behind the plain descriptor that only reads __dict__ (not a ForeignKey's, which forgets
    the cached object, nor a file's or django-fsm's). The model's pre_init and post_init
    receivers, if any, are asked at each row: with one, Django's way."""
    if (
        modele.from_db.__func__ is not Model.from_db.__func__
        or modele.__init__ is not Model.__init__
    ):
        return False
    return all(
        type(inspect.getattr_static(modele, champ.attname, None)) is DeferredAttribute
        for champ in modele._meta.concrete_fields
    )


class _Plan:
    """The SQL of one query on one database and how to read its rows."""

    def __init__(self, queryset: QuerySet, fictifs: dict, *, litteraux: bool = False):
        if queryset._prefetch_related_lookups:
            raise ImproperlyConfigured("compilee: prefetch_related cannot be compiled once")
        if queryset._known_related_objects:  # the instance at hand is a value, not SQL
            raise ImproperlyConfigured(
                "compilee: a related manager's QuerySet cannot be compiled once; filter on the id"
            )
        compilateur = queryset.query.get_compiler(using=queryset.db)
        self.sql, parametres = compilateur.as_sql()
        self.alias = queryset.db
        self.parametres = list(parametres)
        self.places: dict[str, list[int]] = {nom: [] for nom in fictifs}
        par_fictif = {valeur: nom for nom, valeur in fictifs.items()}
        for rang, parametre in enumerate(self.parametres):
            if isinstance(parametre, _TYPES) and parametre in par_fictif:
                self.places[par_fictif[parametre]].append(rang)
            elif isinstance(parametre, str) and any(
                isinstance(f, str) and f in parametre for f in par_fictif
            ):
                raise ImproperlyConfigured(
                    f"compilee: a lookup rewrites a parameter ({parametre!r}); compile the "
                    "query without it"
                )
        absents = [nom for nom, places in self.places.items() if not places]
        if absents:
            raise ImproperlyConfigured(
                f"compilee: {', '.join(absents)} not found in the compiled parameters (used "
                "through a lookup that transforms it, or not at all)"
            )
        if litteraux:
            gardes = {rang for places in self.places.values() for rang in places}
            self.sql, restants = _en_litteraux(self.sql, self.parametres, gardes)
            nouveau_rang = {ancien: nouveau for nouveau, ancien in enumerate(restants)}
            self.parametres = [self.parametres[rang] for rang in restants]
            self.places = {
                nom: [nouveau_rang[rang] for rang in places] for nom, places in self.places.items()
            }
        colonnes = [s[0] for s in compilateur.select[0 : compilateur.col_count]]
        if compilateur.has_composite_fields(colonnes):
            raise ImproperlyConfigured("compilee: composite fields cannot be compiled once")
        self.convertisseurs = list(compilateur.get_converters(colonnes).items())
        self.forme = self._forme(queryset, compilateur)

    @staticmethod
    def _forme(queryset: QuerySet, compilateur) -> Callable[[list], object]:
        """How one row (a list, converters applied) becomes what the QuerySet yields."""
        iterable, query = queryset._iterable_class, queryset.query
        noms = (
            list(query.selected)
            if query.selected
            else [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
        )
        if iterable is FlatValuesListIterable:
            return operator.itemgetter(0)
        if iterable is NamedValuesListIterable:
            classe = create_namedtuple_class(*(queryset._fields or noms))
            return lambda ligne: tuple.__new__(classe, ligne)
        if iterable is ValuesListIterable:
            return tuple
        if iterable is ValuesIterable:
            return lambda ligne: dict(zip(noms, ligne, strict=False))  # as Django: names first
        if iterable is not ModelIterable:
            raise ImproperlyConfigured(f"compilee: {iterable.__name__} is not supported")
        infos = compilateur.klass_info
        modele, champs = infos["model"], infos["select_fields"]
        debut, fin = champs[0], champs[-1] + 1
        attributs = [c[0].target.attname for c in compilateur.select[debut:fin]]
        annotations = list(compilateur.annotation_col_map.items())
        alias = queryset.db
        # select_related: ModelIterable's populators, built once from the kept columns (they
        # hold no row, only where each related model's columns are and how to attach it).
        liees = get_related_populators(infos, compilateur.select, alias)

        directe = _construction_directe(modele)

        def instance(ligne):
            if directe and not (
                signals.pre_init.has_listeners(modele) or signals.post_init.has_listeners(modele)
            ):
                objet = modele.__new__(modele)  # what Model.from_db makes, without __init__'s
                etat = objet._state = ModelState()  # loop of setattr over every field
                etat.adding, etat.db = False, alias
                objet.__dict__.update(zip(attributs, ligne[debut:fin], strict=True))
            else:
                objet = modele.from_db(alias, attributs, ligne[debut:fin])
            for liee in liees:
                liee.populate(ligne, objet)
            for nom, rang in annotations:
                setattr(objet, nom, ligne[rang])
            return objet

        return instance

    def lignes(self, valeurs: dict) -> list:
        """The rows for `valeurs`, converters applied: what `forme` makes into the answer."""
        parametres = self.parametres.copy()
        for nom, places in self.places.items():
            for rang in places:
                parametres[rang] = valeurs[nom]
        connexion = connections[self.alias]
        with connexion.cursor() as curseur:
            curseur.execute(self.sql, parametres)
            lignes = curseur.fetchall()
        if self.convertisseurs:
            for ligne in (lignes := [list(ligne) for ligne in lignes]):
                for rang, (convertisseurs, expression) in self.convertisseurs:
                    valeur = ligne[rang]
                    for convertir in convertisseurs:
                        valeur = convertir(valeur, expression, connexion)
                    ligne[rang] = valeur
        return lignes


class RequeteCompilee:
    def __init__(
        self, fabrique: Callable[..., QuerySet], types: dict[str, type], litteraux: bool = False
    ):
        for nom, type_ in types.items():
            if type_ not in _TYPES:
                raise ImproperlyConfigured(f"compilee: {nom} must be int or str")
        self.fabrique = fabrique
        self.types = types
        self.litteraux = litteraux
        self._plans: dict[tuple, _Plan] = {}  # per (database, shape), at most _PLANS_MAX
        self._alias: str | None = None  # the database of the first call's QuerySet
        functools.update_wrapper(self, fabrique)

    def _compiler(self, forme: tuple) -> _Plan:
        fictifs = {nom: _fictif(t, rang) for rang, (nom, t) in enumerate(self.types.items())}
        queryset = self.fabrique(*forme, **fictifs)
        plan = _Plan(queryset, fictifs, litteraux=self.litteraux)
        if len(self._plans) >= _PLANS_MAX:
            self._plans.clear()
        self._plans[queryset.db, forme] = plan
        self._alias = queryset.db
        return plan

    def _plan(self, forme: tuple) -> _Plan:
        return self._plans.get((self._alias, forme)) or self._compiler(forme)

    def __call__(self, *forme, **valeurs) -> list:
        """Run the query for `valeurs`. Positional arguments, if any, are its shape: what
        changes its SQL (a role that adds a subquery, say), hashable, one plan for each."""
        plan = self._plan(forme)
        return [plan.forme(ligne) for ligne in plan.lignes(self._verifiees(valeurs))]

    def lignes(self, *forme, **valeurs) -> list:
        """The rows the query reads for `valeurs`, not yet what it answers: rows to keep
        (plain values, shared by no one), each made into its answer again by `objet`."""
        return self._plan(forme).lignes(self._verifiees(valeurs))

    def objet(self, ligne, *forme):
        """What the query answers for one of the rows `lignes` read, with the same shape: a
        new instance at each call for a query of model instances."""
        return self._plan(forme).forme(ligne)

    def _verifiees(self, valeurs: dict) -> dict:
        if valeurs.keys() != self.types.keys():
            raise TypeError(f"{self.__name__}() takes {', '.join(self.types)}")
        for nom, valeur in valeurs.items():
            if type(valeur) is not self.types[nom]:  # bool is an int, None no value
                raise TypeError(f"{self.__name__}(): {nom} must be {self.types[nom].__name__}")
        return valeurs


def compilee(
    *, litteraux: bool = False, **types: type
) -> Callable[[Callable[..., QuerySet]], RequeteCompilee]:
    """Declare a query compiled once: `types` names its parameters and their type;
    `litteraux`, its own values written into its SQL (see the module's docstring)."""
    return lambda fabrique: RequeteCompilee(fabrique, types, litteraux)
