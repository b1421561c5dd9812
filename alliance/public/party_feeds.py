"""Atom feeds of one organisation, person or coalition: the facts about it, as edited.

Each entry is a fact as it stands after its last change (an edit makes a new entry, as
in the membership feed), with the passage that states it and, when it is disputed or
corrected, the correction. Only public facts: drafts, and facts resting on a draft
article, stay out. One query per kind of fact, whatever the number of facts.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from alliance.models import (
    AISystem,
    Coalition,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Role,
)
from alliance.public.feeds import FEED_LENGTH, RecordFeed

CITED = ("citation__article", "citation__paragraph")


def latest(querysets):
    """The FEED_LENGTH facts edited last, across the querysets (one query each)."""
    facts = []
    for queryset in querysets:
        facts += list(
            queryset.public().select_related(*CITED).order_by("-updated_at", "slug")[:FEED_LENGTH]
        )
    facts.sort(key=lambda fact: (fact.updated_at, fact.slug), reverse=True)
    return facts[:FEED_LENGTH]


class PartyFeed(RecordFeed):
    """The facts about one party; subclasses say which party and which facts."""

    kind_label = ""

    def get_object(self, request, slug):
        return get_object_or_404(self.parties(), slug=slug)

    def parties(self):
        raise NotImplementedError

    def facts(self, party):
        raise NotImplementedError

    def title(self, party):
        return _("AI Alliance record: %(name)s") % {"name": str(party)}

    def subtitle(self, party):
        return _("Facts about %(name)s on record, as edited, each with its source.") % {
            "name": str(party)
        }

    def link(self, party):
        return party.get_absolute_url()

    def items(self, party):
        return latest(self.facts(party))

    def item_title(self, item):
        return f"{item} ({item.get_status_display()})" if item.is_disputed else str(item)

    def item_description(self, item):
        text = f"« {item.citation.passage} »"
        if item.is_disputed:
            text += f"\n{item.get_status_display()}: {item.localised('correction')}"
        return text

    def item_link(self, item):
        # The page that shows the fact, at the fact itself.
        url = item.get_absolute_url()
        return url if "#" in url else f"{url}#{item.slug}"

    def item_guid(self, item):
        # A new version is a new entry: readers see the change (made a tag URI by RecordFeed).
        return f"/{item._meta.model_name}s/{item.slug}/versions/{item.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.updated_at

    def item_updateddate(self, item):
        return item.updated_at


class OrganisationFeed(PartyFeed):
    def parties(self):
        return Organisation.objects.exclude(kind=OrganisationKind.COALITION)

    def facts(self, organisation):
        return [
            Membership.objects.filter(member=organisation).select_related("member", "coalition"),
            Role.objects.filter(organisation=organisation).select_related("person", "organisation"),
            Position.objects.filter(organisation=organisation).select_related(
                "organisation", "topic"
            ),
            AISystem.objects.filter(owner=organisation).select_related("owner"),
        ]


class PersonFeed(PartyFeed):
    def parties(self):
        return Person.objects.all()

    def facts(self, person):
        return [
            Role.objects.filter(person=person).select_related("person", "organisation"),
            Position.objects.filter(person=person).select_related("person", "topic"),
        ]


class CoalitionFeed(PartyFeed):
    def parties(self):
        return Coalition.objects.all()

    def facts(self, coalition):
        return [
            Membership.objects.filter(coalition=coalition).select_related("member", "coalition"),
            Position.objects.filter(organisation=coalition).select_related("organisation", "topic"),
        ]
