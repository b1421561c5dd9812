"""What the page views share: conditional GET, the joins a cited fact needs, the day a
page shows, filtered lists."""

from django import forms
from django.db.models import Q
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from alliance.models import Claim, Person, Relation
from alliance.models.relations import CLAIM_PARTIES, RELATION_PARTIES
from alliance.public.caching import record_page
from alliance.public.filters import AsOfFilter
from alliance.public.paging import paginate

#: A fact's citation with the article and paragraph its link points to.
CITED = ("citation__article", "citation__paragraph__article")
#: The passage a correction comes from, when an article on record states it.
CORRECTION_CITED = ("correction_citation__article", "correction_citation__paragraph__article")
#: The passages that date a period's start and end, when they are not the fact's own.
PERIOD_CITED = (
    "start_citation__article",
    "start_citation__paragraph__article",
    "end_citation__article",
    "end_citation__paragraph__article",
)


def sourced(queryset, *related):
    """Public facts with every passage the page shows of them (the first, the later ones,
    the correction's), in a fixed number of queries whatever the number of facts."""
    return queryset.public().select_related(*CITED, *CORRECTION_CITED, *related).with_sources()


def said_about(party):
    """What the sources say of an organisation or a person that is not a stance: the
    relations it is either side of, and the claims about it or said by it."""
    field = "person" if isinstance(party, Person) else "organisation"
    relations = Relation.objects.filter(
        Q(**{f"subject_{field}": party}) | Q(**{f"object_{field}": party})
    )
    claims = Claim.objects.filter(Q(**{f"about_{field}": party}) | Q(**{f"said_by_{field}": party}))
    return (
        list(sourced(relations, *RELATION_PARTIES).order_by("kind", "slug")),
        list(sourced(claims, *CLAIM_PARTIES).order_by("citation__paragraph__number", "slug")),
    )


def sourced_periods(queryset, *related):
    """`sourced()` for facts in time: with the passages dating their periods too."""
    return sourced(queryset, *PERIOD_CITED, *related)


def filter_errors(request, filterset):
    """A sentence for each parameter the query string got wrong, naming it."""
    if not filterset.is_bound or filterset.is_valid():
        return []
    form = filterset.form
    errors = []
    for name in form.errors:
        words = {"label": form.fields[name].label, "name": name, "value": request.GET[name][:60]}
        if isinstance(form.fields[name], forms.DateField):
            errors.append(
                _("%(label)s (%(name)s): “%(value)s” is not a date; write it YYYY-MM-DD.") % words
            )
        else:
            errors.append(_("%(label)s: “%(value)s” is not one of the choices.") % words)
    return errors


@method_decorator(record_page, name="dispatch")
class RecordDetail(DetailView):
    """A detail page answering conditional requests."""


class AsOfDetail(RecordDetail):
    """A detail page that shows the record as it stood in the world on `?as_of=`.

    A day that is not a date answers 400 with a page that names the field and shows the
    record as it stands today.
    """

    def get(self, request, *args, **kwargs):
        self.as_of = AsOfFilter(request.GET or None)
        self.day = self.as_of.day
        self.object = self.get_object()
        elsewhere = self.elsewhere(self.object)
        if elsewhere is not None:
            return elsewhere
        context = self.get_context_data(object=self.object)
        valid = not self.as_of.is_bound or self.as_of.is_valid()
        return self.render_to_response(context, status=200 if valid else 400)

    def elsewhere(self, obj):
        """A response sending the reader to `obj`'s own page, when this is not it."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            day=self.day,
            as_of=self.as_of,
            as_of_asked=self.as_of.asked,
            filter_errors=filter_errors(self.request, self.as_of),
        )
        return context


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
            filter_errors=filter_errors(self.request, self.filterset),
        )
        return context
