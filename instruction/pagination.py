"""Queue pages whose cost does not grow with the queue."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Beyond this many requests the queue says « plus de 1 000 » instead of counting them all
# (the backlog page has the exact figures, from counters).
PLAFOND = 1_000


class PaginateurPlafonne(Paginator):
    """Counts at most PLAFOND + 1 rows (a LIMIT inside the COUNT), so the count and the
    deepest page offered read at most that many index entries, at 10,000 requests as at
    several millions. Agents work from the oldest request and narrow with the filters; an
    exact count of a national queue would scan it at every page view."""

    plafond = PLAFOND

    def __init__(
        self, object_list, per_page, *, taille: int | None = None, estimer: int | None = None
    ):
        """`taille`: the number of rows when already known (the unfiltered queue, from the
        counters: queries.taille_de_la_file), not counted again. `estimer`: the size of the
        queue searched (a search by name, on PostgreSQL), to take the planner's estimate
        of the rows when far above the cap rather than counting them."""
        super().__init__(object_list, per_page)
        self._taille = taille
        self._estimer = estimer
        self.estime = False  # the count is the planner's estimate

    @cached_property
    def _compte_borne(self) -> int:
        if self._taille is not None:
            return min(self._taille, self.plafond + 1)
        # A search the planner expects to match five times the cap is not counted: « plus
        # de 1 000 » at once. Counting a common first name up to the cap read ~20,000 rows at
        # a million requests (each name compared three times), most of the search's time; the
        # planner's estimate of a name it keeps statistics for is close, and one it does not
        # know it puts low (counted then, through the trigram indexes).
        # Asked only of a queue that large (the estimate costs the query's build).
        seuil = 5 * self.plafond
        if (self._estimer or 0) >= seuil and (
            _estimation(self.object_list.order_by().values("pk")) >= seuil
        ):
            self.estime = True
            return self.plafond + 1
        if compter := getattr(self.object_list, "compter", None):
            return compter(self.plafond + 1)  # compiled (queries.FileFiltree)
        # Ids only, in no order: neither the rows' annotations nor the page's sort are
        # computed for the rows counted, which an index-only scan then reads.
        return self.object_list.order_by().values("pk")[: self.plafond + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._compte_borne, self.plafond)

    @property
    def plafonne(self) -> bool:
        """More requests than the pages offer: the page says « plus de … »."""
        return self._compte_borne > self.plafond

    def page(self, number):
        """A page past the last of an estimated count: counted, and the last page then."""
        page = super().page(number)
        if self.estime and page.number > 1 and not page.object_list:
            self.estime, self._estimer = False, None
            for nom in ("_compte_borne", "count", "num_pages"):
                self.__dict__.pop(nom, None)
            return self.get_page(number)
        return page


def _estimation(queryset) -> int:
    """The planner's estimate of `queryset`'s rows (PostgreSQL: EXPLAIN, not run); 0
    elsewhere, where nothing is estimated."""
    connexion = connections[queryset.db]
    if connexion.vendor != "postgresql":
        return 0
    sql, parametres = queryset.query.sql_with_params()
    with connexion.cursor() as curseur:
        curseur.execute("EXPLAIN (FORMAT JSON) " + sql, parametres)
        (plan,) = curseur.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
