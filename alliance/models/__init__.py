"""The domain: who is in which coalition, who said what, and the passages that prove it."""

from alliance.models.articles import Article, Citation, Language, Paragraph
from alliance.models.base import LocalisedText, Translatable
from alliance.models.dates import DatePrecision
from alliance.models.facts import NOT_COUNTED, Fact, FactStatus, Period, Source
from alliance.models.identifiers import ExternalIdentifier, Scheme
from alliance.models.organisations import (
    Coalition,
    CountQualifier,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
)
from alliance.models.people import Person, Role
from alliance.models.positions import AISystem, Leaning, Position, Topic
from alliance.models.relations import Claim, Relation, RelationKind

__all__ = [
    "NOT_COUNTED",
    "AISystem",
    "Article",
    "Citation",
    "Claim",
    "Coalition",
    "CountQualifier",
    "DatePrecision",
    "ExternalIdentifier",
    "Fact",
    "FactStatus",
    "Language",
    "Leaning",
    "LocalisedText",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "Paragraph",
    "Period",
    "Person",
    "Position",
    "Relation",
    "RelationKind",
    "Role",
    "Scheme",
    "Source",
    "Topic",
    "Translatable",
]
