"""`manage.py ingest_article`: the same intake from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand

from alliance.intake.reading import MAX_BYTES
from alliance.management.commands.ingest_article import Command
from alliance.models import Article, Membership, Paragraph
from tests.intake.articles import ENGLISH, FRENCH, SEED


def ingest(path, *args):
    out, err = StringIO(), StringIO()
    call_command("ingest_article", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def english(tmp_path):
    path = tmp_path / "cohere.md"
    path.write_text(ENGLISH, "utf-8")
    return path


def test_json_gives_paragraphs_mentions_candidates_and_suggestions(record, english):
    articles = Article.objects.count()
    out, _ = ingest(english, "--dry-run", "--json")
    result = json.loads(out)

    assert result["title"] == "Two more join the AI Alliance"
    assert result["date"] == "2024-04"
    assert result["paragraphs"][0] == {
        "number": 1,
        "text": "Cohere joined the AI Alliance in April, the coalition said on its site.",
    }
    assert {"paragraph": 2, "type": "person", "slug": "yann-lecun", "words": "Yann LeCun"} in (
        result["mentions"]
    )
    assert {"paragraph": 3, "words": "Hugging Face"} in result["candidates"]
    assert {
        "paragraph": 1,
        "kind": "membership",
        "passage": result["paragraphs"][0]["text"],
        "member": "cohere",
        "coalition": "ai-alliance",
        "role": "member",
    } in result["suggestions"]
    assert result["article"] is None
    assert Article.objects.count() == articles


def test_the_seed_dry_run_finds_its_mentions_and_says_it_is_on_record(record):
    out, err = ingest(SEED, "--dry-run", "--json")
    slugs = {mention["slug"] for mention in json.loads(out)["mentions"]}
    assert {"ibm-research", "dario-gil", "llama-2", "frontier-model-forum"} <= slugs
    assert "already on record" in err
    assert "same text" in err


def test_without_dry_run_the_article_is_saved_as_a_draft_and_no_fact_is_made(record, tmp_path):
    path = tmp_path / "cohere.txt"
    path.write_text(FRENCH, "utf-8")
    memberships = Membership.objects.count()

    out, _ = ingest(path, "--lang", "fr", "--url", "https://example.org/cohere")

    article = Article.objects.get(slug="cohere-et-adept-rejoignent-lai-alliance")
    assert (article.draft, article.language, article.published_iso) == (True, "fr", "2024-03-05")
    assert article.source_url == "https://example.org/cohere"
    assert article.paragraphs.count() == 3
    assert "mention: person dario-gil “Dario Gil”" in out
    assert "suggests: membership cohere in ai-alliance (member)" in out
    assert "Saved as a draft" in out
    assert Membership.objects.count() == memberships


def test_the_language_is_guessed_when_not_given(record, english):
    ingest(english)
    assert Article.objects.get(title="Two more join the AI Alliance").language == "en"


def test_the_same_file_twice_is_refused_the_second_time(record, english):
    ingest(english)
    with pytest.raises(CommandError, match=r"already on record.*same text"):
        ingest(english)
    assert Article.objects.filter(title="Two more join the AI Alliance").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The article is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        ("Café été".encode("latin-1"), "not UTF-8"),
        (b"Title\n\nHeading\n", "no paragraphs"),
        (b"a" * (MAX_BYTES + 1), "the limit is 5 MB"),
        (b"A title\n\nA paragraph with no date at all.\n", "gives no date"),
    ],
    ids=["empty", "binary", "latin-1", "no-paragraphs", "too-large", "no-date"],
)
def test_a_bad_file_is_refused_and_nothing_is_written(record, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    counts = Article.objects.count(), Paragraph.objects.count()
    with pytest.raises(CommandError, match=message):
        ingest(path)
    assert (Article.objects.count(), Paragraph.objects.count()) == counts


def test_a_bad_file_exits_non_zero_with_the_reason_on_standard_error(record, tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\x00binary")
    command = Command()
    assert isinstance(command, BaseCommand)
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "ingest_article", str(path)])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "binary file" in captured.err
    assert captured.out == ""


def test_a_missing_file_is_refused(record, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        ingest(tmp_path / "nowhere.txt")
