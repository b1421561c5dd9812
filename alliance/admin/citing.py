"""An article's paragraphs with their mentions, and "cite by selecting".

The article's admin page shows each paragraph with the organisations, people and AI
systems on record highlighted, the names that match nothing (one click from creating
them), and the facts its phrasing suggests (one click from confirming them). Words
selected in a paragraph and a kind of fact chosen (alliance/admin-cite.js) come to
`cite_view`, which opens that fact's form with the article, the passage and the records
the passage mentions filled in.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.intake.mentions import AI_SYSTEM, ORGANISATION, PERSON, Gazetteer
from alliance.intake.review import review_article
from alliance.models import Article, MembershipRole

# The review of paragraphs, with their mentions ------------------------------------------


def pieces(text, mentions):
    """The text cut into [(words, mention or None)], so a template can mark the mentions."""
    cut, position = [], 0
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start < position:
            continue
        if mention.start > position:
            cut.append((text[position : mention.start], None))
        cut.append((text[mention.start : mention.end], mention))
        position = mention.end
    if position < len(text):
        cut.append((text[position:], None))
    return cut


def labelled(suggestion, labels):
    """A suggestion with the names of what it names, for the page (slugs for programs)."""
    shown = {key: labels.get(value, value) for key, value in suggestion.items()}
    if suggestion["kind"] == "membership":
        shown["role"] = MembershipRole(suggestion["role"]).label
    return shown


def paragraphs_for_review(review, article=None):
    labels = {m.entity.slug: m.entity.label for m in review.mentions}
    rows = []
    for number, section, text in review.paragraphs:
        mentions, candidates, suggestions = review.in_paragraph(number)
        rows.append(
            {
                "number": number,
                "section": section,
                "pieces": pieces(text, mentions),
                "entities": list(dict.fromkeys(m.entity for m in mentions)),
                "candidates": [
                    {"words": c.words, "links": candidate_links(c.words)} for c in candidates
                ],
                "suggestions": [
                    {
                        **labelled(s, labels),
                        "url": suggestion_url(s, article, review) if article else None,
                    }
                    for s in suggestions
                ],
            }
        )
    return rows


def add_url(model_name, **initial):
    query = urlencode({key: value for key, value in initial.items() if value not in (None, "")})
    return f"{reverse(f'admin:alliance_{model_name}_add')}?{query}"


def candidate_links(words):
    # The slug too: the admin makes it from the name only as the name is typed.
    return [
        (_("organisation"), add_url("organisation", name=words, slug=slugify(words))),
        (_("person"), add_url("person", name=words, slug=slugify(words))),
    ]


def suggestion_url(suggestion, article, review):
    pks = {(m.entity.type, m.entity.slug): m.entity.pk for m in review.mentions}
    common = {"article": article.pk, "passage": suggestion["passage"]}
    if suggestion["kind"] == "membership":
        return add_url(
            "membership",
            member=pks[(ORGANISATION, suggestion["member"])],
            coalition=pks[(ORGANISATION, suggestion["coalition"])],
            role=suggestion["role"],
            **common,
        )
    return add_url(
        "role",
        person=pks[(PERSON, suggestion["person"])],
        organisation=pks[(ORGANISATION, suggestion["organisation"])],
        title=suggestion["title"],
        **common,
    )


def article_review_context(article):
    review = review_article(article)
    return {
        "intake_paragraphs": paragraphs_for_review(review, article),
        "cite_url": reverse("admin:alliance_article_cite", args=[article.pk]),
        "fact_kinds": FACT_KINDS,
    }


# Cite by selecting --------------------------------------------------------------------

FACT_KINDS = [
    ("membership", gettext_lazy("membership")),
    ("role", gettext_lazy("role")),
    ("position", gettext_lazy("position")),
    ("aisystem", gettext_lazy("AI system")),
    ("relation", gettext_lazy("relation")),
]


def cite_view(request, model_admin, object_id):
    """Open the form of a fact citing the passage selected, its entities preselected."""
    article = get_object_or_404(Article, pk=object_id)
    back = reverse("admin:alliance_article_change", args=[article.pk])
    kind = request.GET.get("kind", "")
    passage = " ".join(request.GET.get("passage", "").split())
    if kind not in dict(FACT_KINDS) or not passage:
        messages.error(request, _("Select words in one paragraph, then choose a kind of fact."))
        return HttpResponseRedirect(back)
    paragraph = article.find_passage(passage)
    if paragraph is None:
        messages.error(
            request,
            _(
                "The words selected are not in one paragraph of this article word for word: "
                "select them within a single paragraph."
            ),
        )
        return HttpResponseRedirect(back)
    found = Gazetteer.from_record().find(passage)
    entities = list(dict.fromkeys(mention.entity for mention in found))
    organisations = [e for e in entities if e.type == ORGANISATION and not e.is_outlet]
    coalitions = [e for e in organisations if e.is_coalition]
    members = [e for e in organisations if not e.is_coalition]
    people = [e for e in entities if e.type == PERSON]
    systems = [e for e in entities if e.type == AI_SYSTEM]
    first = lambda items: items[0].pk if items else None  # noqa: E731
    common = {"article": article.pk, "passage": passage}
    if kind == "membership" and coalitions:
        # Every organisation of the passage, one row each, on the coalition's page: one
        # save adds them all, sharing one citation.
        query = urlencode(
            {
                "cite_article": article.pk,
                "cite_passage": passage,
                "cite_members": ",".join(str(e.pk) for e in members),
            }
        )
        url = reverse("admin:alliance_coalition_change", args=[coalitions[0].pk])
        return HttpResponseRedirect(f"{url}?{query}")
    if kind == "membership":
        return HttpResponseRedirect(add_url("membership", member=first(members), **common))
    if kind == "role":
        url = add_url("role", person=first(people), organisation=first(members), **common)
        return HttpResponseRedirect(url)
    if kind == "position":
        holder = {"person": first(people)} if people else {"organisation": first(members)}
        return HttpResponseRedirect(add_url("position", **holder, **common))
    if kind == "aisystem":
        name = found_words(found, systems) or ""
        return HttpResponseRedirect(add_url("aisystem", name=name, owner=first(members), **common))
    parties = [*members, *people]
    relation = {}
    for side, party in zip(("subject", "object"), parties[:2], strict=False):
        relation[f"{side}_{'person' if party.type == PERSON else 'organisation'}"] = party.pk
    return HttpResponseRedirect(add_url("relation", **relation, **common))


def found_words(mentions, entities):
    for mention in mentions:
        if mention.entity in entities:
            return mention.entity.label
    return None


def membership_rows(request):
    """Initial rows for the coalition page's memberships, from "cite by selecting"."""
    try:
        article = int(request.GET["cite_article"])
        members = [int(pk) for pk in request.GET.get("cite_members", "").split(",") if pk]
    except (KeyError, ValueError):
        return []
    passage = request.GET.get("cite_passage", "")
    rows = [
        {"member": pk, "role": "member", "article": article, "passage": passage} for pk in members
    ]
    return rows or [{"article": article, "passage": passage}]
