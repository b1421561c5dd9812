"""Build the fixture: the parsed document joined to its annotations, as Django objects with
natural keys (slugs), in a stable order so that the same seeds always give the same file."""

import json
from pathlib import Path

from django.utils.text import slugify

from alliance.models import (
    Citation,
    CountQualifier,
    DatePrecision,
    FactStatus,
    Language,
    Leaning,
    MembershipRole,
    OrganisationKind,
    RelationKind,
)
from alliance.models.dates import parse_partial
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


def _text(entry, name, *, required=False):
    """An editorial text and its English translation: {name: ..., name_en: ...}."""
    return {
        name: field(entry, name, required=required, default="") or "",
        f"{name}_en": entry.get(f"{name}_en", "") or "",
    }


def _partial_date(entry, name):
    """`started: 2023-12` -> ("2023-12-01", "month"); absent -> (None, "day")."""
    value = entry.get(name)
    if value in (None, ""):
        return None, DatePrecision.DAY.value
    try:
        date, precision = parse_partial(str(value))
    except Exception:
        raise AnnotationError(
            entry["__line__"], f"“{name}: {value}” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from None
    return date.isoformat(), str(precision)


class FixtureBuilder:
    def __init__(self, seeds_dir):
        self.seeds_dir = Path(seeds_dir)
        self.objects = []
        self.slugs = {}  # model label -> set of slugs, to refuse duplicates and unknowns
        self.citations = {}  # passage -> citation slug
        self.glosses = {}  # passage -> its English gloss, once

    #: Annotation sections, in the order their rows are built (what they point to first).
    SECTIONS = (
        ("topics", "add_topic"),
        ("organisations", "add_organisation"),
        ("people", "add_person"),
        ("roles", "add_role"),
        ("memberships", "add_memberships"),
        ("ai_systems", "add_ai_system"),
        ("positions", "add_position"),
        ("relations", "add_relations"),
        ("claims", "add_claims"),
    )

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
        for section, method in self.SECTIONS:
            for entry in annotations.get(section) or []:
                getattr(self, method)(entry)
        self.check_every_paragraph_is_cited(article)
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

    def party(self, slug, line, what):
        """An organisation or a person, by slug: (organisation key, person key)."""
        if slug in self.slugs.get("person", set()):
            return None, [slug]
        return self.known("organisation", slug, line, f"{what} (organisation or person)"), None

    def mentioned(self, entry, *names):
        if not any(fold(name) in fold(self.document_text) for name in names if name):
            raise AnnotationError(entry["__line__"], f"“{names[0]}” is not named in the document")

    @property
    def document_text(self):
        paragraphs = " ".join(p.text for p in self.document.paragraphs)
        return f"{self.document.title} {paragraphs}"

    def cite(self, entry, key="excerpt"):
        """The natural key of the citation for the entry's excerpt, adding it on first use.

        `<key>_en` is the passage's English gloss: given once, the same wherever repeated.
        """
        excerpt = field(entry, key)
        gloss = entry.get(f"{key}_en")
        if gloss and self.glosses.setdefault(excerpt, gloss) != gloss:
            raise AnnotationError(entry["__line__"], f"two different glosses of “{excerpt}”")
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
                    "translation": "",
                },
            )
        return [self.citations[excerpt]]

    def check_every_paragraph_is_cited(self, article):
        cited = {
            tuple(obj["fields"]["paragraph"])[1]
            for obj in self.objects
            if obj["model"] == "alliance.citation"
        }
        bare = [p.number for p in self.document.paragraphs if p.number not in cited]
        if bare:
            raise AnnotationError(
                article["__line__"],
                "every paragraph must support at least one fact; none cites ¶"
                + ", ¶".join(str(number) for number in bare),
            )

    def add_article(self, entry):
        self.article_slug = field(entry, "slug")
        outlet = entry.get("outlet")
        translations = entry.get("paragraphs_en") or []
        if translations and len(translations) != len(self.document.paragraphs):
            raise AnnotationError(
                entry["__line__"],
                f"paragraphs_en has {len(translations)} translations for "
                f"{len(self.document.paragraphs)} paragraphs",
            )
        self.emit(
            "article",
            entry["__line__"],
            {
                "slug": self.article_slug,
                "title": self.document.title,
                "title_translation": entry.get("title_translation", ""),
                "published_on": self.document.published_on.isoformat(),
                "date_precision": DatePrecision.MONTH.value,
                "language": _choice(entry, "language", Language),
                "source_url": entry.get("source_url", ""),
                "outlet": [outlet] if outlet else None,
                "authors": entry.get("authors", ""),
                "draft": False,
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
                    "translation": translations[paragraph.number - 1] if translations else "",
                },
            )

    def add_topic(self, entry):
        self.emit(
            "topic",
            entry["__line__"],
            {
                "slug": field(entry, "slug"),
                **_text(entry, "name", required=True),
                **_text(entry, "description"),
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
            "name_en": entry.get("name_en") or name,
            "full_name": entry.get("full_name", ""),
            "aliases": "\n".join(aliases),
            "kind": kind,
            "country": entry.get("country", ""),
            "wikidata_id": entry.get("wikidata", ""),
            **_text(entry, "description"),
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
        self.emit(
            "person",
            entry["__line__"],
            {"slug": field(entry, "slug"), "name": name, "wikidata_id": entry.get("wikidata", "")},
        )

    def fact(self, entry, slug):
        """The fields every fact carries: its citation, and how it stands.

        A disputed or corrected fact says why in both languages and where the correction
        comes from (`correction_source` and its `correction_source_title`).
        """
        line = entry["__line__"]
        status = _choice(entry, "status", FactStatus, required=False) or "as_reported"
        fields = {
            "slug": slug,
            "citation": self.cite(entry),
            "status": status,
            **_text(entry, "correction"),
            "correction_citation": None,
            "correction_source": entry.get("correction_source", ""),
            "correction_source_title": entry.get("correction_source_title", ""),
            "draft": False,
        }
        if status != FactStatus.AS_REPORTED and not (
            fields["correction"] and fields["correction_en"]
        ):
            raise AnnotationError(line, f"a {status} fact needs its correction in fr and en")
        if status == FactStatus.CORRECTED and not fields["correction_source"]:
            raise AnnotationError(line, "a correction needs its correction_source")
        if fields["correction_source"] and not fields["correction_source_title"]:
            raise AnnotationError(line, "correction_source needs its correction_source_title")
        return fields

    def period(self, entry):
        started_on, started_precision = _partial_date(entry, "started")
        ended_on, ended_precision = _partial_date(entry, "ended")
        published = self.document.published_on.isoformat()[:7]
        for value in (started_on, ended_on):
            if value is not None and value[:7] > published:
                raise AnnotationError(
                    entry["__line__"], f"{value} is after the article that reports it"
                )
        return {
            "started_on": started_on,
            "started_precision": started_precision,
            "start_citation": None,
            "ended_on": ended_on,
            "ended_precision": ended_precision,
            "end_citation": None,
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
                **_text(entry, "title", required=True),
                **self.period(entry),
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
                    **self.period(entry),
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
                **_text(entry, "description"),
            },
        )

    def add_position(self, entry):
        line = entry["__line__"]
        holder = field(entry, "holder")
        topic = self.known("topic", field(entry, "topic"), line, "topic")[0]
        organisation, person = self.party(holder, line, "holder")
        reported_by = entry.get("reported_by")
        if reported_by:
            self.known("organisation", reported_by, line, "outlet")
        self.emit(
            "position",
            line,
            {
                **self.fact(entry, entry.get("slug") or f"{holder}-{topic}"),
                "topic": [topic],
                "organisation": organisation,
                "person": person,
                "leaning": _choice(entry, "leaning", Leaning),
                **_text(entry, "summary", required=True),
                **_text(entry, "rationale", required=True),
                "is_quote": bool(entry.get("quote", False)),
                "reported_by": [reported_by] if reported_by else None,
            },
        )

    def add_relations(self, entry):
        """One entry per subject and kind; `objects` share the excerpt."""
        line = entry["__line__"]
        subject = field(entry, "subject")
        subject_organisation, subject_person = self.party(subject, line, "subject")
        kind = _choice(entry, "kind", RelationKind)
        objects = field(entry, "objects")
        if not isinstance(objects, list):
            raise AnnotationError(line, "“objects” must be a list of slugs")
        for target in objects:
            object_organisation, object_person = self.party(target, line, "object")
            self.emit(
                "relation",
                line,
                {
                    **self.fact(entry, f"{subject}-{kind.replace('_', '-')}-{target}"),
                    "subject_organisation": subject_organisation,
                    "subject_person": subject_person,
                    "kind": kind,
                    "object_organisation": object_organisation,
                    "object_person": object_person,
                    **_text(entry, "summary", required=True),
                },
            )

    def add_claims(self, entry):
        """One entry per claim; `about` may list several parties that share it."""
        line = entry["__line__"]
        about = field(entry, "about")
        said_by = entry.get("said_by")
        said_by_organisation, said_by_person = (
            self.party(said_by, line, "said_by") if said_by else (None, None)
        )
        for target in about if isinstance(about, list) else [about]:
            about_organisation, about_person = self.party(target, line, "about")
            self.emit(
                "claim",
                line,
                {
                    **self.fact(entry, f"{target}-{field(entry, 'slug')}"),
                    "about_organisation": about_organisation,
                    "about_person": about_person,
                    "said_by_organisation": said_by_organisation,
                    "said_by_person": said_by_person,
                    **_text(entry, "summary", required=True),
                    "is_quote": bool(entry.get("quote", False)),
                },
            )

    def finish_glosses(self):
        for obj in self.objects:
            if obj["model"] == "alliance.citation":
                obj["fields"]["translation"] = self.glosses.get(obj["fields"]["passage"], "")


def build_fixture(seeds_dir):
    """The fixture's objects, built from `seeds_dir`; raises AnnotationError on bad seeds."""
    builder = FixtureBuilder(seeds_dir)
    objects = builder.build()
    builder.finish_glosses()
    return objects


def render_fixture(objects):
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
