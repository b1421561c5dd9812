"""Build a large, realistic record in memory, then insert it with bulk_create in batches.

Every fact rests on a citation whose passage is a sentence of a generated paragraph,
word for word, as `Citation.clean()` demands; the database constraints (one place per
organisation in a coalition, a position held by exactly one organisation or person...)
hold by construction. bulk_create skips `save()` and signals, so what they would fill
in is filled here: `search_text`, slugs, the citation's paragraph.

No history rows are written: like rows loaded from the fixture, generated rows have no
edits to record. Generated rows are recognisable by the `PREFIX` of their slugs.
"""

import datetime
import math
import random
import sys
import time
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils.text import slugify

from alliance.models import (
    AISystem,
    Article,
    Citation,
    CountQualifier,
    DatePrecision,
    Language,
    Leaning,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Paragraph,
    Person,
    Position,
    Role,
    Topic,
)
from alliance.scale import vocabulary as words
from alliance.search import index_words

PREFIX = "gen-"
BATCH_SIZE = 2000
# Fixed timestamps keep a generated database identical for a given seed.
STAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
FIRST_DAY = datetime.date(2023, 1, 1)
DAYS = 3 * 365

# Parents before children for inserting; the reverse for deleting.
INSERT_ORDER = [
    Article,
    Paragraph,
    Citation,
    Topic,
    Person,
    Organisation,
    AISystem,
    Membership,
    Role,
    Position,
]


@dataclass(frozen=True)
class Sizes:
    """How much to generate. Coalitions come on top of the organisations."""

    organisations: int = 10_000
    people: int = 2_000
    coalitions: int = 50
    positions: int = 100_000
    articles: int = 1_000
    topics: int = 24
    ai_systems: int = 500

    def problems(self):
        """What makes these sizes impossible to generate, in plain words; empty when fine."""
        found = [
            f"--{name.replace('_', '-')} must be 0 or more" for name, n in self._items() if n < 0
        ]
        if found:
            return found
        if self.articles < 1:
            found.append("--articles must be at least 1: every fact needs an article to cite")
        if self.positions and not self.topics:
            found.append("--positions needs at least one topic (--topics)")
        if self.positions and not (self.organisations + self.coalitions + self.people):
            found.append("--positions needs organisations, coalitions or people to hold them")
        if self.ai_systems and not self.organisations:
            found.append("--ai-systems needs organisations to own them")
        most_topics = len(words.TOPICS) * (1 + len(words.TOPIC_EXTRA))
        if self.topics > most_topics:
            found.append(f"--topics can be at most {most_topics}")
        return found

    def _items(self):
        return [(field.name, getattr(self, field.name)) for field in fields(self)]


class Progress:
    """A progress bar on stderr, redrawn in place; silent when `stream` is None."""

    WIDTH = 30

    def __init__(self, total, stream=sys.stderr):
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream
        self.label = ""

    def advance(self, label, count):
        self.label = label
        self.done += count
        if self.stream is None:
            return
        filled = round(self.WIDTH * self.done / self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {100 * self.done / self.total:5.1f}% "
            f"{self.done:>9,}/{self.total:,} rows  {label:<14}"
        )
        self.stream.flush()

    def finish(self):
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def foreign_row():
    """Describe one row this generator did not make (real data), or return None."""
    for model in INSERT_ORDER:
        if model is Paragraph:
            row = Paragraph.objects.exclude(article__slug__startswith=PREFIX).first()
            if row is not None:
                return f"a paragraph of the article “{row.article.slug}”"
            continue
        slug = model.objects.exclude(slug__startswith=PREFIX).values_list("slug", flat=True)
        slug = slug.order_by().first()
        if slug is not None:
            return f"the {model._meta.verbose_name} “{slug}”"
    return None


def clear_generated():
    """Delete earlier generated rows (and only them), without signals or history rows."""
    for model in reversed(INSERT_ORDER):
        if model is Paragraph:
            rows = Paragraph.objects.filter(article__slug__startswith=PREFIX)
        else:
            rows = model.objects.filter(slug__startswith=PREFIX)
        # A plain DELETE: QuerySet.delete() would load every row and record its history.
        rows._raw_delete(rows.db)


@dataclass
class Statement:
    """A sentence of an article that states one or more facts: it becomes their citation."""

    text: str
    facts: list
    names: list
    citation_owner: Organisation | None = None


class Generator:
    def __init__(self, sizes, seed):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.slugs = {}
        self.names = {}
        self.statements = []

    # Names and slugs ---------------------------------------------------------------

    def word(self):
        rng = self.rng
        syllables = rng.choice([2, 2, 3])
        text = "".join(
            rng.choice(words.ONSETS) + rng.choice(words.VOWELS) for _ in range(syllables)
        )
        return (text + rng.choice(words.CODAS)).capitalize()

    def unique_name(self, make):
        for _ in range(20):
            name = make()
            if name not in self.names:
                break
        else:
            name = f"{make()} {len(self.names)}"
        self.names[name] = True
        return name

    def slug(self, *parts, max_length=200):
        base = slugify(" ".join(parts))[: max_length - len(PREFIX) - 8].strip("-")
        slug = f"{PREFIX}{base}"
        number = 2
        while slug in self.slugs:
            slug = f"{PREFIX}{base}-{number}"
            number += 1
        self.slugs[slug] = True
        return slug

    @staticmethod
    def core(slug):
        return slug.removeprefix(PREFIX)

    def fill(self, pattern):
        return pattern.format(
            name=self.word(), place=self.word(), adjective=self.rng.choice(words.ADJECTIVES)
        )

    def organisation_name(self, kind):
        if kind == OrganisationKind.COMPANY:
            return self.unique_name(
                lambda: f"{self.word()} {self.rng.choice(words.COMPANY_SUFFIXES)}"
            )
        patterns = words.KIND_PATTERNS[kind]
        return self.unique_name(lambda: self.fill(self.rng.choice(patterns)))

    @staticmethod
    def acronym(name):
        initials = [part[0] for part in name.replace("’", " ").split() if len(part) > 2]
        return "".join(initials).upper() if len(initials) >= 2 else ""

    def day(self):
        return FIRST_DAY + datetime.timedelta(days=self.rng.randrange(DAYS))

    def month_before_the_articles(self):
        """A month of the year before any generated article: no source dates it later."""
        return datetime.date(FIRST_DAY.year - 1, self.rng.randrange(1, 13), 1)

    @staticmethod
    def listing(names):
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"

    def say(self, pattern, holders, **values):
        plural = len(holders) > 1
        verbs = {key: forms[plural] for key, forms in words.VERBS.items()}
        return pattern.format(holders=self.listing(holders), **verbs, **values)

    def groups(self, items, largest):
        """Split `items` into consecutive groups of 1 to `largest`."""
        start = 0
        while start < len(items):
            size = self.rng.randint(1, largest)
            yield items[start : start + size]
            start += size

    # The record --------------------------------------------------------------------

    def build(self):
        self.build_topics()
        self.build_people()
        self.build_organisations()
        self.build_memberships()
        self.build_roles()
        self.build_ai_systems()
        self.build_positions()
        self.build_articles()

    def build_topics(self):
        names = [name for name, _ in words.TOPICS]
        names += [f"{name} {extra}" for extra in words.TOPIC_EXTRA for name, _ in words.TOPICS]
        descriptions = dict(words.TOPICS)
        self.topics = []
        for name in names[: self.sizes.topics]:
            base = next(base for base in descriptions if name.startswith(base))
            topic = Topic(name=name, slug=self.slug(name), description=descriptions[base])
            self.topics.append(topic)

    def build_people(self):
        rng = self.rng
        self.people = []
        for _ in range(self.sizes.people):
            name = self.unique_name(
                lambda: (
                    f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
                    f"{rng.choice(['', '', '', '-' + self.word()])}"
                )
            )
            self.people.append(Person(name=name, slug=self.slug(name)))

    def build_organisations(self):
        rng = self.rng
        kinds, weights = zip(*words.KIND_WEIGHTS, strict=True)
        self.organisations = []
        for kind in rng.choices(kinds, weights, k=self.sizes.organisations):
            name = self.organisation_name(kind)
            full_name = ""
            if kind == OrganisationKind.COMPANY and rng.random() < 0.3:
                full_name = f"{name} Incorporated"
            acronym = self.acronym(name)
            aliases = acronym if acronym and rng.random() < 0.5 else ""
            self.organisations.append(
                Organisation(
                    name=name,
                    slug=self.slug(name),
                    full_name=full_name,
                    aliases=aliases,
                    kind=kind,
                    country=rng.choice(words.COUNTRIES),
                )
            )
        self.coalitions = [
            Organisation(
                name=(name := self.organisation_name(OrganisationKind.COALITION)),
                slug=self.slug(name),
                kind=OrganisationKind.COALITION,
                description=f"{name} rassemble entreprises et chercheurs autour de l’IA.",
            )
            for _ in range(self.sizes.coalitions)
        ]
        self.outlets = [o for o in self.organisations if o.kind == OrganisationKind.NEWS_OUTLET]
        self.companies = [o for o in self.organisations if o.kind == OrganisationKind.COMPANY]

    def build_memberships(self):
        rng = self.rng
        self.memberships = []
        pool = self.organisations
        for coalition in self.coalitions:
            # Coalition sizes spread from a handful to a few hundred, as real ones do.
            size = min(len(pool), round(math.exp(rng.uniform(math.log(3), math.log(400)))))
            members = rng.sample(pool, size)
            by_role = {role: [] for role in MembershipRole}
            for index, member in enumerate(members):
                if index < 2:
                    role = MembershipRole.FOUNDER
                else:
                    role = rng.choices(
                        [
                            MembershipRole.KEY_CONTRIBUTOR,
                            MembershipRole.MEMBER,
                            MembershipRole.ABSENT,
                        ],
                        [10, 82, 8],
                    )[0]
                by_role[role].append(member)
            for role, holders in by_role.items():
                started_on = (
                    None if role == MembershipRole.ABSENT else self.month_before_the_articles()
                )
                for group in self.groups(holders, 5):
                    facts = [
                        Membership(
                            slug=self.slug(self.core(member.slug), self.core(coalition.slug)),
                            member=member,
                            coalition=coalition,
                            role=role,
                            started_on=started_on,
                            started_precision=DatePrecision.MONTH,
                        )
                        for member in group
                    ]
                    self.memberships += facts
                    names = [member.name for member in group]
                    text = self.say(words.MEMBERSHIP_VERBS[role], names, coalition=coalition.name)
                    self.statements.append(Statement(text, facts, [*names, coalition.name]))
            if rng.random() < 0.6:
                count = max(1, 5 * round(len(members) * rng.uniform(0.8, 1.5) / 5))
                qualifier = rng.choice(list(CountQualifier))
                said = {"exactly": "", "more_than": "plus de ", "about": "environ "}[qualifier]
                coalition.declared_member_count = count
                coalition.declared_member_count_qualifier = qualifier
                text = f"{coalition.name} revendique {said}{count} membres"
                self.statements.append(Statement(text, [], [coalition.name], coalition))

    def build_roles(self):
        rng = self.rng
        self.roles = []
        if not self.organisations:
            return
        for person in self.people:
            seen = {}
            for _ in range(rng.choice([1, 1, 1, 2])):
                organisation = rng.choice(self.organisations)
                title = rng.choice(words.TITLES)
                if (organisation.slug, title) in seen:
                    continue
                seen[organisation.slug, title] = True
                role = Role(
                    slug=self.slug(self.core(person.slug), self.core(organisation.slug), title),
                    person=person,
                    organisation=organisation,
                    title=title,
                )
                self.roles.append(role)
                text = f"{person.name}, {title} de {organisation.name}, a pris la parole"
                self.statements.append(Statement(text, [role], [person.name, organisation.name]))

    def build_ai_systems(self):
        rng = self.rng
        owners = self.companies or self.organisations
        self.ai_systems = []
        for _ in range(self.sizes.ai_systems):
            owner = rng.choice(owners)
            name = self.unique_name(lambda: f"{self.word()}-{rng.randint(1, 9)}")
            description = rng.choice(words.SYSTEM_KINDS)
            system = AISystem(slug=self.slug(name), name=name, owner=owner, description=description)
            self.ai_systems.append(system)
            text = f"{owner.name} a présenté {name}, son {description}"
            self.statements.append(Statement(text, [system], [owner.name, name]))

    def build_positions(self):
        rng = self.rng
        holders = [*self.organisations, *self.coalitions, *self.people]
        taken = {}
        buckets = {}
        for _ in range(self.sizes.positions):
            for _ in range(10):
                holder, topic = rng.choice(holders), rng.choice(self.topics)
                if (holder.slug, topic.slug) not in taken:
                    break
            taken[holder.slug, topic.slug] = True
            leaning = rng.choices(list(Leaning), [50, 30, 20])[0]
            buckets.setdefault((topic.slug, leaning), (topic, leaning, []))[2].append(holder)
        self.positions = []
        for topic, leaning, bucket in buckets.values():
            for group in self.groups(bucket, 5):
                self.add_positions(topic, leaning, group)

    def add_positions(self, topic, leaning, group):
        rng = self.rng
        quote = len(group) == 1 and isinstance(group[0], Person) and rng.random() < 0.3
        outlet = rng.choice(self.outlets) if self.outlets and rng.random() < 0.1 else None
        summary = f"{words.SUMMARIES[leaning]} Sujet : {topic.name}."
        facts = []
        for holder in group:
            is_person = isinstance(holder, Person)
            facts.append(
                Position(
                    slug=self.slug(self.core(holder.slug), self.core(topic.slug)),
                    topic=topic,
                    organisation=None if is_person else holder,
                    person=holder if is_person else None,
                    leaning=leaning,
                    summary=summary,
                    is_quote=quote,
                    reported_by=outlet,
                )
            )
        self.positions += facts
        names = [holder.name for holder in group]
        if quote:
            text = (
                f"« {words.SUMMARIES[leaning]} », affirme {names[0]} à propos de « {topic.name} »"
            )
        else:
            pattern = rng.choice(words.LEANING_VERBS[leaning])
            text = self.say(pattern, names, topic=topic.name)
        if outlet is not None:
            text += words.REPORTED.format(outlet=outlet.name)
            names.append(outlet.name)
        self.statements.append(Statement(text, facts, names))

    def build_articles(self):
        """Shuffle the statements into paragraphs, the paragraphs into articles."""
        rng = self.rng
        statements = self.statements
        rng.shuffle(statements)
        paragraphs = []
        for group in self.groups(statements, 6):
            if rng.random() < 0.15:
                group = [*group, None]
            paragraphs.append(group)
        while len(paragraphs) < self.sizes.articles:
            paragraphs.append([None])
        cuts = sorted(rng.sample(range(1, len(paragraphs)), self.sizes.articles - 1))
        bounds = zip([0, *cuts], [*cuts, len(paragraphs)], strict=True)
        self.articles, self.paragraphs, self.citations = [], [], []
        for start, end in bounds:
            self.add_article(paragraphs[start:end])

    def add_article(self, groups):
        rng = self.rng
        named = [name for group in groups for s in group if s for name in s.names]
        named = named or [self.word(), self.word()]
        headline = rng.choice(words.HEADLINES).format(
            a=named[0],
            b=named[-1],
            coalition=self.coalitions[0].name if self.coalitions else named[0],
        )
        title = headline[:300]
        article = Article(
            title=title,
            slug=self.slug(title, max_length=120),
            published_on=self.day(),
            date_precision=rng.choices(list(DatePrecision), [90, 8, 2])[0],
            language=Language.FRENCH,
        )
        article.source_url = f"https://news.example/{self.core(article.slug)}"
        self.articles.append(article)
        passages = {}
        paragraphs = []
        section = ""
        for number, group in enumerate(groups, start=1):
            if number > 1 and rng.random() < 0.3:
                section = rng.choice(words.SECTIONS)
            sentences = []
            for statement in group:
                if statement is None:
                    sentences.append(rng.choice(words.FILLER))
                    continue
                # A passage is unique in its article; a repeated sentence is told apart.
                while statement.text in passages:
                    statement.text += " également"
                passages[statement.text] = statement
                sentences.append(statement.text + ".")
            paragraph = Paragraph(
                article=article, number=number, section=section, text=" ".join(sentences)
            )
            paragraphs.append(paragraph)
        self.paragraphs += paragraphs
        for passage, statement in passages.items():
            # The paragraph is the first that holds the passage, as Citation.locate() finds it.
            paragraph = next(p for p in paragraphs if passage in p.text)
            citation = Citation(
                article=article,
                paragraph=paragraph,
                passage=passage,
                slug=self.citation_slug(article.slug, passage),
            )
            self.citations.append(citation)
            for fact in statement.facts:
                fact.citation = citation
            if statement.citation_owner is not None:
                statement.citation_owner.declared_member_count_citation = citation

    def citation_slug(self, article_slug, passage):
        slug = PREFIX + Citation.make_slug(article_slug, passage)
        number = 2
        while slug in self.slugs:
            slug = f"{PREFIX}{Citation.make_slug(article_slug, passage)}-{number}"
            number += 1
        self.slugs[slug] = True
        return slug

    def rows(self):
        """Rows to insert, model by model, in an order that satisfies the foreign keys."""
        return {
            Article: self.articles,
            Paragraph: self.paragraphs,
            Citation: self.citations,
            Topic: self.topics,
            Person: self.people,
            Organisation: self.organisations + self.coalitions,
            AISystem: self.ai_systems,
            Membership: self.memberships,
            Role: self.roles,
            Position: self.positions,
        }


def prepare(rows):
    """Fill in what `save()` and the pre_save signals would have: timestamps, search_text,
    sort names, the positions' sort keys."""
    folded = {}  # Position summaries repeat: fold each text once.
    for row in rows:
        row.created_at = row.updated_at = STAMP
        if hasattr(row, "search_words"):
            text = row.search_words()
            if text not in folded:
                folded[text] = index_words(text)
            row.search_text = folded[text]
        if hasattr(row, "fill_sort_names"):
            row.fill_sort_names()
        if isinstance(row, Position):
            row.fill_sort_keys(row.topic.name)


def generate(sizes, seed=0, progress_stream=sys.stderr):
    """Replace earlier generated rows with a new record of `sizes`; return rows per model.

    All in one transaction: a failure leaves the database as it was.
    """
    started = time.monotonic()
    generator = Generator(sizes, seed)
    generator.build()
    rows = generator.rows()
    progress = Progress(sum(len(objs) for objs in rows.values()), progress_stream)
    with transaction.atomic():
        clear_generated()
        for model, objs in rows.items():
            prepare(objs)
            label = str(model._meta.verbose_name_plural)
            for start in range(0, len(objs), BATCH_SIZE):
                batch = objs[start : start + BATCH_SIZE]
                model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                progress.advance(label, len(batch))
    progress.finish()
    counts = {str(model._meta.verbose_name_plural): len(objs) for model, objs in rows.items()}
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts
