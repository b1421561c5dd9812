"""Pages of `{"count", "next", "previous", "results"}`, of a bounded size.

A `page` or `page_size` that is not a whole number in range answers 400 naming the
parameter; a page past the last answers 404.
"""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from alliance.api.filtering import MAX_INTEGER
from alliance.counting import CountedPaginator


def _whole_number(request, name, maximum):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # Digits only: int() would also take " 5", "+5" and "5_0". Very long ones are refused
    # before conversion.
    ok = raw.isascii() and raw.isdigit() and len(raw) <= len(str(maximum))
    value = int(raw) if ok else None
    if value is None or not 1 <= value <= maximum:
        raise ValidationError(
            {name: [_("A whole number from 1 to %(maximum)d.") % {"maximum": maximum}]}
        )
    return value


class Pagination(PageNumberPagination):
    django_paginator_class = CountedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        return _whole_number(request, self.page_size_query_param, self.max_page_size) or (
            self.page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        number = _whole_number(request, self.page_query_param, MAX_INTEGER) or 1
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(_("There is no page %(number)d.") % {"number": number}) from error
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last answers 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Results per page, from 1 to {self.max_page_size} (default {self.page_size})."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
