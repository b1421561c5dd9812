"""Mark the cited passages inside a paragraph's text, even where passages overlap."""

import itertools
from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    #: The citations whose passage covers this stretch of text.
    citations: list = field(default_factory=list)
    #: The citations whose passage ends here: their note marker follows this segment.
    ending: list = field(default_factory=list)
    #: The citations whose passage starts here: their anchors are on this segment.
    starting: list = field(default_factory=list)


def segments(text, citations):
    """Split `text` at every passage boundary; each piece knows which passages cover it."""
    spans = []
    for citation in citations:
        start = text.find(citation.passage)
        if start >= 0:
            spans.append((start, start + len(citation.passage), citation))
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        pieces.append(
            Segment(
                text=text[start:end],
                citations=[c for s, e, c in spans if s <= start and end <= e],
                ending=[c for _, e, c in spans if e == end],
                starting=[c for s, _, c in spans if s == start],
            )
        )
    return pieces
