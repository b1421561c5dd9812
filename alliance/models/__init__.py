"""The domain: who is in which coalition, who said what, and the passages that prove it."""

from alliance.models.articles import Article, Citation, DatePrecision, Language, Paragraph
from alliance.models.facts import Fact, FactStatus
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

__all__ = [
    "AISystem",
    "Article",
    "Citation",
    "Coalition",
    "CountQualifier",
    "DatePrecision",
    "Fact",
    "FactStatus",
    "Language",
    "Leaning",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "Paragraph",
    "Person",
    "Position",
    "Role",
    "Topic",
]
