"""Read an article from bytes or text: plain text, Markdown, or a saved HTML page.

Whatever comes in leaves as plain text: an HTML page keeps its title, headings and
paragraphs and loses everything else (scripts, styles, menus, markup), so no markup is
ever stored. What cannot be an article is refused with a message saying why.
"""

import contextlib
import datetime
import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from alliance.seeding.document import DocumentError, parse_article

#: The largest file taken, in bytes: a long article is a few hundred kilobytes at most.
MAX_BYTES = 5 * 1024 * 1024
HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<meta|<p[\s>])", re.I)
ISO_DATE = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})")


class IntakeError(ValueError):
    """Why a file or a paste cannot be taken as an article (nothing was saved)."""


def decode(data):
    """The text of an uploaded file, UTF-8; a binary, another encoding or a file over
    MAX_BYTES is refused."""
    if len(data) > MAX_BYTES:
        raise IntakeError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
        )
    if b"\x00" in data[:8192]:
        raise IntakeError(_("This is a binary file, not text: save the article as text first."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IntakeError(
            _(
                "The file is not UTF-8 text (byte %(position)s): save it as UTF-8, or paste "
                "the article instead."
            )
            % {"position": error.start}
        ) from None
    return text


def check_length(text):
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise IntakeError(
            _("The text is over %(limit)s MB, the limit.") % {"limit": MAX_BYTES // 1024 // 1024}
        )


def is_html(text, filename=""):
    return filename.lower().endswith((".html", ".htm")) or bool(HTML_START.match(text))


class PageText(HTMLParser):
    """The readable text of an HTML page, as Markdown-like lines for `parse_article`:
    `# title`, `## heading`, paragraphs, and the publication date when the page gives it."""

    SKIPPED = {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "iframe",
        "object",
        "canvas",
        "head",
    }
    BLOCKS = {
        "p",
        "li",
        "blockquote",
        "div",
        "section",
        "article",
        "main",
        "header",
        "figcaption",
        "dd",
        "dt",
        "td",
        "th",
        "pre",
        "table",
        "ul",
        "ol",
        "br",
    }
    HEADINGS = {"h1": "# ", "h2": "## ", "h3": "## ", "h4": "## ", "h5": "## ", "h6": "## "}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = []  # the open tags whose content is not text
        self.lines, self.current, self.prefix = [], [], ""
        self.page_title, self.in_title, self.date = "", False, None

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(self.prefix + text)
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and self.date is None:
            if (attrs.get("property") or attrs.get("name") or "").lower() in (
                "article:published_time",
                "date",
                "dc.date",
                "pubdate",
            ):
                self.take_date(attrs.get("content") or "")
        elif tag == "time" and self.date is None and not self.skipping:
            self.take_date(attrs.get("datetime") or "")
        if tag in self.SKIPPED:
            self.skipping.append(tag)
        elif not self.skipping and (tag in self.BLOCKS or tag in self.HEADINGS):
            self.flush()
            self.prefix = self.HEADINGS.get(tag, "")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        elif tag in self.SKIPPED and tag in self.skipping:
            # An unclosed tag inside: close up to it.
            del self.skipping[self.skipping.index(tag) :]
        elif not self.skipping and (tag in self.BLOCKS or tag in self.HEADINGS):
            self.flush()

    def handle_data(self, data):
        if self.in_title:
            self.page_title += data
        elif not self.skipping:
            self.current.append(data)

    def take_date(self, value):
        match = ISO_DATE.search(value)
        if match:
            with contextlib.suppress(ValueError):
                self.date = datetime.date.fromisoformat(match["date"])

    def text(self):
        self.flush()
        lines = self.lines
        if not any(line.startswith("# ") for line in lines) and self.page_title.strip():
            lines = ["# " + " ".join(self.page_title.split()), *lines]
        if self.date is not None:
            lines = [self.date.isoformat(), *lines]
        return "\n\n".join(lines)


def html_to_text(html):
    reader = PageText()
    reader.feed(html)
    reader.close()
    return reader.text()


FRENCH_WORDS = {
    "le",
    "la",
    "les",
    "des",
    "est",
    "une",
    "et",
    "dans",
    "pour",
    "qui",
    "du",
    "sur",
    "a",
    "au",
    "avec",
    "par",
    "que",
    "pas",
    "ont",
    "été",
    "aux",
    "ses",
    "cette",
}
ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "to",
    "in",
    "is",
    "was",
    "for",
    "with",
    "that",
    "by",
    "on",
    "has",
    "have",
    "its",
    "from",
    "as",
    "at",
    "are",
    "were",
    "this",
    "an",
}


def guess_language(text):
    """ "fr" or "en", by the commonest words; the editor can always say otherwise."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    french = sum(word in FRENCH_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    return "en" if english > french else "fr"


def read_article(text, filename=""):
    """The parsed document of a paste or a decoded file, plain text kept only."""
    check_length(text)
    if is_html(text, filename):
        text = html_to_text(text)
    if not text.strip():
        raise IntakeError(_("The article is empty: there is no text to read."))
    try:
        return parse_article(text)
    except DocumentError as error:
        raise IntakeError(
            _("This cannot be read as an article: %(reason)s.") % {"reason": error}
        ) from None


def read_file(data, filename=""):
    return read_article(decode(data), filename)
