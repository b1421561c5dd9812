"""Pagination that forgives a bad `?page=`: a notice and the nearest real page, never a 500."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.utils.translation import gettext as _

from alliance.counting import CountedPaginator


@dataclass
class Paged:
    page: Page
    notice: str = ""

    @property
    def object_list(self):
        return self.page.object_list


def paginate(request, queryset, per_page):
    """Return the requested page of `queryset`, with a notice when `?page=` was unusable."""
    paginator = CountedPaginator(queryset, per_page)
    raw = request.GET.get("page", "").strip()
    notice = ""
    try:
        number = int(raw) if raw else 1
    except ValueError:
        number = 1
        notice = _("“%(page)s” is not a page number: here is the first page.") % {"page": raw[:20]}
    if number < 1:
        number = 1
        notice = _("Pages start at 1: here is the first page.")
    elif number > paginator.num_pages:
        notice = _("There is no page %(page)d; the last page is %(last)d: here it is.") % {
            "page": number,
            "last": paginator.num_pages,
        }
        number = paginator.num_pages
    return Paged(page=paginator.page(number), notice=notice)
