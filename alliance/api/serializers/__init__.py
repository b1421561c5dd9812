"""How each record reads in JSON: its API URL, its public page, and its sources.

Relations are small summaries ({slug, name, url}), never bare ids. Every fact
(membership, absence, role, position, AI system) carries its citation: the article,
the paragraph number, the passage word for word, and a link to that paragraph.
"""

from alliance.api.serializers.facts import (
    AISystemSerializer,
    MembershipSerializer,
    PositionSerializer,
)
from alliance.api.serializers.resources import (
    ArticleSerializer,
    CitationDetailSerializer,
    CoalitionSerializer,
    OrganisationSerializer,
    PersonSerializer,
)

__all__ = [
    "AISystemSerializer",
    "ArticleSerializer",
    "CitationDetailSerializer",
    "CoalitionSerializer",
    "MembershipSerializer",
    "OrganisationSerializer",
    "PersonSerializer",
    "PositionSerializer",
]
