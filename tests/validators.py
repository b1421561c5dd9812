"""Strict checks of what feed readers and search engines get.

- Sitemaps: the sitemaps.org XSD (tests/schemas/sitemap.xsd, as published, vendored so
  the suite needs no network), with the XHTML `link` element its alternates use.
- Atom feeds: feedparser must read them without a single complaint (`bozo`), and the
  rules of RFC 4287 that feedparser forgives are checked here: one id, title and
  updated per feed and per entry, ids absolute IRIs and unique, dates in RFC 3339,
  an author for the feed or for every entry, a self link, and text constructs typed
  text, html or xhtml.
"""

import datetime
import functools
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_TYPES = {None, "text", "html", "xhtml"}


@functools.cache
def sitemap_schema():
    import xmlschema

    schema = xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd")
    schema.import_schema("http://www.w3.org/1999/xhtml", str(SCHEMAS / "xhtml-link.xsd"))
    schema.build()
    return schema


def validate_sitemap(content):
    """Raise xmlschema's error if the sitemap breaks the sitemaps.org schema."""
    sitemap_schema().validate(content.decode() if isinstance(content, bytes) else content)


class AtomError(AssertionError):
    pass


def _absolute_iri(value):
    parts = urlsplit(value or "")
    return bool(parts.scheme) and (parts.scheme == "tag" or bool(parts.netloc))


def _rfc3339(value):
    try:
        moment = datetime.datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and moment.tzinfo is not None


def _one(element, name, where, problems):
    found = element.findall(f"{ATOM}{name}")
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} <{name}> (RFC 4287 needs exactly one)")
        return None
    return found[0]


def validate_atom(content):
    """Raise AtomError listing every way the feed breaks RFC 4287."""
    import feedparser

    parsed = feedparser.parse(content)
    problems = []
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception!r}")
    if parsed.version != "atom10":
        problems.append(f"feedparser reads it as {parsed.version!r}, not Atom 1.0")
    root = ET.fromstring(content)
    if root.tag != f"{ATOM}feed":
        raise AtomError(f"the root is {root.tag}, not atom:feed")
    entries = root.findall(f"{ATOM}entry")
    for element, where in [(root, "feed"), *((e, f"entry {i}") for i, e in enumerate(entries))]:
        for name in ("id", "title", "updated"):
            found = _one(element, name, where, problems)
            if found is None:
                continue
            if name == "id" and not _absolute_iri(found.text):
                problems.append(f"{where}: id {found.text!r} is not an absolute IRI")
            if name == "updated" and not _rfc3339(found.text):
                problems.append(f"{where}: updated {found.text!r} is not an RFC 3339 date")
        for name in ("title", "subtitle", "summary", "rights"):
            for text in element.findall(f"{ATOM}{name}"):
                if text.get("type") not in TEXT_TYPES:
                    problems.append(f"{where}: <{name} type={text.get('type')!r}>")
        for link in element.findall(f"{ATOM}link"):
            if not _absolute_iri(link.get("href")):
                problems.append(f"{where}: link {link.get('href')!r} is not absolute")
        for author in element.findall(f"{ATOM}author"):
            if not (author.findtext(f"{ATOM}name") or "").strip():
                problems.append(f"{where}: an author without a name")
    if not root.findall(f"{ATOM}author") and not all(
        entry.findall(f"{ATOM}author") for entry in entries
    ):
        problems.append("feed: no author for the feed, nor for every entry (RFC 4287 4.1.1)")
    if not any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link")):
        problems.append("feed: no link rel=self")
    for i, entry in enumerate(entries):
        has_content = entry.find(f"{ATOM}content") is not None
        alternates = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if not has_content and not alternates:
            problems.append(f"entry {i}: neither content nor an alternate link")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    if len(ids) != len(set(ids)):
        problems.append("entries share an id")
    if problems:
        raise AtomError("; ".join(problems))
