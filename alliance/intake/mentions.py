"""The organisations, people and AI systems on record that a text mentions, and the
capitalised names in it that match nothing on record (candidates for new records).

Names are matched with accents and case folded (as search folds them), as whole words,
the longest name first: "IBM Research" is IBM Research, not IBM; "Le Cun" is never found
inside "aucune". A name written with capitals is not found in an all-lowercase word:
"oracle" in a sentence is not Oracle. A person is found by their full name and by their
surname (the name without its first word: "Gil", "LeCun"), unless two people share it.
"""

import re
import unicodedata
from dataclasses import dataclass

from alliance.models import AISystem, Organisation, OrganisationKind, Person
from alliance.search import fold

ORGANISATION, PERSON, AI_SYSTEM = "organisation", "person", "ai_system"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True)
class Entity:
    type: str
    pk: int
    slug: str
    label: str
    is_coalition: bool = False
    is_outlet: bool = False


@dataclass(frozen=True)
class Mention:
    paragraph: int
    entity: Entity
    words: str
    start: int
    end: int

    def as_dict(self):
        return {
            "paragraph": self.paragraph,
            "type": self.entity.type,
            "slug": self.entity.slug,
            "words": self.words,
        }


@dataclass(frozen=True)
class Candidate:
    paragraph: int
    words: str
    start: int
    end: int

    def as_dict(self):
        return {"paragraph": self.paragraph, "words": self.words}


def fold_char(char):
    decomposed = unicodedata.normalize("NFKD", char.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold_with_offsets(text):
    """`fold(text)` without trimming, and for each of its characters the index in `text`
    it comes from, so that a match in the folded text points back to the words."""
    folded, origin, after_space = [], [], False
    for index, char in enumerate(text):
        piece = fold_char(char)
        if piece.isspace():
            if after_space:
                continue
            piece, after_space = " ", True
        else:
            after_space = False
        folded.extend(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def names_of_record():
    """[(name, Entity)] for every organisation, person and AI system: three queries."""
    names = []
    organisations = Organisation.objects.only(
        "pk", "slug", "name", "name_en", "full_name", "aliases", "kind"
    )
    for organisation in organisations:
        entity = Entity(
            ORGANISATION,
            organisation.pk,
            organisation.slug,
            organisation.name,
            is_coalition=organisation.kind == OrganisationKind.COALITION,
            is_outlet=organisation.kind == OrganisationKind.NEWS_OUTLET,
        )
        for name in (
            organisation.name,
            organisation.name_en,
            organisation.full_name,
            *organisation.alias_list,
        ):
            names.append((name, entity))
    for person in Person.objects.only("pk", "slug", "name"):
        entity = Entity(PERSON, person.pk, person.slug, person.name)
        names.append((person.name, entity))
        _first, _, surname = person.name.partition(" ")
        if surname:
            names.append((surname, entity))
    for system in AISystem.objects.only("pk", "slug", "name"):
        names.append((system.name, Entity(AI_SYSTEM, system.pk, system.slug, system.name)))
    return names


class Gazetteer:
    """Every name on record, folded, in one pattern that tries the longest first."""

    def __init__(self, names):
        by_name = {}
        for name, entity in names:
            key = fold(name or "")
            if not key:
                continue
            by_name.setdefault(key, set()).add(entity)
        # A name two records share says neither for sure.
        self.entities = {key: found.pop() for key, found in by_name.items() if len(found) == 1}
        self.capitalised = {
            fold(name): any(char.isupper() for char in name) for name, _ in names if name
        }
        alternatives = sorted(self.entities, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")
            if alternatives
            else None
        )

    @classmethod
    def from_record(cls):
        return cls(names_of_record())

    def find(self, text, paragraph=0):
        if self.pattern is None:
            return []
        folded, origin = fold_with_offsets(text)
        found = []
        for match in self.pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            words = text[start:end]
            if self.capitalised.get(match.group()) and not any(c.isupper() for c in words):
                continue
            found.append(Mention(paragraph, self.entities[match.group()], words, start, end))
        return found


# Candidates: capitalised names that match nothing --------------------------------------

WORD = re.compile(r"[^\W\d_][\w-]*")
ELISION = re.compile(r"['’]")
SENTENCE_BREAK = re.compile(r"[.!?:;«»\"“”(\[]\s*$")
#: Words that join the parts of one name: "Center for Humane Technology", "Université de Lyon".
CONNECTORS = {"of", "for", "de", "du", "des"}
#: Capitalised words that start sentences, and months and days: never a name alone.
NOT_NAMES_TEXT = """le la les l un une des du de d il elle ils elles on ce cet cette ces dans en au aux
    pour par sur selon comme malgre mais et ou si lors apres avant depuis pendant alors
    ainsi cependant toutefois enfin aussi son sa ses leur leurs notre nos votre vos mon ma
    mes quand que qui quoi dont la chez vers entre sans sous face lorsque tandis plus
    the a an in on at for it he she they we this that these those but and or if as while
    with by from after before when since during its their our his her also however yet so
    there here then what which who according mr mrs ms dr
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    january february march april may june july august september october november december
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday
    friday saturday sunday"""
NOT_NAMES = set(NOT_NAMES_TEXT.split())
#: Not a name on their own, though part of some ("Mistral AI"): French and English for AI.
NOT_NAMES_ALONE = {"ia", "ai"}


def is_capitalised(word):
    return word[:1].isupper()


def looks_like_a_name(word):
    """Capitals inside or throughout (OpenAI, IBM, LeCun): a name wherever it stands."""
    return any(char.isupper() for char in word[1:])


def capitalised_runs(text):
    """[(start, end, at_sentence_start)] of the runs of capitalised words in `text`, with
    the connectors between them ("Center for Humane Technology")."""
    runs, current, connectors, previous_end = [], [], [], None

    def close():
        if current:
            start = current[0][0]
            before = text[:start].rstrip()
            runs.append((start, current[-1][1], not before or bool(SENTENCE_BREAK.search(before))))

    for match in WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        adjacent = previous_end is not None and text[previous_end:start] in (" ", "\u00a0")
        previous_end = end
        elided = len(word) <= 2 and ELISION.match(text, end)
        if is_capitalised(word) and not elided:
            if current and adjacent:
                current.extend(connectors)
                current.append((start, end))
            else:
                close()
                current = [(start, end)]
            connectors = []
        elif current and adjacent and word.lower() in CONNECTORS and len(connectors) < 2:
            connectors.append((start, end))
        else:
            close()
            current, connectors = [], []
    close()
    return runs


def candidates_in(text, mentions, paragraph=0):
    """Capitalised names in `text` that overlap no mention: candidates for new records."""
    taken = [(mention.start, mention.end) for mention in mentions]
    found, seen = [], set()
    for start, end, at_start in capitalised_runs(text):
        words = list(WORD.finditer(text, start, end))
        # Drop the sentence's own first words ("Le", "The") and any month or day.
        while words and fold(words[0].group()) in NOT_NAMES:
            words.pop(0)
            at_start = False
        while words and fold(words[-1].group()) in CONNECTORS:
            words.pop()
        if not words or (len(words) == 1 and fold(words[0].group()) in NOT_NAMES_ALONE):
            continue
        start, end = words[0].start(), words[-1].end()
        if at_start and len(words) == 1 and not looks_like_a_name(words[0].group()):
            continue
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        name = text[start:end]
        if fold(name) not in seen:
            seen.add(fold(name))
            found.append(Candidate(paragraph, name, start, end))
    return found


def scan(paragraphs, gazetteer=None):
    """(mentions, candidates) of numbered paragraphs: [(number, text)]."""
    gazetteer = gazetteer or Gazetteer.from_record()
    mentions, candidates = [], []
    for number, text in paragraphs:
        found = gazetteer.find(text, number)
        mentions.extend(found)
        candidates.extend(candidates_in(text, found, number))
    return mentions, candidates
