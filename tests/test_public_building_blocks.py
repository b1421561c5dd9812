"""The pieces the pages are drawn from: the home page's picture and the marking of passages."""

from types import SimpleNamespace

from alliance.public.passages import segments
from alliance.public.story import BANDS, HEADER, NO_STANCE, build_story


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


def story(day=None):
    from alliance.asof import today
    from alliance.public.views.home import (
        chart_positions,
        featured_coalition,
        featured_places,
        story_relations,
        story_roles,
    )

    day = day or today()
    coalition = featured_coalition(day)
    positions = list(chart_positions())
    relations = story_relations()
    return build_story(
        coalition,
        featured_places(coalition, day),
        positions,
        story_roles(positions, relations, day),
        relations,
    )


def cell(picture, band, leaning):
    (found,) = [b for b in picture.bands if b.key == band]
    return [mark.label for mark in found.cells.get(leaning, [])]


def test_the_story_puts_each_party_in_its_place_and_leaning(record):
    picture = story()
    drawn = [band.key for band in picture.bands]
    # From the heart outwards; a band with no one in it (no plain member yet) is left out.
    assert drawn == [key for key, _label in BANDS if key in drawn]
    assert {"founder", "key_contributor", "absent", "outside"} <= set(drawn)
    assert cell(picture, "founder", "open")[:2] == ["IBM", "Meta"]
    assert "Intel" in cell(picture, "key_contributor", NO_STANCE)
    assert {"Anthropic", "Cohere"} <= set(cell(picture, "absent", "closed"))
    assert "OpenAI" in cell(picture, "outside", "closed")
    assert cell(picture, "outside", "cautious") == ["Center for Humane Technology"]
    # The coalition is the frame, not an open organisation among its members.
    assert all(mark.label != "AI Alliance" for mark in picture.marks)
    assert picture.frame[1] > 0
    assert all(mark.url.startswith("/") for mark in picture.marks)


def test_people_stand_beside_their_organisation(record):
    picture = story()
    founders_open = cell(picture, "founder", "open")
    # IBM Research is part of IBM, so its director stands among the founders.
    assert "Darío Gil (IBM Research)" in founders_open
    assert founders_open.index("Meta") < founders_open.index("Darío Gil (IBM Research)")


def test_relations_are_links_between_marks(record):
    picture = story()
    labels = {link.label for link in picture.links}
    assert any("Yann LeCun" in label and "OpenAI" in label for label in labels)
    for link in picture.links:
        assert link.path.startswith("M")
        assert "#" in link.url


def test_both_layouts_place_every_mark(record):
    picture = story()
    assert all(mark.wide[1] > HEADER for mark in picture.marks)
    xs = [mark.wide[0] for mark in picture.marks]
    assert max(xs) < picture.width
    narrow = [mark.narrow[1] for mark in picture.marks]
    assert len(set(narrow)) == len(narrow)  # one row each on a phone
    assert max(narrow) < picture.narrow_height


def test_the_coalition_frame_holds_every_inside_band_in_both_layouts(record):
    from alliance.asof import sort_memberships, today
    from alliance.models import Coalition
    from alliance.public.story import INSIDE, coalition_story

    coalition = Coalition.objects.get(slug="ai-alliance")
    places = sort_memberships(coalition.memberships.select_related("member"), today())
    story = coalition_story(coalition, places, today())
    inside = [mark for mark in story.marks if mark.band in INSIDE]
    outside = [mark for mark in story.marks if mark.band not in INSIDE]
    assert inside
    assert outside
    for layout, (top, height) in (("wide", story.frame), ("narrow", story.narrow_frame)):
        assert all(top < getattr(mark, layout)[1] < top + height for mark in inside), layout
        assert all(not top < getattr(mark, layout)[1] < top + height for mark in outside), layout


def test_a_long_column_heading_is_split_in_two_lines_at_its_middle_space():
    from alliance.public.story import heading_lines

    assert heading_lines("Ouvert") == [("Ouvert", 30)]
    assert [line for line, _y in heading_lines("Sans position au dossier")] == [
        "Sans position",
        "au dossier",
    ]
