"""The home page's picture: who is in the featured coalition (founders, key contributors,
members), who is notably absent, who is outside, against where each stands (open,
cautious, closed, or no stance on record); people beside their organisation's place;
the coalition drawn as a frame, not as a mark; who criticises or competes with whom as
links between marks.

Geometry is computed here for two layouts, one wide (bands as rows, leanings as columns)
and one narrow (everything stacked, for phones, so the picture reflows instead of
scrolling). `includes/_story_chart.html` draws both; CSS shows the one that fits.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.models import Leaning, MembershipRole, OrganisationKind, Position, Relation, Role
from alliance.models.relations import RELATION_PARTIES, RelationKind

#: Rows of the picture, from the heart of the coalition outwards.
BANDS = [
    (MembershipRole.FOUNDER, _("Founders")),
    (MembershipRole.KEY_CONTRIBUTOR, _("Key contributors")),
    (MembershipRole.MEMBER, _("Members")),
    (MembershipRole.ABSENT, _("Notably absent")),
    ("outside", _("Outside")),
]
INSIDE = (MembershipRole.FOUNDER, MembershipRole.KEY_CONTRIBUTOR, MembershipRole.MEMBER)
NO_STANCE = "none"
COLUMNS = [*Leaning.choices, (NO_STANCE, _("no stance on record"))]

WIDE, LABELS, HEADER, ROW, BAND_PADDING = 960, 150, 48, 26, 14
COLUMN = (WIDE - LABELS) // len(COLUMNS)
NARROW, NARROW_ROW, NARROW_HEADING = 340, 28, 34

#: The picture draws at most this many places of each kind (founders, members,
#: absentees...), the first by name, and the home page at most this many holders of each
#: leaning: it stays readable, and costs the same, however large the record grows. The
#: lists beside it, and the positions page, name every one.
PICTURE_PLACES = 12
PICTURE_HOLDERS = 12


@dataclass
class Mark:
    label: str
    url: str
    band: str
    leaning: str
    is_person: bool = False
    disputed: bool = False
    #: Where the mark is in each layout: (x, y) of its symbol.
    wide: tuple = (0, 0)
    narrow: tuple = (0, 0)


@dataclass
class Link:
    """A relation between two marks: who criticises, competes with or is part of whom."""

    label: str
    url: str
    kind: str
    start: Mark
    end: Mark

    @property
    def path(self):
        (x1, y1), (x2, y2) = self.start.wide, self.end.wide
        # A curve bowing to the side, so links between marks of one column stay apart.
        bend = 40 + abs(y2 - y1) // 6
        control_x = max(x1, x2) + bend if x1 == x2 else (x1 + x2) // 2
        control_y = (y1 + y2) // 2 - (0 if x1 == x2 else bend)
        return f"M{x1},{y1} Q{control_x},{control_y} {x2},{y2}"


@dataclass
class Band:
    key: str
    label: str
    top: int = 0
    height: int = 0
    cells: dict = field(default_factory=dict)

    @property
    def marks(self):
        return [mark for value, _label in COLUMNS for mark in self.cells.get(value, [])]

    @property
    def middle(self):
        return self.top + self.height // 2

    def by_column(self):
        """[(leaning, label, marks)] for the columns this band has marks in."""
        return [
            (value, label, self.cells[value]) for value, label in COLUMNS if self.cells.get(value)
        ]


@dataclass
class Story:
    coalition: object
    bands: list
    links: list
    wide_height: int = 0
    narrow_height: int = 0
    narrow_rows: list = field(default_factory=list)
    #: The coalition's frame around its founders, key contributors and members: (top,
    #: height) in the wide layout; (0, 0) when none of them is drawn.
    frame: tuple = (0, 0)
    narrow_frame: tuple = (0, 0)
    #: Places the picture leaves to the lists beside it, to stay readable, and whether it
    #: drew as many holders of a leaning as it may.
    places_left_out: int = 0
    holders_capped: bool = False

    width = WIDE
    narrow_width = NARROW
    holders_at_most = PICTURE_HOLDERS
    #: Where the column dividers start: under the headings' second line.
    header_bottom = HEADER - 4

    @property
    def marks(self):
        return [mark for band in self.bands for mark in band.marks]

    @property
    def is_empty(self):
        return not self.marks

    @property
    def columns(self):
        """Each column's heading, in lines that fit the column ("No stance / on record")."""
        return [
            {
                "leaning": value,
                "label": label,
                "x": LABELS + index * COLUMN + COLUMN // 2,
                "lines": heading_lines(str(label)[:1].upper() + str(label)[1:]),
            }
            for index, (value, label) in enumerate(COLUMNS)
        ]

    @property
    def column_xs(self):
        return [LABELS + index * COLUMN for index in range(len(COLUMNS))]

    @property
    def has_disputed(self):
        return any(mark.disputed for mark in self.marks)


def story_roles(positions, relations, day):
    """The titles held on `day` by the people the picture draws, to set each beside their
    organisation: one query."""
    people = {position.person_id for position in positions if position.person_id}
    people |= {r.subject_person_id for r in relations if r.subject_person_id}
    people |= {r.object_person_id for r in relations if r.object_person_id}
    return list(
        Role.objects.standing()
        .in_force(day)
        .filter(person__in=people)
        .select_related("organisation")
        .order_by("person", "started_on", "slug")
    )


COALITION_POSITIONS = 120
COALITION_RELATIONS = 30


def pictured(memberships):
    """The first PICTURE_PLACES of each role of `memberships` (in reading order)."""
    shown, taken = [], {}
    for membership in memberships:
        if taken.get(membership.role, 0) < PICTURE_PLACES:
            taken[membership.role] = taken.get(membership.role, 0) + 1
            shown.append(membership)
    return shown


def coalition_story(coalition, places, day):
    """A coalition's own picture: its members and notable absentees (`places`, as sorted
    by `alliance.asof.sort_memberships`), the stances they and the people working for them
    take, and what the sources say they hold against or with others: three queries."""
    shown = pictured([*places.current, *places.absent])
    organisations = [membership.member_id for membership in shown]
    people = (
        Role.objects.standing()
        .in_force(day)
        .filter(organisation__in=organisations)
        .values("person")
    )
    relations = list(
        Relation.objects.standing()
        .filter(
            Q(subject_organisation__in=organisations)
            | Q(object_organisation__in=organisations)
            | Q(subject_person__in=people)
            | Q(object_person__in=people)
        )
        .select_related(*RELATION_PARTIES)
        .order_by("kind", "slug")[:COALITION_RELATIONS]
    )
    # Whoever a relation draws, inside or out, is drawn where they stand.
    drawn = Q(organisation__in=organisations) | Q(person__in=people)
    for relation in relations:
        for party in (relation.subject, relation.object):
            drawn |= Q(**{party._meta.model_name: party.pk})
    positions = list(
        Position.objects.standing()
        .filter(drawn)
        .select_related("organisation", "person")
        .order_by("leaning_rank", "slug")[:COALITION_POSITIONS]
    )
    story = build_story(
        coalition, shown, positions, story_roles(positions, relations, day), relations
    )
    story.places_left_out = len(places.current) + len(places.absent) - len(shown)
    return story


#: Characters of a column heading that fit on one line of its column.
HEADING_LINE = 16


def heading_lines(label):
    """`label` on one line, or two split at the space nearest its middle when too long:
    [(text, y)], the lines' baselines centred on the heading row."""
    if len(label) <= HEADING_LINE or " " not in label:
        return [(label, 30)]
    middle = len(label) // 2
    split = min((i for i, c in enumerate(label) if c == " "), key=lambda i: abs(i - middle))
    return [(label[:split], 21), (label[split + 1 :], 39)]


def _band_of(memberships):
    """{organisation id: band} from the coalition's places; the closest place wins."""
    order = [key for key, _label in BANDS]
    bands = {}
    for membership in memberships:
        current = bands.get(membership.member_id)
        if current is None or order.index(membership.role) < order.index(current):
            bands[membership.member_id] = membership.role
    return bands


def build_story(coalition, memberships, positions, roles, relations):
    """The picture from the coalition's places, standing positions, the current roles of
    the people who hold them, and relations between parties."""
    bands = {key: Band(key=key, label=label) for key, label in BANDS}
    band_of = _band_of(memberships)
    # A part of an organisation (IBM Research, of IBM) takes its parent's place.
    for relation in relations:
        part, parent = relation.subject_organisation_id, relation.object_organisation_id
        if relation.kind == RelationKind.PART_OF and parent in band_of and part not in band_of:
            band_of[part] = band_of[parent]
    employer = {}
    for role in roles:
        employer.setdefault(role.person_id, role.organisation)
    marks = {}

    def place(party, leaning, disputed=False):
        is_person = party._meta.model_name == "person"
        if not is_person and party.kind == OrganisationKind.COALITION:
            return None  # Coalitions are frames, not marks.
        key = (is_person, party.pk, leaning)
        if key in marks:
            marks[key].disputed = marks[key].disputed or disputed
            return marks[key]
        organisation = employer.get(party.pk) if is_person else party
        band = band_of.get(organisation.pk, "outside") if organisation else "outside"
        label = f"{party} ({organisation})" if is_person and organisation else str(party)
        mark = Mark(label, party.get_absolute_url(), band, leaning, is_person, disputed)
        marks[key] = mark
        bands[band].cells.setdefault(leaning, []).append(mark)
        return mark

    for position in positions:
        place(position.holder, position.leaning, position.is_disputed)
    stances = {(is_person, pk) for is_person, pk, _leaning in marks}
    for membership in memberships:
        if (False, membership.member_id) not in stances:
            place(membership.member, NO_STANCE)

    def mark_for(party):
        is_person = party._meta.model_name == "person"
        found = [m for (p, pk, _l), m in marks.items() if p == is_person and pk == party.pk]
        return found[0] if found else place(party, NO_STANCE)

    links = []
    for relation in relations:
        start, end = mark_for(relation.subject), mark_for(relation.object)
        if start is None or end is None or start is end:
            continue
        label = f"{relation.subject} {relation.get_kind_display()} {relation.object}"
        url = f"{relation.subject.get_absolute_url()}#{relation.slug}"
        links.append(Link(label, url, relation.kind, start, end))

    story = Story(coalition=coalition, bands=[b for b in bands.values() if b.marks], links=links)
    _lay_out(story)
    return story


def _lay_out(story):
    for band in story.bands:
        for cell in band.cells.values():
            cell.sort(key=lambda mark: (mark.is_person, mark.label.casefold()))
    # Wide: bands are rows, leanings columns.
    y = HEADER
    for band in story.bands:
        rows = max(len(cell) for cell in band.cells.values())
        band.top, band.height = y, rows * ROW + 2 * BAND_PADDING
        for index, (value, _label) in enumerate(COLUMNS):
            for row, mark in enumerate(band.cells.get(value, [])):
                mark.wide = (LABELS + index * COLUMN + 16, y + BAND_PADDING + row * ROW + ROW // 2)
        y += band.height
    story.wide_height = y + 8
    inside = [band for band in story.bands if band.key in INSIDE]
    if inside:
        top, bottom = inside[0].top - 4, inside[-1].top + inside[-1].height + 4
        story.frame = (top, bottom - top)
    # Narrow: one column; each band's heading, then its leanings one after the other.
    y, rows = 8, []
    for band in story.bands:
        if band.key in INSIDE and not story.narrow_frame[0]:
            story.narrow_frame = (y + 6, 0)
        if band.key not in INSIDE and story.narrow_frame[0] and not story.narrow_frame[1]:
            story.narrow_frame = (story.narrow_frame[0], y - story.narrow_frame[0])
        y += NARROW_HEADING
        rows.append({"kind": "band", "label": band.label, "y": y - 10, "band": band.key})
        for value, label, cell in band.by_column():
            y += NARROW_ROW
            rows.append({"kind": "leaning", "leaning": value, "label": label, "y": y - 8})
            for mark in cell:
                mark.narrow = (32, y + NARROW_ROW // 2)
                y += NARROW_ROW
        y += 6
    if story.narrow_frame[0] and not story.narrow_frame[1]:
        story.narrow_frame = (story.narrow_frame[0], y - story.narrow_frame[0])
    story.narrow_rows = rows
    story.narrow_height = y + 8
