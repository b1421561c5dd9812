"""Reading an article from a paste or a file: the seed's parser, and what it refuses."""

import pytest

from alliance.intake.reading import MAX_BYTES, IntakeError, read_article, read_file
from alliance.intake.records import already_on_record, save_article
from alliance.models import Article
from alliance.seeding.document import parse_article, parse_document
from tests.intake.articles import ENGLISH, FRENCH, SEED


def test_the_seed_reads_the_same_through_the_article_parser():
    text = SEED.read_text("utf-8")
    assert parse_article(text) == parse_document(text)


def test_a_markdown_article_gives_its_title_date_sections_and_numbered_paragraphs():
    document = read_article(FRENCH)

    assert document.title == "Cohere et Adept rejoignent l’AI Alliance"
    assert (document.published_on.isoformat(), document.date_precision) == ("2024-03-05", "day")
    assert [p.number for p in document.paragraphs] == [1, 2, 3]
    assert document.paragraphs[2].section == "Réactions"
    assert document.paragraphs[0].text.startswith("Cohere a rejoint l’AI Alliance mardi")


def test_a_month_date_line_is_kept_at_its_precision():
    document = read_article(ENGLISH)
    assert (document.published_on.isoformat(), document.date_precision) == ("2024-04-01", "month")


def test_hard_wrapped_paragraphs_are_joined_and_markdown_marks_dropped():
    document = read_article(
        "A title\n\nIBM and **Meta** said it,\nin [Paris](https://example.org).\n\nAnother one.\n"
    )
    assert [p.text for p in document.paragraphs] == [
        "IBM and Meta said it, in Paris.",
        "Another one.",
    ]


def test_an_html_page_keeps_its_text_and_never_its_scripts_styles_or_markup():
    page = """<!DOCTYPE html><html><head><title>Site | News</title>
    <style>p { color: red }</style><script>alert("stolen")</script>
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/x">Menu link.</a></nav>
    <article><h1>Cohere joins the <em>AI Alliance</em></h1>
    <p>Cohere joined the AI Alliance &amp; said so <b>loudly</b>.<script>document.write("x")</script></p>
    <h2>Reactions</h2><p>IBM welcomed it.<img src=x onerror="alert(1)"></p></article>
    <footer>Copyright notice, all rights reserved.</footer></body></html>"""
    document = read_file(page.encode(), "cohere.html")

    assert document.title == "Cohere joins the AI Alliance"
    assert document.published_on.isoformat() == "2024-03-05"
    assert [(p.section, p.text) for p in document.paragraphs] == [
        ("", "Cohere joined the AI Alliance & said so loudly."),
        ("Reactions", "IBM welcomed it."),
    ]
    stored = " ".join(p.text for p in document.paragraphs)
    assert "<" not in stored
    assert "alert" not in stored
    assert "color" not in stored


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The article is empty"),
        (b"  \n\n \n", "The article is empty"),
        (b"A title\n\nA heading\n\nAnother heading\n", "no paragraphs"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Un article en Latin-1: données.".encode("latin-1"), "not UTF-8"),
        (
            b"<html><head><script>var a = 1;</script></head><body><script>go()</script>"
            b"<style>body{}</style></body></html>",
            "The article is empty",
        ),
    ],
    ids=["empty", "blank", "headings-only", "binary", "latin-1", "html-all-scripts"],
)
def test_bad_input_is_refused_with_a_clear_message(data, message):
    with pytest.raises(IntakeError, match=message):
        read_file(data, "article.html" if data.startswith(b"<html") else "article.txt")


def test_a_file_over_the_limit_is_refused_naming_the_limit():
    with pytest.raises(IntakeError, match="the limit is 5 MB"):
        read_file(b"a" * (MAX_BYTES + 1))


def test_an_article_already_on_record_by_its_text_is_refused_saying_so(record):
    with pytest.raises(IntakeError, match="has the same text"):
        already_on_record(read_article(SEED.read_text("utf-8")))


def test_an_article_already_on_record_by_its_address_is_refused_saying_so(record):
    document = read_article(ENGLISH)
    save_article(
        document,
        title=document.title,
        language="en",
        published_on=document.published_on,
        date_precision="month",
        source_url="https://example.org/cohere",
    )
    again = read_article(ENGLISH.replace("in April", "in early April"))
    with pytest.raises(IntakeError, match="has the same address"):
        save_article(
            again,
            title="Another title",
            language="en",
            published_on=again.published_on,
            date_precision="month",
            source_url="https://example.org/cohere",
        )
    assert Article.objects.filter(source_url="https://example.org/cohere").count() == 1


def test_a_saved_article_keeps_its_numbered_paragraphs_and_sections(record):
    document = read_article(FRENCH)
    article = save_article(
        document,
        title=document.title,
        language="fr",
        published_on=document.published_on,
        date_precision="day",
        draft=True,
    )
    assert article.slug == "cohere-et-adept-rejoignent-lai-alliance"
    assert [(p.number, p.section) for p in article.paragraphs.all()] == [
        (1, ""),
        (2, ""),
        (3, "Réactions"),
    ]
