"""Queue pages whose cost does not grow with the queue."""

from django.core.paginator import Paginator
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

    def __init__(self, object_list, per_page, *, taille: int | None = None):
        """`taille`: the number of rows when already known (the unfiltered queue, from the
        counters: queries.taille_de_la_file), not counted again."""
        super().__init__(object_list, per_page)
        self._taille = taille

    @cached_property
    def _compte_borne(self) -> int:
        if self._taille is not None:
            return min(self._taille, self.plafond + 1)
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
