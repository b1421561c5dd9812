"""Lists count their rows once per record version, not on every request.

A list of 100,000 positions spends most of a request counting them for its pagination
(a join over the whole table). The count only changes with the record, so it is kept
per version (`alliance.freshness.once_per_version`), keyed by the query that counts.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from alliance import freshness


class CountedPaginator(Paginator):
    """A paginator whose count is made once per record version and query."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return Paginator.count.func(self)
        sql, params = query.sql_with_params()
        return freshness.once_per_version(
            ("count", sql, params), lambda: Paginator.count.func(self)
        )
