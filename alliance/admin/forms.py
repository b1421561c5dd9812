"""Forms shared by the admin: edits refused when the record moved on, citations by passage."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from alliance.models import Article, Citation, OrganisationKind

# Bookkeeping that changes at every save: left out of the diffs between versions.
NOT_DIFFED = ["version", "updated_at", "search_text"]


class OpenedVersionField(forms.IntegerField):
    """The version the editor opened; never counts as a change the editor made."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionLockedForm(forms.ModelForm):
    """Refuses to save over a version newer than the one the editor opened.

    The check locks the row (SELECT ... FOR UPDATE) inside the admin's transaction, so
    nobody can save between the check and this save: the first edit always survives.
    """

    opened_version = OpenedVersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.opened_at()

    @property
    def is_revert(self):
        """A revert from the history page: the form starts from an old version."""
        return hasattr(self.instance, "_history")

    def opened_at(self):
        if self.is_revert:
            # A revert from the history page starts from the row as it is now.
            return self.current_rows().values_list("version", flat=True).first()
        return self.instance.version

    def current_rows(self):
        return type(self.instance)._base_manager.filter(pk=self.instance.pk)

    def clean(self):
        cleaned_data = super().clean()
        # A form the editor left untouched is not saved (ContentAdmin.save_model), so it
        # cannot overwrite anyone: only changed rows are checked, one by one.
        if self.instance.pk is not None and (self.is_revert or self.has_changed()):
            self.check_version(cleaned_data.get("opened_version"))
        return cleaned_data

    def check_version(self, opened):
        current = self.current_rows().select_for_update().values_list("version", flat=True)
        current = current.first()
        if current is None:
            raise ValidationError(
                _("This %(model)s was deleted after you opened it; nothing was saved."),
                code="edit_conflict",
                params={"model": self.instance._meta.verbose_name},
            )
        if opened is None or opened < current:
            raise ValidationError(self.conflict(opened, current), code="edit_conflict")
        # Counting on from the stored version, even when the form started from an old one.
        self.instance.version = current

    def conflict(self, opened, current):
        """The message refusing an edit based on an old version; rebases the input.

        The editor's input stays on the page, now based on the current version: fields
        only the other editor changed take their new values, fields this editor changed
        keep theirs. Saving again, once they have read what changed, keeps both.
        """
        history = self.instance.history.select_related("history_user")
        latest = history.order_by("-history_date", "-history_id").first()
        then = None
        if opened is not None:
            then = history.filter(version=opened).order_by("-history_date", "-history_id")
            then = then.first()
        delta = (
            latest.diff_against(then, excluded_fields=NOT_DIFFED, foreign_keys_are_objs=False)
            if latest is not None and then is not None
            else None
        )
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = str(current)
        if delta is not None:
            self.rebase(delta)
        who = (
            latest.history_user.get_username()
            if latest and latest.history_user
            else _("someone else")
        )
        when = localize(localtime(latest.history_date)) if latest else ""
        message = _(
            "Edit conflict: %(who)s saved this %(model)s (%(what)s) on %(when)s, after you "
            "opened it. You opened version %(opened)s; it is now at version %(current)s. "
            "Your changes were NOT saved."
        ) % {
            "who": who,
            "model": self.instance._meta.verbose_name,
            "what": self.instance,
            "when": when,
            "opened": opened if opened is not None else "?",
            "current": current,
        }
        if delta is not None and delta.changes:
            changes = "; ".join(self.describe(change) for change in delta.changes)
            message += " " + _("Changed meanwhile: %(changes)s.") % {"changes": changes}
        return (
            message
            + " "
            + _(
                "Your input is still on this page: compare it with the changes above, then "
                "save again to keep it."
            )
        )

    def describe(self, change):
        field = self.instance._meta.get_field(change.field)
        values = []
        for value in (change.old, change.new):
            if value is not None and field.is_relation:
                related = field.related_model._base_manager.filter(pk=value).first()
                value = related if related is not None else value
            values.append("" if value is None else value)
        return _("%(field)s: “%(old)s” → “%(new)s”") % {
            "field": field.verbose_name,
            "old": values[0],
            "new": values[1],
        }

    def rebase(self, delta):
        """Give the fields that only the other editor changed their current values."""
        for change in delta.changes:
            name = self.instance._meta.get_field(change.field).name
            if name not in self.fields or name not in self.cleaned_data:
                continue
            mine = self.cleaned_data[name]
            mine = getattr(mine, "pk", mine)
            if mine in ("", None) and change.old in ("", None):
                mine = change.old
            if mine != change.old:
                continue  # this editor changed it too: their value stays, for them to judge
            key = self.add_prefix(name)
            if change.new is None or change.new is False:
                self.data.pop(key, None)
            elif change.new is True:
                self.data[key] = "on"
            elif hasattr(change.new, "isoformat"):
                self.data[key] = change.new.isoformat()
            else:
                self.data[key] = str(change.new)


class InlineVersionLockedForm(VersionLockedForm):
    pass


class CoalitionForm(VersionLockedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set before validation, so that the rules for coalitions (a declared member
        # count) apply to a new one too; the proxy's save() would set it only later.
        self.instance.kind = OrganisationKind.COALITION


class ParagraphForm(InlineVersionLockedForm):
    def clean_text(self):
        text = self.cleaned_data["text"]
        if self.instance.pk is not None:
            lost = [
                citation.passage
                for citation in self.instance.citations.all()
                if citation.passage not in text
            ]
            if lost:
                raise ValidationError(
                    _("Facts cite this paragraph with passages the new text drops: %(lost)s")
                    % {"lost": "; ".join(_("“%(passage)s”") % {"passage": p} for p in lost)},
                    code="citation_lost",
                )
        return text


class CitedFactForm(VersionLockedForm):
    """A fact's form that takes its source as an article and a passage pasted from it.

    The pair finds the existing citation or makes a new one; a passage the article does
    not hold is refused, and then nothing at all is saved.
    """

    article = forms.ModelChoiceField(
        label=_("Article"),
        queryset=Article.objects.all(),
        help_text=_("The article that states this fact."),
    )
    passage = forms.CharField(
        label=_("Passage"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Paste the sentence or phrase that states the fact, word for word, accents and "
            "typographic apostrophes (’) included."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.citation = None
        if self.instance.citation_id is not None:
            self.initial.setdefault("article", self.instance.citation.article_id)
            self.initial.setdefault("passage", self.instance.citation.passage)
        elif "article" not in self.initial:
            # New facts mostly come from the latest article.
            latest = Article.objects.order_by("-published_on").values_list("pk", flat=True)
            self.initial["article"] = latest.first()

    def clean(self):
        cleaned_data = super().clean()
        article, passage = cleaned_data.get("article"), cleaned_data.get("passage")
        if article is not None and passage:
            self.citation = self.find_citation(article, passage)
        return cleaned_data

    def find_citation(self, article, passage):
        citation = Citation.objects.filter(article=article, passage=passage).first()
        if citation is not None:
            return citation
        citation = Citation(article=article, passage=passage)
        try:
            citation.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error("article" if field == "article" else "passage", messages)
            return None
        return citation

    def save(self, commit=True):
        # Runs only once every form of the page is valid, inside the admin's transaction.
        if self.citation is not None:
            if self.citation.pk is None:
                # Several facts of one page may cite the same new passage: the first one
                # saved makes the citation, the others share it.
                stored = Citation.objects.filter(
                    article=self.citation.article, passage=self.citation.passage
                ).first()
                if stored is None:
                    self.citation.save()
                else:
                    self.citation = stored
            self.instance.citation = self.citation
            if self.citation.article.draft and self.instance.pk is None:
                # A fact taken from a draft article waits with it, to be published with
                # it by someone allowed to (ArticleAdmin's "publish" action).
                self.instance.draft = True
        return super().save(commit)


class CitedFactInlineForm(CitedFactForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Narrow enough for a table row (alliance/admin.css): long article titles are cut,
        # passages wrap.
        self.fields["article"].widget.attrs["class"] = "citation-article"
        self.fields["passage"].widget.attrs.update(rows=2, cols=36)
