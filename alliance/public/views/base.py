"""What the page views share: conditional GET, the joins a cited fact needs, filtered lists."""

from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from alliance.public.caching import record_page
from alliance.public.paging import paginate

#: A fact's citation with the article and paragraph its link points to.
CITED = ("citation__article", "citation__paragraph__article")


@method_decorator(record_page, name="dispatch")
class RecordDetail(DetailView):
    """A detail page answering conditional requests."""


@method_decorator(record_page, name="dispatch")
class FilteredList(TemplateView):
    """A list with a FilterSet and forgiving pagination.

    An unknown filter value (`?kind=banana`) gives a 400 page that names the bad value
    and shows the list without that filter; a bad `?page=` shows the nearest page.
    """

    filterset_class = None
    paginate_by = 25

    def get_queryset(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset())
        valid = self.filterset.is_valid() if self.filterset.is_bound else True
        self.paged = paginate(request, self.filterset.qs, self.paginate_by)
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if valid else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            page_obj=self.paged.page,
            object_list=self.paged.object_list,
            page_notice=self.paged.notice,
            filter_errors=self.filter_errors(),
        )
        return context

    def filter_errors(self):
        if not self.filterset.is_bound or self.filterset.is_valid():
            return []
        form = self.filterset.form
        return [
            (form.fields[name].label, request_value, errors)
            for name, errors in form.errors.items()
            for request_value in [self.request.GET.get(name, "")[:60]]
        ]
