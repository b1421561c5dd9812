"""How each record reads in JSON: its API URL, its public page, and its sources.

Relations are small summaries ({slug, name, url}), never bare ids. A list of
organisations, coalitions, people or articles gives each record's own fields, so that
a page of fifty stays small; its detail adds the facts about it. Every fact
(membership, absence, role, position, AI system, relation, claim) carries its citation: the article,
the paragraph number, the passage word for word, and a link to that paragraph; and
every later passage that confirms it, its correction's source, and (memberships and
roles) its period at the precision the sources give.
"""

from alliance.api.serializers.facts import (
    AISystemSerializer,
    ClaimSerializer,
    MembershipSerializer,
    PositionSerializer,
    RelationSerializer,
    RoleSerializer,
)
from alliance.api.serializers.resources import (
    ArticleListSerializer,
    ArticleSerializer,
    CitationDetailSerializer,
    CoalitionListSerializer,
    CoalitionSerializer,
    OrganisationListSerializer,
    OrganisationSerializer,
    PersonListSerializer,
    PersonSerializer,
)

__all__ = [
    "AISystemSerializer",
    "ArticleListSerializer",
    "ArticleSerializer",
    "CitationDetailSerializer",
    "ClaimSerializer",
    "CoalitionListSerializer",
    "CoalitionSerializer",
    "MembershipSerializer",
    "OrganisationListSerializer",
    "OrganisationSerializer",
    "PersonListSerializer",
    "PersonSerializer",
    "PositionSerializer",
    "RelationSerializer",
    "RoleSerializer",
]
