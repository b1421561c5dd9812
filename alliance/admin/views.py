"""The admin's pages across every content model: the Activity page and the deleted list."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.admin.feed import Action, Feed, history_querysets, models_by_label
from alliance.admin.fields import IsoDateField
from alliance.admin.history import BASELINE
from alliance.admin.restore import RestoreRefused, restore
from alliance.admin.translations import translations_to_do

PER_PAGE = 50
SYSTEM_REASONS = {*Action.BY_REASON.values(), BASELINE}


def visible_models(request):
    return [
        model
        for model in models_by_label().values()
        if request.user.has_perm(f"alliance.view_{model._meta.model_name}")
    ]


class FeedFilters(forms.Form):
    editor = forms.ModelChoiceField(
        label=gettext_lazy("Editor"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("everyone"),
    )
    model = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("every action")), *Action.CHOICES],
    )
    since = IsoDateField(label=gettext_lazy("From"), required=False)
    until = IsoDateField(label=gettext_lazy("Until"), required=False)

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = (
            get_user_model().objects.filter(is_staff=True).order_by("username")
        )
        self.fields["model"].choices = [
            ("", gettext_lazy("every kind")),
            *sorted(
                ((model._meta.label_lower, model._meta.verbose_name_plural) for model in models),
                key=lambda choice: str(choice[1]),
            ),
        ]


def admin_url(name, *args):
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return None


def public_url(instance):
    """The public page of a row, without a query per row: the article's for a passage."""
    try:
        if hasattr(instance, "paragraph_id") and hasattr(instance, "article_id"):
            return f"{instance.article.get_absolute_url()}#p{instance.paragraph.number}"
        return instance.get_absolute_url()
    except Exception:  # a part of it is gone, or it has no page
        return None


def describe(entries):
    rows = []
    for entry in entries:
        record, opts = entry.record, entry.model._meta
        history = admin_url(f"alliance_{opts.model_name}_history", record.id)
        rows.append(
            {
                "entry": entry,
                "record": record,
                "action": entry.action,
                "action_label": dict(Action.CHOICES)[entry.action],
                "kind": opts.verbose_name,
                "text": entry.text,
                # The reasons commands write are told by the action column, translated.
                "why": ""
                if record.history_change_reason in SYSTEM_REASONS
                else record.history_change_reason or "",
                "history_url": history,
                "public_url": None
                if entry.action == Action.DELETED
                else public_url(entry.instance),
            }
        )
    return rows


def page_of(request, querysets):
    paginator = Paginator(Feed(querysets), PER_PAGE)
    return paginator.get_page(request.GET.get("p"))


def paging_context(request):
    params = request.GET.copy()
    params.pop("p", None)
    return {"query": bool(params), "query_without_page": params.urlencode()}


def drafts_waiting(request):
    """Draft articles, and the draft facts of each kind, waiting for someone to publish
    them: one query for the articles and one per kind of fact, whatever their number."""
    from alliance.admin.articles import FACT_MODELS
    from alliance.models import Article

    if not request.user.has_perm("alliance.view_article"):
        return None
    articles = list(Article.objects.filter(draft=True).order_by("-updated_at")[:PER_PAGE])
    for article in articles:
        article.admin_url = admin_url("alliance_article_change", article.pk)
    facts = []
    for model in FACT_MODELS:
        opts = model._meta
        if not request.user.has_perm(f"alliance.view_{opts.model_name}"):
            continue
        count = model.objects.filter(draft=True).count()
        if count:
            changelist = admin_url(f"alliance_{opts.model_name}_changelist")
            facts.append(
                {
                    "count": count,
                    "kind": opts.verbose_name_plural,
                    "url": f"{changelist}?draft__exact=1",
                }
            )
    return {"articles": articles, "facts": facts}


def activity_view(request, site):
    models = visible_models(request)
    if not models:
        raise PermissionDenied
    form = FeedFilters(request.GET or None, models=models)
    chosen = models
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["model"]:
            chosen = [model for model in models if model._meta.label_lower == data["model"]]
        filters = {
            "user": data["editor"],
            "since": data["since"],
            "until": data["until"],
            "action": data["action"] or None,
        }
    page = page_of(request, history_querysets(chosen, **filters))
    context = {
        **site.each_context(request),
        "title": _("Activity: every change, newest first"),
        "form": form,
        "page": page,
        "rows": describe(page.object_list),
        "translations": translations_to_do(),
        "drafts": drafts_waiting(request),
        **paging_context(request),
    }
    return render(request, "admin/alliance/activity.html", context)


def deleted_view(request, site):
    models = visible_models(request)
    if not models:
        raise PermissionDenied
    label = request.GET.get("model", "")
    chosen = [model for model in models if not label or model._meta.label_lower == label]
    page = page_of(request, history_querysets(chosen, deleted=True))
    rows = describe(page.object_list)
    for row in rows:
        model = row["entry"].model
        row["can_restore"] = request.user.has_perm(f"alliance.add_{model._meta.model_name}")
        row["restore_url"] = reverse(
            "admin:alliance_restore", args=[model._meta.label_lower, row["record"].history_id]
        )
    context = {
        **site.each_context(request),
        "title": _("Deleted records"),
        "page": page,
        "rows": rows,
        "models": sorted(
            ((model._meta.label_lower, model._meta.verbose_name_plural) for model in models),
            key=lambda choice: str(choice[1]),
        ),
        "chosen": label,
        **paging_context(request),
    }
    return render(request, "admin/alliance/deleted.html", context)


def restore_view(request, site, label, history_id):
    if request.method != "POST":
        return HttpResponseRedirect(reverse("admin:alliance_deleted"))
    model = models_by_label().get(label)
    if model is None:
        raise Http404
    if not request.user.has_perm(f"alliance.add_{model._meta.model_name}"):
        raise PermissionDenied
    try:
        instance = restore(model, history_id, request.user)
    except RestoreRefused as refusal:
        messages.error(request, str(refusal))
        return HttpResponseRedirect(reverse("admin:alliance_deleted"))
    messages.success(
        request,
        _("“%(what)s” is back in the record, with its history.") % {"what": instance},
    )
    change = admin_url(f"alliance_{instance._meta.model_name}_change", instance.pk)
    return HttpResponseRedirect(change or reverse("admin:alliance_deleted"))


def extend_site(site):
    """Add the Activity page and the deleted list to the admin site's URLs."""
    from django.urls import path

    original = site.get_urls

    def get_urls():
        return [
            path(
                "activity/",
                site.admin_view(lambda request: activity_view(request, site)),
                name="alliance_activity",
            ),
            path(
                "deleted/",
                site.admin_view(lambda request: deleted_view(request, site)),
                name="alliance_deleted",
            ),
            path(
                "deleted/<str:label>/<int:history_id>/restore/",
                site.admin_view(
                    lambda request, label, history_id: restore_view(
                        request, site, label, history_id
                    )
                ),
                name="alliance_restore",
            ),
            *original(),
        ]

    site.get_urls = get_urls
