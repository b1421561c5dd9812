"""A record that lives, on top of the real one: a later article, a member that leaves and
rejoins, another that goes from member to key contributor, a title given up, facts
resting on several articles.

Every row goes through `full_clean()`, so the scenario itself obeys the model's rules
(passages word for word, no overlapping periods, nothing dated after its source).

In the world of this scenario, the AI Alliance's members on record are:

| day | members | what changed |
| --- | --- | --- |
| before December 2023 | 0 | |
| December 2023 to February 2024 | 6 | launch: Meta, IBM, Intel, Oracle, Cornell, NSF |
| March 2024 | 5 | Oracle leaves (key contributor) |
| April to August 2024 | 6 | Hugging Face joins as a member, then (June) becomes a key contributor |
| from September 2024 | 7 | Oracle joins again, as a member |
"""

import datetime

from alliance.models import (
    AISystem,
    Article,
    Citation,
    DatePrecision,
    Language,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Paragraph,
    Role,
    Source,
)

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"
LATER = "l-ai-alliance-un-an-apres"
EARLIER = "meta-publie-llama-2"
LATER_PARAGRAPHS = [
    "Oracle a quitté l’AI Alliance en mars 2024, puis l’a rejointe comme membre en septembre 2024.",
    "Hugging Face a rejoint l’AI Alliance comme membre en avril 2024 et en est devenue un "
    "contributeur clé en juin 2024.",
    "Intel reste l’un des contributeurs clés de l’AI Alliance.",
    "Darío Gil a quitté IBM en août 2024.",
    "L’Université Cornell n’a jamais été un contributeur clé de l’AI Alliance.",
]
EARLIER_PARAGRAPHS = ["Meta publie son modèle Llama 2 en open source."]


def month(year, number):
    return datetime.date(year, number, 1)


def article(slug, title, published_on, paragraphs, **fields):
    made = Article(
        slug=slug,
        title=title,
        published_on=published_on,
        date_precision=DatePrecision.MONTH,
        language=Language.FRENCH,
        **fields,
    )
    made.full_clean()
    made.save()
    for number, text in enumerate(paragraphs, start=1):
        Paragraph.objects.create(article=made, number=number, text=text)
    return made


def cite(source, passage):
    citation = Citation(article=source, passage=passage)
    citation.full_clean()
    citation.save()
    return citation


def saved(fact):
    fact.full_clean()
    fact.save()
    return fact


def build():
    """Add the scenario to the real record; return its rows by name."""
    later = article(
        LATER,
        "L’AI Alliance, un an après",
        month(2024, 12),
        LATER_PARAGRAPHS,
        outlet=Organisation.objects.get(slug="wall-street-journal"),
        authors="Jeanne Martin",
        source_url="https://example.org/ai-alliance-un-an-apres",
    )
    earlier = article(EARLIER, "Meta publie Llama 2", month(2023, 7), EARLIER_PARAGRAPHS)

    oracle_left = cite(later, "Oracle a quitté l’AI Alliance en mars 2024")
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    oracle.ended_on = month(2024, 3)
    oracle.ended_precision = DatePrecision.MONTH
    oracle.end_citation = oracle_left
    saved(oracle)
    oracle_again = saved(
        Membership(
            slug="oracle-ai-alliance-2024",
            member=oracle.member,
            coalition=oracle.coalition,
            role=MembershipRole.MEMBER,
            started_on=month(2024, 9),
            started_precision=DatePrecision.MONTH,
            citation=cite(later, "puis l’a rejointe comme membre en septembre 2024"),
        )
    )

    hugging_face = Organisation.objects.create(
        name="Hugging Face", slug="hugging-face", kind=OrganisationKind.COMPANY
    )
    hugging_face_member = saved(
        Membership(
            slug="hugging-face-ai-alliance-member",
            member=hugging_face,
            coalition=oracle.coalition,
            role=MembershipRole.MEMBER,
            started_on=month(2024, 4),
            started_precision=DatePrecision.MONTH,
            ended_on=month(2024, 6),
            ended_precision=DatePrecision.MONTH,
            citation=cite(later, "Hugging Face a rejoint l’AI Alliance comme membre en avril 2024"),
        )
    )
    hugging_face_key = saved(
        Membership(
            slug="hugging-face-ai-alliance",
            member=hugging_face,
            coalition=oracle.coalition,
            role=MembershipRole.KEY_CONTRIBUTOR,
            started_on=month(2024, 6),
            started_precision=DatePrecision.MONTH,
            citation=cite(later, "en est devenue un contributeur clé en juin 2024"),
        )
    )

    intel = Membership.objects.get(slug="intel-ai-alliance")
    saved(Source(fact=intel, citation=cite(later, LATER_PARAGRAPHS[2])))

    gil = Role.objects.get(slug="dario-gil-ibm-vice-president-principal")
    gil.ended_on = month(2024, 8)
    gil.ended_precision = DatePrecision.MONTH
    gil.end_citation = cite(later, LATER_PARAGRAPHS[3])
    saved(gil)

    llama = AISystem.objects.get(slug="llama-2")
    saved(Source(fact=llama, citation=cite(earlier, EARLIER_PARAGRAPHS[0])))

    return {
        "later": later,
        "earlier": earlier,
        "oracle": oracle,
        "oracle_again": oracle_again,
        "hugging_face_member": hugging_face_member,
        "hugging_face_key": hugging_face_key,
        "intel": intel,
        "gil": gil,
        "llama": llama,
        "cornell_correction": cite(later, LATER_PARAGRAPHS[4]),
    }


def correct_cornell(rows):
    """Correct Cornell's place in the AI Alliance, citing the later article."""
    cornell = Membership.objects.get(slug="cornell-ai-alliance")
    cornell.status = "corrected"
    cornell.correction = "Cornell n’a jamais été un contributeur clé de l’alliance."
    cornell.correction_citation = rows["cornell_correction"]
    saved(cornell)
    return cornell
