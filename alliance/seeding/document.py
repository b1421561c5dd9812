"""Parse a source document: a `date YYYY-MM` header, a lead paragraph glued to the title
sentence, then paragraphs and short section headings, one per line."""

import datetime
import re
from dataclasses import dataclass, field

HEADER = re.compile(r"^\s*date (?P<year>\d{4})-(?P<month>\d{2})\s+")
# The title sentence is glued to the end of the lead: "…Foundation.Meta et IBM créent…".
GLUED_SENTENCE = re.compile(r"(?<=[.!?])(?=[A-ZÀ-Ý])")
SENTENCE_END = (".", "!", "?", "»", "…", '"', ":")


class DocumentError(ValueError):
    pass


@dataclass
class ParsedParagraph:
    number: int
    section: str
    text: str


@dataclass
class ParsedDocument:
    title: str
    published_on: datetime.date
    paragraphs: list[ParsedParagraph] = field(default_factory=list)

    @property
    def sections(self):
        return list(dict.fromkeys(p.section for p in self.paragraphs if p.section))

    def find(self, excerpt):
        """The paragraph that holds `excerpt` word for word, or None."""
        return next((p for p in self.paragraphs if excerpt in p.text), None)

    def mentions(self, name):
        return name in self.title or any(name in p.text for p in self.paragraphs)


def is_heading(line):
    return len(line) <= 80 and not line.endswith(SENTENCE_END)


def parse_document(text):
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise DocumentError("the document is empty")
    header = HEADER.match(lines[0])
    if header is None:
        raise DocumentError("line 1: the document must start with a “date YYYY-MM” header")
    year, month = int(header["year"]), int(header["month"])
    try:
        published_on = datetime.date(year, month, 1)
    except ValueError as error:
        raise DocumentError(f"line 1: bad date {year}-{month:02d}: {error}") from None

    first = lines[0][header.end() :]
    pieces = GLUED_SENTENCE.split(first)
    if len(pieces) < 2:
        raise DocumentError("line 1: no title sentence glued to the end of the lead paragraph")
    lead, title = "".join(pieces[:-1]), pieces[-1].rstrip(".").strip()

    document = ParsedDocument(title=title, published_on=published_on)
    section = ""
    for line in [lead, *lines[1:]]:
        if is_heading(line):
            section = line
            continue
        document.paragraphs.append(
            ParsedParagraph(number=len(document.paragraphs) + 1, section=section, text=line)
        )
    return document
