"""Lists count their rows once per record version, not on every request.

A list of 100,000 positions spends most of a request counting them for its pagination
(a scan of the whole table). The count only changes with the tables its query reads,
so it is kept per version of those tables (`alliance.freshness.once_per_version`), keyed
by the query that counts: an edit to an organisation's description leaves the count of
positions kept.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from alliance import freshness


class CountedPaginator(Paginator):
    """A paginator whose count is made once per query and version of the tables it reads."""

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query"):
            return Paginator.count.func(self)
        counted = self.object_list
        if not counted.query.combinator:
            # What the count reads: the rows joined only to be shown are not counted.
            counted = counted.select_related(None).prefetch_related(None).order_by()
        sql, params = counted.query.sql_with_params()
        return freshness.once_per_version(
            ("count", sql, params),
            lambda: Paginator.count.func(self),
            tables=freshness.tables_in(sql),
        )
