"""The fixture is built from seeds/, reproducibly, and says what the document says."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Q

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    Coalition,
    FactStatus,
    Membership,
    MembershipRole,
    Organisation,
    Paragraph,
    Person,
    Position,
    Relation,
    RelationKind,
    Role,
)
from alliance.seeding.document import parse_document
from alliance.seeding.fixture import build_fixture, render_fixture

SEEDS = settings.BASE_DIR / "seeds"
FIXTURE = settings.BASE_DIR / "fixtures" / "alliance.json"
DOCUMENT = SEEDS / "000_4cb52089fe021225.txt"
ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


def test_committed_fixture_is_what_the_seeds_build():
    assert FIXTURE.read_text("utf-8") == render_fixture(build_fixture(SEEDS)), (
        "fixtures/alliance.json is out of date: run `make fixture`"
    )


def test_build_fixture_check_passes_on_the_committed_fixture(capsys):
    call_command("build_fixture", "--check")
    assert "up to date" in capsys.readouterr().out


def test_every_excerpt_is_verbatim_in_the_document():
    document = parse_document(DOCUMENT.read_text("utf-8"))
    passages = [
        obj["fields"]["passage"]
        for obj in json.loads(FIXTURE.read_text("utf-8"))
        if obj["model"] == "alliance.citation"
    ]
    assert passages
    for passage in passages:
        assert document.find(passage) is not None, passage


def test_document_is_parsed_into_title_date_sections_and_paragraphs():
    document = parse_document(DOCUMENT.read_text("utf-8"))
    assert document.title.startswith("Meta et IBM créent l’AI Alliance")
    assert document.published_on.isoformat() == "2023-12-01"
    assert document.sections == ["Atténuer les risques", "L’AI Alliance ouverte à d’autres acteurs"]
    assert len(document.paragraphs) == 13
    assert document.paragraphs[0].text.endswith("la National Science Foundation.")
    assert document.paragraphs[6].section == "Atténuer les risques"


@pytest.fixture
def seeds_copy(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def break_annotations(seeds, old, new):
    path = seeds / "annotations.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return line


def run_build(seeds, output):
    call_command("build_fixture", "--seeds", str(seeds), "--output", str(output))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "excerpt: Yann LeCun, responsable scientifique de Meta pour l’IA\n",
            "excerpt: Yann LeCun, directeur scientifique de Meta\n",
            "excerpt not found word for word",
        ),
        ("organisation: meta\n", "organisation: metaverse\n", "unknown organisation “metaverse”"),
        ("members: [intel,", "members: [nvidia,", "unknown organisation “nvidia”"),
        ("leaning: cautious", "leaning: lukewarm", "“leaning: lukewarm” is not one of"),
        (
            "{slug: adept, name: Adept,",
            "{slug: xai, name: xAI,",
            "“xAI” is not named in the document",
        ),
    ],
)
def test_bad_annotation_stops_the_build_naming_its_line_and_writes_nothing(
    seeds_copy, tmp_path, old, new, message
):
    line = break_annotations(seeds_copy, old, new)
    output = tmp_path / "alliance.json"
    output.write_text("previous content", "utf-8")
    with pytest.raises(CommandError) as error:
        run_build(seeds_copy, output)
    assert message in str(error.value)
    assert "Nothing was written" in str(error.value)
    # Entries report the line of the mapping they sit in: the changed line or one just above.
    reported = int(str(error.value).split("line ")[1].split(":")[0])
    assert line - 5 <= reported <= line
    assert output.read_text("utf-8") == "previous content"


def test_a_build_from_good_seeds_writes_the_fixture(seeds_copy, tmp_path):
    output = tmp_path / "alliance.json"
    run_build(seeds_copy, output)
    assert output.read_text("utf-8") == FIXTURE.read_text("utf-8")


def rows_without_timestamps(model):
    return [
        {key: value for key, value in row.items() if key not in ("created_at", "updated_at")}
        for row in model.objects.order_by("pk").values()
    ]


@pytest.mark.django_db
def test_loading_twice_changes_nothing(record):
    models = [Organisation, Membership, Person, Role, Position, AISystem, Citation, Paragraph]
    before = {model: rows_without_timestamps(model) for model in models}
    call_command("loaddata", "alliance", verbosity=0)
    for model in models:
        assert rows_without_timestamps(model) == before[model], model


@pytest.mark.django_db
def test_reloading_over_editors_changes_restores_fixture_rows_and_keeps_theirs(record):
    meta = Organisation.objects.get(slug="meta")
    meta.name = "Meta (edited)"
    meta.save()
    Organisation.objects.create(name="Hugging Face", slug="hugging-face", kind="company")
    call_command("loaddata", "alliance", verbosity=0)
    assert Organisation.objects.get(slug="meta").name == "Meta"
    assert Organisation.objects.filter(slug="hugging-face").exists()
    assert Organisation.objects.filter(slug="meta").count() == 1


@pytest.mark.django_db
def test_the_record_says_what_the_document_says(record):
    alliance = Coalition.objects.get(slug="ai-alliance")

    def by_role(role):
        return set(alliance.memberships.filter(role=role).values_list("member__slug", flat=True))

    assert by_role(MembershipRole.FOUNDER) == {"meta", "ibm"}
    assert by_role(MembershipRole.KEY_CONTRIBUTOR) == {
        "intel",
        "oracle",
        "cornell",
        "national-science-foundation",
    }
    assert by_role(MembershipRole.ABSENT) == {"stanford", "mit", "anthropic", "cohere", "adept"}
    forum = Coalition.objects.get(slug="frontier-model-forum")
    assert set(forum.memberships.values_list("member__slug", flat=True)) == {
        "meta",
        "microsoft",
        "google",
        "anthropic",
    }
    assert Organisation.objects.get(slug="meta").full_name == "Meta Platforms"
    assert Organisation.objects.get(slug="ibm").full_name == "International Business Machines"
    assert set(Role.objects.values_list("person__slug", "organisation__slug", "title")) == {
        ("dario-gil", "ibm", "vice-président principal"),
        ("dario-gil", "ibm-research", "directeur"),
        ("yann-lecun", "meta", "responsable scientifique pour l’IA"),
        ("sriram-raghavan", "ibm", "vice-président de la division AI Research"),
    }
    assert set(AISystem.objects.values_list("slug", "owner__slug")) == {
        ("chatgpt", "openai"),
        ("watson", "ibm"),
        ("watsonx", "ibm"),
        ("llama-2", "meta"),
    }
    closed = set(
        Position.objects.filter(leaning="closed").values_list("organisation__slug", flat=True)
    )
    assert closed == {"openai", "anthropic", "cohere"}
    gil = Position.objects.get(slug="dario-gil-open-source-ai")
    assert gil.is_quote
    assert gil.reported_by.slug == "wall-street-journal"
    assert "moteur ouvert" in gil.citation.passage
    assert gil.citation.paragraph.number == 5
    assert (
        Position.objects.get(slug="sriram-raghavan-open-source-ai").reported_by.slug == "techcrunch"
    )
    assert (
        Position.objects.get(slug="center-for-humane-technology-open-source-ai").leaning
        == "cautious"
    )
    article = Article.objects.get()
    assert (article.language, article.date_precision) == ("fr", "month")


@pytest.mark.django_db
def test_every_fact_has_a_citation_in_its_article(record):
    for model in (Membership, Role, Position, AISystem):
        for fact in model.objects.select_related("citation__paragraph"):
            assert fact.citation.passage in fact.citation.paragraph.text


def test_every_named_organisation_and_person_is_in_the_document():
    document = DOCUMENT.read_text("utf-8")
    for obj in json.loads(FIXTURE.read_text("utf-8")):
        if obj["model"] in ("alliance.organisation", "alliance.person"):
            name = obj["fields"]["name"]
            aliases = obj["fields"].get("aliases", "").splitlines()
            assert any(n.casefold() in document.casefold() for n in [name, *aliases]), name


def test_fixture_uses_natural_keys_only():
    for obj in json.loads(Path(FIXTURE).read_text("utf-8")):
        assert "pk" not in obj


# The whole document, truthfully ---------------------------------------------------------

QUOTED = re.compile(r"«\s*(.+?)\s*»")


def fixture_rows(model):
    return [
        obj["fields"] for obj in json.loads(FIXTURE.read_text("utf-8")) if obj["model"] == model
    ]


def test_every_paragraph_of_the_article_supports_a_fact():
    cited = {fields["paragraph"][1] for fields in fixture_rows("alliance.citation")}
    assert cited == {paragraph["number"] for paragraph in fixture_rows("alliance.paragraph")}


def test_words_a_summary_or_rationale_quotes_are_the_passage_s_own():
    passages = {
        Citation.make_slug(ARTICLE, fields["passage"]): fields["passage"]
        for fields in fixture_rows("alliance.citation")
    }
    checked = 0
    for model in ("alliance.position", "alliance.claim", "alliance.relation"):
        for fields in fixture_rows(model):
            passage = passages[fields["citation"][0]]
            for text in (fields.get("summary", ""), fields.get("rationale", "")):
                for quoted in QUOTED.findall(text):
                    assert quoted in passage, (fields["slug"], quoted)
                    checked += 1
    assert checked >= 9


def test_every_stance_says_why_its_passage_shows_its_leaning():
    for fields in fixture_rows("alliance.position"):
        assert fields["rationale"], fields["slug"]
        assert fields["rationale_en"], fields["slug"]


def test_every_editorial_text_of_the_seed_is_in_french_and_english():
    for model, names in {
        "alliance.position": ("summary", "rationale"),
        "alliance.claim": ("summary",),
        "alliance.relation": ("summary",),
        "alliance.role": ("title",),
        "alliance.topic": ("name", "description"),
        "alliance.aisystem": ("description",),
        "alliance.organisation": ("name",),
    }.items():
        for fields in fixture_rows(model):
            for name in names:
                assert fields[name], (model, fields.get("slug"), name)
                assert fields[f"{name}_en"], (model, fields.get("slug"), name)
    for fields in fixture_rows("alliance.citation"):
        assert fields["translation"], fields["passage"]
    for fields in fixture_rows("alliance.paragraph"):
        assert fields["translation"], fields["number"]
    assert all(fields["title_translation"] for fields in fixture_rows("alliance.article"))


@pytest.mark.django_db
def test_the_document_s_own_error_is_corrected_with_its_source(record):
    meta_in_forum = Membership.objects.get(slug="meta-frontier-model-forum")
    assert meta_in_forum.status == FactStatus.CORRECTED
    assert meta_in_forum.correction_source == "https://www.frontiermodelforum.org/"
    assert "juillet 2023" in meta_in_forum.correction
    assert "July 2023" in meta_in_forum.correction_en
    # The original claim and its passage stay on record beside the correction.
    assert "composé de Meta" in meta_in_forum.citation.passage
    forum = Coalition.objects.get(slug="frontier-model-forum")
    assert set(forum.memberships.counting().values_list("member__slug", flat=True)) == {
        "microsoft",
        "google",
        "anthropic",
    }
    chronology = Claim.objects.get(about_organisation=forum)
    assert chronology.status == FactStatus.CORRECTED
    assert "avant l’AI Alliance" in chronology.correction
    # OpenAI is not added to the Forum: no article on record says so.
    assert not Membership.objects.filter(member__slug="openai", coalition=forum).exists()


@pytest.mark.django_db
def test_relations_and_claims_the_document_states_are_on_record(record):
    def related(subject, kind):
        return set(
            Relation.objects.filter(
                Q(subject_organisation__slug=subject) | Q(subject_person__slug=subject), kind=kind
            ).values_list("object_organisation__slug", flat=True)
        )

    assert related("yann-lecun", RelationKind.CRITICISES) == {"openai", "google", "anthropic"}
    assert related("center-for-humane-technology", RelationKind.CRITICISES) == {"meta"}
    assert related("ibm", RelationKind.COMPETES_WITH) == {"microsoft", "openai"}
    assert related("ibm-research", RelationKind.PART_OF) == {"ibm"}
    ibm_claims = Claim.objects.filter(about_organisation__slug="ibm")
    assert {claim.citation.paragraph.number for claim in ibm_claims} == {10}
    gil = Claim.objects.get(said_by_person__slug="dario-gil")
    assert gil.about_organisation.slug == "ai-alliance"
    assert "diversité" in gil.summary


@pytest.mark.django_db
def test_stances_the_text_does_not_state_are_not_recorded(record):
    # LeCun's criticism of lobbying and Gil's remark on diversity say nothing of openness.
    assert not Position.objects.filter(person__slug="yann-lecun").exists()
    assert list(
        Position.objects.filter(person__slug="dario-gil").values_list("slug", flat=True)
    ) == ["dario-gil-open-source-ai"]
    raghavan = Position.objects.get(slug="sriram-raghavan-open-source-ai")
    assert "envisage" in raghavan.summary
    assert "pour l’instant" not in Position.objects.get(slug="ibm-open-source-ai").summary
