"""schema.org descriptions (JSON-LD) of the record's organisations, people and quotes,
and a ClaimReview for each disputed or corrected fact, with the correction's source."""

from django.urls import reverse

from alliance.models import Citation
from alliance.registers import same_as

CONTEXT = "https://schema.org"


def _ref(request, obj, kind="Organization"):
    return {
        "@type": kind,
        "name": str(obj),
        "url": request.build_absolute_uri(obj.get_absolute_url()),
    }


def website(request):
    search = request.build_absolute_uri(reverse("public:search"))
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": "AI Alliance record",
        "url": request.build_absolute_uri(reverse("public:home")),
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{search}?q={{query}}",
            "query-input": "required name=query",
        },
    }


def organisation(request, organisation, memberships=(), members=()):
    """An Organization with the coalitions it belongs to and, for a coalition, its members."""
    data = {
        "@context": CONTEXT,
        "@type": "Organization",
        "name": str(organisation.local_name),
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }
    if organisation.full_name:
        data["legalName"] = organisation.full_name
    if organisation.alias_list:
        data["alternateName"] = organisation.alias_list
    addresses = same_as(organisation)
    if addresses:
        data["sameAs"] = addresses
    # Only what counts today: not an absence, not a corrected claim, not a period ended.
    member_of = [_ref(request, m.coalition) for m in memberships if m.counts_as_member_now]
    if member_of:
        data["memberOf"] = member_of
    member = [_ref(request, m.member) for m in members if m.counts_as_member_now]
    if member:
        data["member"] = member
    return data


def person(request, person, roles=()):
    """A Person with each title as an OrganizationRole (schema.org's role pattern)."""
    data = {
        "@context": CONTEXT,
        "@type": "Person",
        "name": person.name,
        "url": request.build_absolute_uri(person.get_absolute_url()),
    }
    addresses = same_as(person)
    if addresses:
        data["sameAs"] = addresses
    if roles:
        data["jobTitle"] = [str(role.localised("title")) for role in roles]
        data["worksFor"] = [
            {
                "@type": "OrganizationRole",
                "roleName": str(role.localised("title")),
                "worksFor": _ref(request, role.organisation),
            }
            for role in roles
        ]
    return data


def article(request, article):
    return {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        # ISO 8601 at the source's precision ("2023-12"): never a day it did not give.
        "datePublished": article.published_iso,
        "inLanguage": article.language,
        "url": request.build_absolute_uri(article.get_absolute_url()),
    }


def quotation(request, position):
    """A Quotation: the holder's own words, with the article paragraph they come from."""
    citation = position.citation
    holder = position.holder
    kind = "Person" if position.person_id else "Organization"
    source = citation.article
    return {
        "@context": CONTEXT,
        "@type": "Quotation",
        "text": citation.passage,
        "inLanguage": source.language,
        "creator": _ref(request, holder, kind),
        "url": request.build_absolute_uri(citation.get_absolute_url()),
        "isPartOf": {
            "@type": "NewsArticle",
            "headline": source.title,
            "url": request.build_absolute_uri(source.get_absolute_url()),
        },
    }


def quotations(request, positions):
    return [quotation(request, position) for position in positions if position.is_quote]


def claim_reviews(request, facts):
    """A ClaimReview for each disputed, corrected or retracted fact on a page.

    The claim is the source's passage, as it first appeared; the review is the record's
    correction, rated by its status, and based on the correction's own source: a page
    outside the record, or a passage of an article on record (read in one query).
    """
    disputed = [fact for fact in facts if fact.is_disputed]
    if not disputed:
        return []
    ids = {fact.correction_citation_id for fact in disputed if fact.correction_citation_id}
    corrections = (
        {
            c.pk: c
            for c in Citation.objects.filter(pk__in=ids).select_related("article", "paragraph")
        }
        if ids
        else {}
    )
    author = {
        "@type": "Organization",
        "name": "AI Alliance record",
        "url": request.build_absolute_uri(reverse("public:home")),
    }
    reviews = []
    for fact in disputed:
        citation = fact.citation
        source = citation.article
        review = {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "url": request.build_absolute_uri(f"{request.path}#{fact.slug}"),
            "claimReviewed": citation.passage,
            "itemReviewed": {
                "@type": "Claim",
                "appearance": {
                    "@type": "NewsArticle",
                    "headline": source.title,
                    "datePublished": source.published_iso,
                    "inLanguage": source.language,
                    "url": request.build_absolute_uri(citation.get_absolute_url()),
                },
            },
            "author": author,
            "datePublished": fact.updated_at.date().isoformat(),
            "reviewRating": {"@type": "Rating", "alternateName": fact.get_status_display()},
            "reviewBody": str(fact.localised("correction")),
        }
        based_on = []
        if fact.correction_source:
            based_on.append(
                {
                    "@type": "CreativeWork",
                    "name": fact.correction_source_title,
                    "url": fact.correction_source,
                }
            )
        if fact.correction_citation_id in corrections:
            passage = corrections[fact.correction_citation_id]
            based_on.append(
                {
                    "@type": "Quotation",
                    "text": passage.passage,
                    "url": request.build_absolute_uri(passage.get_absolute_url()),
                }
            )
        if based_on:
            review["isBasedOn"] = based_on
        reviews.append(review)
    return reviews
