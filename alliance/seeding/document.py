"""Parse a source document into a title, a date, section headings and numbered paragraphs.

`parse_document` reads the seed's own format: a `date YYYY-MM` header, a lead paragraph
glued to the title sentence, then paragraphs and short section headings, one per line.
`parse_article` reads what editors bring (alliance/intake): plain text or Markdown, with
the title first, an optional date line, headings and paragraphs; a seed document too.
Both tell headings from paragraphs the same way (`is_heading`).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
    published_on: datetime.date | None
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
    #: How much of the date the document gives: "day", "month" or "year".
    date_precision: str = "month"

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


# What editors bring ------------------------------------------------------------------

SEED_HEADER = re.compile(r"^\s*date \d{4}-\d{2}\s+\S")
DATE_LINE = re.compile(
    r"^(?:date\s*:?\s*)?(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?$", re.IGNORECASE
)
MARKDOWN_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*$")
MARKDOWN_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?P<text>\S(?:.*?\S)?)\1")
MARKDOWN_LINE_PREFIX = re.compile(r"^(?:>\s*)+|^(?:[-*+]|\d+[.)])\s+")
TITLE_MAX = 300


def plain(line):
    """A Markdown line as readers see it: no link targets, emphasis marks or quote marks."""
    line = MARKDOWN_LINE_PREFIX.sub("", line.strip())
    line = MARKDOWN_LINK.sub(lambda match: match["text"], line)
    return MARKDOWN_EMPHASIS.sub(lambda match: match["text"], line).strip()


def blocks_of(text):
    """The blocks of a text: paragraphs separated by blank lines, a hard-wrapped one joined.

    A text without any blank line between its lines has one paragraph per line, as the
    seed and most pasted pages do. A heading or a list item is a block of its own.
    """
    lines = [line.strip() for line in text.splitlines()]
    filled = [i for i, line in enumerate(lines) if line]
    one_per_line = bool(filled) and all(lines[filled[0] : filled[-1] + 1])
    blocks, current = [], []
    for line in lines:
        if not line or one_per_line or MARKDOWN_HEADING.match(line):
            if current:
                blocks.append(" ".join(current))
            current = [line] if line else []
        elif MARKDOWN_LINE_PREFIX.match(line):
            if current:
                blocks.append(" ".join(current))
            current = [line]
        else:
            current.append(line)
        if current and MARKDOWN_HEADING.match(current[0]):
            blocks.append(current.pop())
    if current:
        blocks.append(" ".join(current))
    return blocks


def read_date_line(line):
    """(date, precision) from a line such as `date 2024-03`, `2024-03-05`; else None."""
    match = DATE_LINE.match(line.strip())
    if match is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    day = int(match["day"]) if match["day"] else 1
    try:
        return datetime.date(year, month, day), "day" if match["day"] else "month"
    except ValueError:
        raise DocumentError(
            _("bad date “%(date)s”: no such day") % {"date": line.strip()}
        ) from None


def parse_article(text):
    """A pasted article, in plain text or Markdown (or the seed's own format).

    The first block is the title when it is a `#` heading or a line that does not end a
    sentence; a date line (`2024-03-05`, `date 2024-03`) may come before or after it. Then
    short lines that do not end a sentence, and Markdown headings, are section headings;
    everything else is a numbered paragraph. Without a title line the title is empty,
    for the editor to give.
    """
    if not text.strip():
        raise DocumentError(_("the document is empty"))
    if SEED_HEADER.match(text.lstrip().splitlines()[0]):
        try:
            return parse_document(text)
        except DocumentError:
            pass  # a date header without a glued title: read it as any other text
    document = ParsedDocument(title="", published_on=None)
    section, title_seen = "", False
    for block in blocks_of(text):
        heading = MARKDOWN_HEADING.match(block)
        line = plain(heading["text"] if heading else block)
        if not line:
            continue
        if not document.paragraphs and document.published_on is None:
            date = read_date_line(line)
            if date is not None:
                document.published_on, document.date_precision = date
                continue
        starts = not (document.paragraphs or title_seen or section)
        if starts and (
            (heading and len(heading["level"]) == 1)
            or (not heading and not line.endswith(SENTENCE_END) and len(line) <= TITLE_MAX)
        ):
            document.title, title_seen = line, True
            continue
        if heading or is_heading(line):
            section = line
            continue
        document.paragraphs.append(
            ParsedParagraph(number=len(document.paragraphs) + 1, section=section, text=line)
        )
    if not document.paragraphs:
        raise DocumentError(
            _(
                "no paragraphs: every line reads as a title or a heading (a paragraph is a "
                "line that ends a sentence, or is longer than 80 characters)"
            )
        )
    return document
