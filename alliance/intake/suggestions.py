"""Candidate facts that simple French and English phrasings suggest: never facts.

A sentence saying that someone "a rejoint", "joined", is "membre de", "member of", or
that something was "fondé par" / "founded by", suggests memberships between the
organisations and the coalition it mentions; "directeur de", "président de",
"chief … of" and the like suggest a title held by the person it mentions at the
organisation it mentions. Each suggestion carries its sentence, word for word, as the
passage to cite; an editor confirms it (or not) in the admin.
"""

import re

from alliance.intake.mentions import ORGANISATION, PERSON, fold_with_offsets
from alliance.search import fold

MEMBERSHIP, ROLE = "membership", "role"

# Patterns run on folded text (no accents, lower case, plain apostrophes).
JOINED = re.compile(
    r"\b(?:a|ont|have|has) rejoint\b|\brejoint\b|\brejoignent\b|\bmembres? (?:de|d'|du)"
    r"|\bjoin(?:ed|s)?\b|\bmembers? of\b|\bcompose[es]* de\b|\bmade up of\b"
)
FOUNDED = re.compile(
    r"\bfonde(?:e|es|s)? par\b|\bco-?fondat(?:eur|rice)s?\b|\bco-?fonde(?:e|es|s)?\b"
    r"|\b(?:co-?)?founded by\b|\bco-?founders?\b"
)
TITLE = re.compile(
    r"\b(?P<title>(?:vice-)?(?:directeur|directrice|president|presidente|responsable"
    r"|fondateur|fondatrice|dirigeant|dirigeante)(?: [a-z-]+){0,3}?) (?:de|d'|du|chez)"
    r"|\b(?P<title_en>chief [a-z-]+(?: [a-z-]+)? (?:of|at)|ceo of|(?:vice )?president of"
    r"|director of|head of)"
)
#: Where a sentence turns to other subjects: "…, tandis que les membres de X…".
CLAUSE_BREAK = re.compile(r";|,?\s+(?:tandis que|alors que|mais|whereas|while|but)\s+", re.I)
SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[»”\"]?|$)")


def sentences(text):
    """[(start, end)] of the sentences of a paragraph, spaces trimmed."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def clauses(sentence):
    """[(start, end)] of the clauses of a sentence, cut where it turns to other subjects."""
    cuts = [0]
    for match in CLAUSE_BREAK.finditer(sentence):
        cuts += [match.start(), match.end()]
    cuts.append(len(sentence))
    return list(zip(cuts[::2], cuts[1::2], strict=True))


def unique(items):
    return list(dict.fromkeys(items))


def suggest(paragraphs, mentions):
    """Suggested facts, as dicts, for numbered paragraphs [(number, text)] and their
    mentions (alliance.intake.mentions.scan)."""
    suggestions = []
    for number, text in paragraphs:
        here = [mention for mention in mentions if mention.paragraph == number]
        for start, end in sentences(text):
            inside = [
                (m.entity, m.start - start) for m in here if start <= m.start and m.end <= end
            ]
            suggestions.extend(sentence_suggestions(number, text[start:end], inside))
    return suggestions


def sentence_suggestions(number, passage, mentions):
    """Suggestions for one sentence; `mentions` are [(entity, offset in the sentence)]."""
    folded, origin = fold_with_offsets(passage)
    entities = unique(entity for entity, _ in mentions)
    organisations = [e for e in entities if e.type == ORGANISATION and not e.is_outlet]
    coalitions = [e for e in organisations if e.is_coalition]
    members = [e for e in organisations if not e.is_coalition]
    people = [e for e in entities if e.type == PERSON]
    found = []
    for start, end in clauses(passage):
        clause = fold(passage[start:end])
        role = "founder" if FOUNDED.search(clause) else "member" if JOINED.search(clause) else None
        if role is None:
            continue
        named = unique(entity for entity, offset in mentions if start <= offset < end)
        found += [
            {
                "paragraph": number,
                "kind": MEMBERSHIP,
                "passage": passage,
                "member": member.slug,
                "coalition": coalition.slug,
                "role": role,
            }
            for coalition in coalitions
            if coalition in named
            for member in members
            if member in named
        ]
    for match in TITLE.finditer(folded) if people else ():
        group = "title" if match["title"] else "title_en"
        title = passage[origin[match.start(group)] : origin[match.end(group) - 1] + 1]
        if group == "title_en":
            title = title.rsplit(" ", 1)[0]  # "chief AI scientist", without its "of"
        # The organisation named right after the title: "directeur d'IBM Research".
        after = origin[match.end() - 1] + 1
        following = sorted(
            (offset, entity)
            for entity, offset in mentions
            if entity in members and after <= offset <= after + 2
        )
        for _offset, organisation in following[:1]:
            found += [
                {
                    "paragraph": number,
                    "kind": ROLE,
                    "passage": passage,
                    "person": person.slug,
                    "organisation": organisation.slug,
                    "title": title,
                }
                for person in people
            ]
    return found
