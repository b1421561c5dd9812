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
        return Article.objects.prefetch_related(
            Prefetch("paragraphs", queryset=lead, to_attr="lead")
        )[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead[0].text if item.lead else ""

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time()))

    def item_updateddate(self, item):
        return item.updated_at


class MembershipFeed(RecordFeed):
    """Each membership as it stands after its last change; an edit makes a new entry."""

    title = _("AI Alliance record: membership changes")
    subtitle = _("Founders, members and notable absentees of each coalition, as edited.")

    def link(self):
        return reverse("public:coalition-list")

    def items(self):
        return Membership.objects.select_related("member", "coalition").order_by(
            "-updated_at", "slug"
        )[:FEED_LENGTH]

    def item_title(self, item):
        return _("%(member)s: %(role)s, %(coalition)s") % {
            "member": item.member,
            "role": item.get_role_display(),
            "coalition": item.coalition,
        }

    def item_description(self, item):
        if item.is_disputed:
            return f"{item.get_status_display()}: {item.correction}"
        return item.get_status_display()

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
