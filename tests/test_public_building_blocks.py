"""The pieces the pages are drawn from: the leaning chart and the marking of passages."""

from types import SimpleNamespace

from alliance.models import Leaning, Position
from alliance.public.chart import HEADER, ROW, build_chart
from alliance.public.passages import segments


def passage(text):
    return SimpleNamespace(passage=text)


def test_overlapping_passages_split_the_text_where_each_starts_and_ends():
    short, long = (
        passage("Yann LeCun, responsable"),
        passage("Yann LeCun, responsable scientifique"),
    )
    pieces = segments("Yann LeCun, responsable scientifique de Meta", [long, short])
    assert [piece.text for piece in pieces] == [
        "Yann LeCun, responsable",
        " scientifique",
        " de Meta",
    ]
    assert pieces[0].citations == [long, short]
    assert pieces[0].ending == [short]
    assert pieces[1].ending == [long]
    assert pieces[2].citations == []


def test_a_passage_missing_from_the_text_marks_nothing():
    pieces = segments("Un paragraphe.", [passage("absent")])
    assert [(piece.text, piece.citations) for piece in pieces] == [("Un paragraphe.", [])]


def test_chart_places_each_holder_once_per_leaning_in_debate_order(record):
    positions = Position.objects.select_related("organisation", "person")
    chart = build_chart(positions)
    assert [column.leaning for column in chart.columns] == Leaning.values
    open_column = chart.columns[0]
    labels = [mark.label for mark in open_column.marks]
    assert labels.count("Darío Gil") == 1  # two open positions, one mark
    # Organisations first, then people.
    assert labels.index("Meta") < labels.index("Darío Gil")
    assert [mark.label for mark in chart.columns[1].marks] == ["Center for Humane Technology"]
    assert {mark.label for mark in chart.columns[2].marks} == {"Anthropic", "Cohere", "OpenAI"}
    assert chart.height >= HEADER + len(open_column.marks) * ROW
    assert all(mark.url.startswith("/") for mark in chart.marks)


def test_empty_chart_still_has_a_height(db):
    chart = build_chart([])
    assert chart.is_empty
    assert chart.height > HEADER
