"""schema.org descriptions (JSON-LD) of the record's organisations, people and quotes."""

from django.urls import reverse

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
        "name": organisation.name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }
    if organisation.full_name:
        data["legalName"] = organisation.full_name
    if organisation.alias_list:
        data["alternateName"] = organisation.alias_list
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
    if roles:
        data["jobTitle"] = [role.title for role in roles]
        data["worksFor"] = [
            {
                "@type": "OrganizationRole",
                "roleName": role.title,
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
