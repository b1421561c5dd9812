"""Abstract bases shared by the content models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.search import SearchQuerySet


class SlugQuerySet(SearchQuerySet):
    """Rows are found by slug: fixtures carry slugs, never database ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Record(models.Model):
    """Timestamps and an edit counter for optimistic locking in the admin.

    Timestamps use defaults rather than auto_now so that `loaddata`, which saves
    raw rows, still fills them in.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one at each save; an edit based on an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)


class Searchable(models.Model):
    """A row with a folded `search_text`, filled from `search_source` before each save."""

    search_source = ()

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def search_words(self):
        return " ".join(str(getattr(self, name) or "") for name in self.search_source)


class SlugNamed(Record, Searchable):
    """A named row with a unique slug, which is also its natural key."""

    search_source = ("name",)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)
