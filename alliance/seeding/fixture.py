"""Build the fixture: the parsed document joined to its annotations, as Django objects with
natural keys (slugs), in a stable order so that the same seeds always give the same file."""

import json
from pathlib import Path

from django.utils.text import slugify

from alliance.models import (
    Citation,
    CountQualifier,
    DatePrecision,
    Language,
    Leaning,
    MembershipRole,
    OrganisationKind,
)
from alliance.search import fold
from alliance.seeding.annotations import AnnotationError, field, load_annotations
from alliance.seeding.document import DocumentError, parse_document

ANNOTATIONS = "annotations.yaml"


def _choice(entry, name, choices, **kwargs):
    value = field(entry, name, **kwargs)
    if value not in (None, "") and value not in choices.values:
        raise AnnotationError(
            entry["__line__"],
            f"“{name}: {value}” is not one of: {', '.join(choices.values)}",
        )
    return value


class FixtureBuilder:
    def __init__(self, seeds_dir):
        self.seeds_dir = Path(seeds_dir)
        self.objects = []
        self.slugs = {}  # model label -> set of slugs, to refuse duplicates and unknowns
        self.citations = {}  # passage -> citation slug

    def build(self):
        annotations = load_annotations((self.seeds_dir / ANNOTATIONS).read_text("utf-8"))
        article = field(annotations, "article")
        source = self.seeds_dir / field(article, "source")
        if not source.is_file():
            raise AnnotationError(article["__line__"], f"source document {source.name} not found")
        try:
            self.document = parse_document(source.read_text("utf-8"))
        except DocumentError as error:
            raise AnnotationError(None, f"{source.name}: {error}") from None

        self.add_article(article)
        for entry in annotations.get("topics") or []:
            self.add_topic(entry)
        for entry in annotations.get("organisations") or []:
            self.add_organisation(entry)
        for entry in annotations.get("people") or []:
            self.add_person(entry)
        for entry in annotations.get("roles") or []:
            self.add_role(entry)
        for entry in annotations.get("memberships") or []:
            self.add_memberships(entry)
        for entry in annotations.get("ai_systems") or []:
            self.add_ai_system(entry)
        for entry in annotations.get("positions") or []:
            self.add_position(entry)
        # Citations first: every other row may point to one.
        citations = [obj for obj in self.objects if obj["model"] == "alliance.citation"]
        others = [obj for obj in self.objects if obj["model"] != "alliance.citation"]
        head = [obj for obj in others if obj["model"] in ("alliance.article", "alliance.paragraph")]
        tail = [obj for obj in others if obj not in head]
        return head + citations + tail

    # Rows -----------------------------------------------------------------

    def emit(self, model, line, fields):
        slug = fields.get("slug")
        if slug is not None:
            taken = self.slugs.setdefault(model, set())
            if slug in taken:
                raise AnnotationError(line, f"slug “{slug}” is used twice for {model}")
            taken.add(slug)
        self.objects.append({"model": f"alliance.{model}", "fields": fields})

    def known(self, model, slug, line, what):
        if slug not in self.slugs.get(model, set()):
            raise AnnotationError(line, f"unknown {what} “{slug}”")
        return [slug]

    def mentioned(self, entry, *names):
        if not any(fold(name) in fold(self.document_text) for name in names if name):
            raise AnnotationError(entry["__line__"], f"“{names[0]}” is not named in the document")

    @property
    def document_text(self):
        paragraphs = " ".join(p.text for p in self.document.paragraphs)
        return f"{self.document.title} {paragraphs}"

    def cite(self, entry, key="excerpt"):
        """The natural key of the citation for the entry's excerpt, adding it on first use."""
        excerpt = field(entry, key)
        if excerpt not in self.citations:
            paragraph = self.document.find(excerpt)
            if paragraph is None:
                raise AnnotationError(
                    entry["__line__"],
                    f"excerpt not found word for word in the document: “{excerpt}”",
                )
            slug = Citation.make_slug(self.article_slug, excerpt)
            self.citations[excerpt] = slug
            self.emit(
                "citation",
                entry["__line__"],
                {
                    "slug": slug,
                    "article": [self.article_slug],
                    "paragraph": [self.article_slug, paragraph.number],
                    "passage": excerpt,
                },
            )
        return [self.citations[excerpt]]

    def add_article(self, entry):
        self.article_slug = field(entry, "slug")
        self.emit(
            "article",
            entry["__line__"],
            {
                "slug": self.article_slug,
                "title": self.document.title,
                "published_on": self.document.published_on.isoformat(),
                "date_precision": DatePrecision.MONTH.value,
                "language": _choice(entry, "language", Language),
                "source_url": entry.get("source_url", ""),
            },
        )
        for paragraph in self.document.paragraphs:
            self.emit(
                "paragraph",
                entry["__line__"],
                {
                    "article": [self.article_slug],
                    "number": paragraph.number,
                    "section": paragraph.section,
                    "text": paragraph.text,
                },
            )

    def add_topic(self, entry):
        self.emit(
            "topic",
            entry["__line__"],
            {
                "slug": field(entry, "slug"),
                "name": field(entry, "name"),
                "description": entry.get("description", ""),
            },
        )

    def add_organisation(self, entry):
        name = field(entry, "name")
        aliases = entry.get("aliases") or []
        self.mentioned(entry, name, *aliases)
        kind = _choice(entry, "kind", OrganisationKind)
        fields = {
            "slug": field(entry, "slug"),
            "name": name,
            "full_name": entry.get("full_name", ""),
            "aliases": "\n".join(aliases),
            "kind": kind,
            "country": entry.get("country", ""),
            "description": entry.get("description", ""),
            "declared_member_count": None,
            "declared_member_count_qualifier": "",
            "declared_member_count_citation": None,
        }
        declared = entry.get("declared_member_count")
        if declared is not None:
            if kind != OrganisationKind.COALITION:
                raise AnnotationError(entry["__line__"], "only a coalition has a declared count")
            count = field(declared, "count")
            if not isinstance(count, int) or count < 0:
                raise AnnotationError(
                    declared["__line__"], f"count must be a whole number: {count!r}"
                )
            fields["declared_member_count"] = count
            fields["declared_member_count_qualifier"] = _choice(
                declared, "qualifier", CountQualifier
            )
            fields["declared_member_count_citation"] = self.cite(declared)
        self.emit("organisation", entry["__line__"], fields)

    def add_person(self, entry):
        name = field(entry, "name")
        self.mentioned(entry, name)
        self.emit("person", entry["__line__"], {"slug": field(entry, "slug"), "name": name})

    def fact(self, entry, slug):
        """The fields every fact carries, as the document reports them."""
        return {
            "slug": slug,
            "citation": self.cite(entry),
            "status": "as_reported",
            "correction": "",
            "correction_source": "",
        }

    def add_role(self, entry):
        line = entry["__line__"]
        person = self.known("person", field(entry, "person"), line, "person")[0]
        organisation = self.known(
            "organisation", field(entry, "organisation"), line, "organisation"
        )[0]
        title = field(entry, "title")
        slug = entry.get("slug") or slugify(f"{person} {organisation} {title}")[:200]
        self.emit(
            "role",
            line,
            {
                **self.fact(entry, slug),
                "person": [person],
                "organisation": [organisation],
                "title": title,
            },
        )

    def add_memberships(self, entry):
        line = entry["__line__"]
        coalition = self.known("organisation", field(entry, "coalition"), line, "coalition")[0]
        role = _choice(entry, "role", MembershipRole)
        members = field(entry, "members")
        if not isinstance(members, list):
            raise AnnotationError(line, "“members” must be a list of organisation slugs")
        for member in members:
            self.known("organisation", member, line, "organisation")
            self.emit(
                "membership",
                line,
                {
                    **self.fact(entry, f"{member}-{coalition}"),
                    "member": [member],
                    "coalition": [coalition],
                    "role": role,
                    "joined_on": None,
                },
            )

    def add_ai_system(self, entry):
        line = entry["__line__"]
        name = field(entry, "name")
        self.mentioned(entry, name)
        self.emit(
            "aisystem",
            line,
            {
                **self.fact(entry, field(entry, "slug")),
                "name": name,
                "owner": self.known("organisation", field(entry, "owner"), line, "owner"),
                "description": entry.get("description", ""),
            },
        )

    def add_position(self, entry):
        line = entry["__line__"]
        holder = field(entry, "holder")
        topic = self.known("topic", field(entry, "topic"), line, "topic")[0]
        is_person = holder in self.slugs.get("person", set())
        if not is_person:
            self.known("organisation", holder, line, "holder (organisation or person)")
        reported_by = entry.get("reported_by")
        if reported_by:
            self.known("organisation", reported_by, line, "outlet")
        self.emit(
            "position",
            line,
            {
                **self.fact(entry, entry.get("slug") or f"{holder}-{topic}"),
                "topic": [topic],
                "organisation": None if is_person else [holder],
                "person": [holder] if is_person else None,
                "leaning": _choice(entry, "leaning", Leaning),
                "summary": field(entry, "summary"),
                "is_quote": bool(entry.get("quote", False)),
                "reported_by": [reported_by] if reported_by else None,
            },
        )


def build_fixture(seeds_dir):
    """The fixture's objects, built from `seeds_dir`; raises AnnotationError on bad seeds."""
    return FixtureBuilder(seeds_dir).build()


def render_fixture(objects):
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
