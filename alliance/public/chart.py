"""The picture of the debate: organisations and people placed by leaning, drawn as SVG.

The geometry is computed here; `includes/_leaning_chart.html` draws it, so the marks are
plain links that work without JavaScript and read well in a screen reader.
"""

from dataclasses import dataclass, field

from alliance.models import Leaning

WIDTH = 840
COLUMN_WIDTH = WIDTH // len(Leaning.values)
HEADER = 56
ROW = 34
PADDING = 20


@dataclass
class Mark:
    label: str
    url: str
    leaning: str
    is_person: bool
    #: A disputed stance still counts, and the picture says it is disputed.
    disputed: bool = False
    x: int = 0
    y: int = 0

    @property
    def text_x(self):
        return self.x + 14


@dataclass
class Column:
    leaning: str
    label: str
    x: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def centre(self):
        return self.x + COLUMN_WIDTH // 2


@dataclass
class LeaningChart:
    columns: list[Column]
    height: int
    width: int = WIDTH

    @property
    def marks(self):
        return [mark for column in self.columns for mark in column.marks]

    @property
    def has_disputed(self):
        return any(mark.disputed for mark in self.marks)

    @property
    def is_empty(self):
        return not self.marks

    @property
    def divider_xs(self):
        return [column.x for column in self.columns[1:]]


def build_chart(positions):
    """Place each holder once per leaning it takes, in columns open → cautious → closed."""
    columns = [
        Column(leaning=value, label=label, x=index * COLUMN_WIDTH)
        for index, (value, label) in enumerate(Leaning.choices)
    ]
    by_leaning = {column.leaning: column for column in columns}
    seen = {}
    for position in positions:
        holder = position.holder
        key = (type(holder).__name__, holder.pk, position.leaning)
        if position.leaning not in by_leaning:
            continue
        if key in seen:
            seen[key].disputed = seen[key].disputed or position.is_disputed
            continue
        seen[key] = Mark(
            label=str(holder),
            url=holder.get_absolute_url(),
            leaning=position.leaning,
            is_person=position.person_id is not None,
            disputed=position.is_disputed,
        )
        by_leaning[position.leaning].marks.append(seen[key])
    for column in columns:
        # Organisations first, then people, each alphabetically: a stable picture.
        column.marks.sort(key=lambda mark: (mark.is_person, mark.label.casefold()))
        for row, mark in enumerate(column.marks):
            mark.x = column.x + PADDING
            mark.y = HEADER + row * ROW + ROW // 2
    rows = max((len(column.marks) for column in columns), default=0)
    return LeaningChart(columns=columns, height=HEADER + max(rows, 1) * ROW + PADDING)
