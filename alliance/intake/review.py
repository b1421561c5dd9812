"""What an editor reviews before saving an article: its paragraphs, what they mention on
record, the names that match nothing yet, and the facts they suggest."""

from dataclasses import dataclass, field

from alliance.intake.mentions import Gazetteer, scan
from alliance.intake.suggestions import suggest
from alliance.models.dates import iso


@dataclass
class Review:
    title: str
    date: str | None
    paragraphs: list = field(default_factory=list)  # [(number, section, text)]
    mentions: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    def as_dict(self):
        return {
            "title": self.title,
            "date": self.date,
            "paragraphs": [{"number": n, "text": text} for n, _section, text in self.paragraphs],
            "mentions": [mention.as_dict() for mention in self.mentions],
            "candidates": [candidate.as_dict() for candidate in self.candidates],
            "suggestions": self.suggestions,
        }

    def in_paragraph(self, number):
        return (
            [m for m in self.mentions if m.paragraph == number],
            [c for c in self.candidates if c.paragraph == number],
            [s for s in self.suggestions if s["paragraph"] == number],
        )


def review(title, date, paragraphs, gazetteer=None):
    """`paragraphs`: [(number, section, text)], from a parsed document or the record."""
    numbered = [(number, text) for number, _section, text in paragraphs]
    mentions, candidates = scan(numbered, gazetteer or Gazetteer.from_record())
    return Review(
        title=title,
        date=date,
        paragraphs=list(paragraphs),
        mentions=mentions,
        candidates=candidates,
        suggestions=suggest(numbered, mentions),
    )


def review_document(document):
    date = iso(document.published_on, document.date_precision) if document.published_on else None
    return review(
        document.title,
        date,
        [(p.number, p.section, p.text) for p in document.paragraphs],
    )


def review_article(article):
    """The review of an article on record, from its stored paragraphs."""
    return review(
        article.title,
        article.published_iso,
        [(p.number, p.section, p.text) for p in article.paragraphs.all()],
    )
