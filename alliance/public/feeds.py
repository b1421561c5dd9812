"""Atom feeds: new articles, and changes to who belongs to which coalition.

Each feed names its author (RFC 4287 requires one), every entry id is an absolute IRI,
and summaries are plain text (`type="text"`): editors' notes are never read as HTML.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from alliance.asof import today
from alliance.models import Article, Membership, Paragraph

FEED_LENGTH = 50
#: The date in the entries' tag URIs (RFC 4151): when the record's subject began.
TAG_DATE = "2023-12"


class TextAtomFeed(Atom1Feed):
    """Atom with plain-text summaries: a `<b>` typed by an editor stays the text `<b>`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class RecordFeed(Feed):
    """A feed whose Last-Modified is the record's, set by `record_page` like every page's."""

    feed_type = TextAtomFeed
    author_name = _("AI Alliance record")

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        del response["Last-Modified"]
        return response

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        host = split_domain_port(request.get_host())[0].strip("[]") or "localhost"
        for item in feed.items:
            # An id that is a path becomes a tag URI under this host: absolute and stable.
            if item["unique_id"] and item["unique_id"].startswith("/"):
                item["unique_id"] = f"tag:{host},{TAG_DATE}:{item['unique_id']}"
        return feed


class ArticleFeed(RecordFeed):
    title = _("AI Alliance record: articles")
    subtitle = _("The articles the record is built from.")

    def link(self):
        return reverse("public:article-list")

    def items(self):
        lead = Paragraph.objects.filter(number=1)
        return Article.objects.public().prefetch_related(
            Prefetch("paragraphs", queryset=lead, to_attr="lead")
        )[:FEED_LENGTH]

    def item_title(self, item):
        return str(item.local_title)

    def item_description(self, item):
        return item.lead[0].text if item.lead else ""

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time()))

    def item_updateddate(self, item):
        return item.updated_at


class MembershipFeed(RecordFeed):
    """Each membership as it stands after its last change; an edit makes a new entry.

    This is "when the record said so". Each entry says the membership's state today by
    the one rule: a member, a former member, notably absent, or a claim corrected (or
    whose sources were retracted) that no longer counts.
    """

    title = _("AI Alliance record: membership changes")
    subtitle = _("Founders, members and notable absentees of each coalition, as edited.")

    def link(self):
        return reverse("public:coalition-list")

    def items(self):
        return (
            Membership.objects.public()
            .select_related("member", "coalition")
            .order_by("-updated_at", "slug")[:FEED_LENGTH]
        )

    def item_title(self, item):
        words = {
            "member": item.member,
            "role": item.get_role_display(),
            "coalition": item.coalition,
        }
        if not item.counts:
            return (
                _("%(member)s, %(coalition)s: reported as %(role)s, corrected, not counted") % words
            )
        if item.is_absence:
            return _("%(member)s: notably absent from %(coalition)s") % words
        if not item.counts_as_member_on(today()) and item.ended_on is not None:
            return _("%(member)s: former member of %(coalition)s (%(role)s)") % words
        return _("%(member)s: %(role)s, %(coalition)s") % words

    def item_description(self, item):
        parts = [str(item.get_status_display())]
        when = item.period_in_words()
        if when:
            parts.append(str(when))
        if item.is_disputed:
            parts.append(str(item.localised("correction")))
        return "; ".join(parts)

    def item_link(self, item):
        return f"{item.coalition.get_absolute_url()}#{item.slug}"

    def item_guid(self, item):
        # A new version is a new entry: readers see the change. (Made a tag URI above.)
        return f"/memberships/{item.slug}/versions/{item.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.updated_at

    def item_updateddate(self, item):
        return item.updated_at
