"""The data and geometry of the pictures on the insights pages.

The pictures are SVG written by Django templates (``templates/articles/charts/``) from the
plain numbers computed here: rectangles, markers and text with presentation attributes
(``x``, ``y``, ``width``) and CSS classes styled by the site's own stylesheet. The site's
Content-Security-Policy allows no inline script or style; the usual Python SVG charting
package (pygal) always writes a ``<style>`` element and an inline ``<script>``, and
matplotlib writes ``style="…"`` on every element and needs CJK fonts on the server, so
neither fits. Each chart's data is also given as a table.

Everything here reads the case list's facet index (one bitmap per facet value), so the
counts cost no database work whatever the number of cases; the timeline and the challenge
map read only the rows of the cases they draw.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import models as m
from .links import url_for
from .listings import real_cases

OUTCOMES = (
    m.CaseStudy.Outcome.OPERATING,
    m.CaseStudy.Outcome.LISTED,
    m.CaseStudy.Outcome.ACQUIRED,
    m.CaseStudy.Outcome.PIVOTED,
    m.CaseStudy.Outcome.DEAL_REVERSED,
    m.CaseStudy.Outcome.SHUT_DOWN,
)
TIMELINE_CASES = 40  # cases drawn on the timeline; the rest through narrower facets
MAP_CASES_PER_LAYER = 10  # case rows of the challenge map per layer (the best documented)
MAP_LABEL_CHARS = 18  # characters of a row label of the challenge map
MAP_COLUMN_CHARS, MAP_COLUMN_LINES = 5, 2  # a challenge's column label: two level lines of five
STRATEGIES_LABEL = _("Strategies")
LABEL_CHARS = 14  # characters of a label drawn in a chart; the full text is in its <title>


def short_label(text, limit=LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def case_name(case):
    """A case's short name: its title before "：" (a case title names the company, then the lesson)."""
    return case.title.split("：")[0]


# -- Factors x outcomes ------------------------------------------------------------------------


@dataclass
class Segment:
    outcome: str
    label: str
    count: int
    x: float = 0
    width: float = 0


@dataclass
class Bar:
    slug: str
    label: str
    url: str
    total: int
    segments: list
    y: float = 0

    @property
    def short(self):
        return short_label(self.label)

    @property
    def end(self):
        """Where the bar ends (its total is written just after)."""
        return (self.segments[-1].x + self.segments[-1].width) if self.segments else 0


@dataclass
class FactorOutcomeChart:
    bars: list
    outcomes: list  # (value, label)
    width: int = 720
    label_width: int = 190
    bar_height: int = 22
    gap: int = 10
    top: int = 10

    @property
    def height(self):
        return self.top + len(self.bars) * (self.bar_height + self.gap) + 30

    @property
    def axis_y(self):
        return self.top + len(self.bars) * (self.bar_height + self.gap)


def factors_by_outcome(index):
    """For each success factor, how many real cases with it have each outcome (most cases first)."""
    real = real_cases(index)
    outcome_bits = index.bits.get("outcome", {})
    labels = dict(m.CaseStudy.Outcome.choices)
    chart = FactorOutcomeChart(bars=[], outcomes=[(value, labels[value]) for value in OUTCOMES])
    for slug, label in index.options.get("factor", {}).items():
        bits = index.bits.get("factor", {}).get(slug, 0) & real
        segments = [
            Segment(value, labels[value], (bits & outcome_bits.get(value, 0)).bit_count())
            for value in OUTCOMES
        ]
        chart.bars.append(
            Bar(slug, label, url_for("articles:factor-detail", slug=slug), bits.bit_count(), segments)
        )
    chart.bars.sort(key=lambda bar: -bar.total)  # stable: the vocabulary's order among equals
    scale = max((bar.total for bar in chart.bars), default=0) or 1
    plot = chart.width - chart.label_width - 40
    for row, bar in enumerate(chart.bars):
        bar.y = chart.top + row * (chart.bar_height + chart.gap)
        x = chart.label_width
        for segment in bar.segments:
            segment.x = x
            segment.width = round(plot * segment.count / scale, 1)
            x += segment.width
    chart.ticks = [(chart.label_width + round(plot * value / scale, 1), value) for value in _ticks(scale)]
    return chart


def _ticks(top):
    step = max(1, -(-top // 5))
    return list(range(0, top + 1, step))


# -- Timeline ------------------------------------------------------------------------------------

MARKERS = {
    m.Milestone.Kind.FOUNDING: "founding",
    m.Milestone.Kind.FUNDING: "funding",
    m.Milestone.Kind.RELEASE: "release",
    m.Milestone.Kind.PIVOT: "pivot",
    m.Milestone.Kind.EXIT: "exit",
    m.Milestone.Kind.OTHER: "other",
}


def date_position(date):
    """A partial date ("2023", "2023-09", "2023-09-27") as a fractional year (mid-period)."""
    parts = [int(part) for part in date.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return year + 0.5
    month = parts[1]
    if len(parts) == 2:
        return year + (month - 0.5) / 12
    start = datetime.date(year, 1, 1)
    return year + ((datetime.date(year, month, parts[2]) - start).days + 0.5) / 366


@dataclass
class Marker:
    """A milestone on its lane; its shape says its kind (colour is not the only cue)."""

    milestone: object
    x: float
    kind: str
    y: float = 0

    @property
    def path(self):
        x, y, r = self.x, self.y, 6
        if self.kind == "founding":  # circle
            return f"M{x - r},{y} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0"
        if self.kind == "funding":  # square
            return f"M{x - r + 1},{y - r + 1} h{2 * r - 2} v{2 * r - 2} h{-2 * r + 2} z"
        if self.kind == "release":  # diamond
            return f"M{x},{y - r - 1} L{x + r + 1},{y} L{x},{y + r + 1} L{x - r - 1},{y} z"
        if self.kind in ("exit", "pivot"):  # triangle
            return f"M{x},{y - r} L{x + r},{y + r - 1} L{x - r},{y + r - 1} z"
        return f"M{x - 3},{y} a3,3 0 1,0 6,0 a3,3 0 1,0 -6,0"


def marker_legend():
    """(kind, (label, path)) of each milestone kind, drawn in a 16x16 box."""
    return [
        (kind, (label, Marker(None, 8, MARKERS[kind], 8).path)) for kind, label in m.Milestone.Kind.choices
    ]


@dataclass
class Lane:
    case: object
    y: float
    markers: list = field(default_factory=list)

    @property
    def short(self):
        return short_label(case_name(self.case))


@dataclass
class TimelineChart:
    lanes: list
    first_year: int = 0
    last_year: int = 0
    width: int = 960
    label_width: int = 200
    lane_height: int = 26
    top: int = 30

    @property
    def height(self):
        return self.top + len(self.lanes) * self.lane_height + 10

    @property
    def bottom(self):
        return self.top + len(self.lanes) * self.lane_height

    def x_of(self, position):
        span = (self.last_year + 1 - self.first_year) or 1
        plot = self.width - self.label_width - 20
        return round(self.label_width + plot * (position - self.first_year) / span, 1)

    @property
    def years(self):
        """(x, year) of the axis labels: every year, or every few years on a long axis."""
        span = self.last_year + 1 - self.first_year
        step = 1 if span <= 12 else 2 if span <= 24 else 5
        return [(self.x_of(year), year) for year in range(self.first_year, self.last_year + 1, step)]


def timeline(cases, milestones):
    """A lane per case (in the given order) with a marker per milestone that has a date."""
    chart = TimelineChart(lanes=[])
    lanes = {}
    for row, case in enumerate(cases):
        lanes[case.pk] = Lane(case, chart.top + row * chart.lane_height + chart.lane_height / 2)
        chart.lanes.append(lanes[case.pk])
    positions = []
    for milestone in milestones:
        if milestone.year is None or milestone.case_id not in lanes:
            continue
        position = date_position(milestone.date)
        positions.append(position)
        lane = lanes[milestone.case_id]
        lane.markers.append(Marker(milestone, position, MARKERS.get(milestone.kind, "other"), lane.y))
    if positions:
        chart.first_year, chart.last_year = int(min(positions)), int(max(positions))
    for lane in chart.lanes:
        for marker in lane.markers:
            marker.x = chart.x_of(marker.x)
    return chart


# -- Challenge map -------------------------------------------------------------------------------


@dataclass
class MapColumn:
    """A challenge: a column, its name drawn level in short lines a reader can read."""

    challenge: object
    x: float
    lines: list


@dataclass
class Cell:
    x: float
    y: float
    title: str
    outcome: str = ""


@dataclass
class MapRow:
    """A strategy or a case: a row, marked under each challenge it mitigates or met."""

    obj: object
    y: float
    outcome: str = ""
    cells: list = field(default_factory=list)

    @property
    def label(self):
        """A case's short name (its title before "："), or a strategy's title."""
        return short_label(case_name(self.obj), MAP_LABEL_CHARS)


@dataclass
class MapGroup:
    """The strategies, or the cases of one layer (the best documented, with how many there are)."""

    key: str
    label: str
    y: float
    rows: list = field(default_factory=list)
    total: int = 0
    more_url: str = ""


@dataclass
class ChallengeSummary:
    """One challenge with its strategies and the drawn cases that met it (the map as a table)."""

    challenge: object
    strategies: list = field(default_factory=list)
    cases: list = field(default_factory=list)


@dataclass
class ChallengeMap:
    columns: list
    groups: list
    summaries: list
    label_width: int = 250
    column_width: int = 78
    cell: int = 22
    line_height: int = 16
    header: int = 0

    @property
    def width(self):
        return self.label_width + len(self.columns) * self.column_width + 10

    @property
    def height(self):
        rows = sum(len(group.rows) + 1 for group in self.groups)
        return self.header + rows * self.cell + 10

    @property
    def shown(self):
        return sum(len(group.rows) for group in self.groups if group.key != "strategies")

    @property
    def total(self):
        return sum(group.total for group in self.groups if group.key != "strategies")


def wrap(text, width=MAP_COLUMN_CHARS, lines=MAP_COLUMN_LINES):
    """``text`` cut into at most ``lines`` lines of ``width`` characters (the last one ends in …)."""
    chunks = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(chunks) > lines:
        chunks = [*chunks[: lines - 1], short_label(text[(lines - 1) * width :], width)]
    return chunks


def challenge_map(challenges, mitigations, groups, lessons):
    """A matrix: a column per challenge; a row per strategy (marked under the challenges it
    mitigates), then the cases grouped by layer (marked, in the case's outcome colour, under
    the challenges each met). ``groups`` is [(key, label, cases, total, more_url)]. Every label
    is a link to its page."""
    columns, summaries = {}, {}
    longest = 1
    for challenge in challenges:
        lines = wrap(challenge.title)
        longest = max(longest, len(lines))
        columns[challenge.pk] = MapColumn(challenge, 0, lines)
        summaries[challenge.pk] = ChallengeSummary(challenge)
    chart = ChallengeMap(columns=list(columns.values()), groups=[], summaries=list(summaries.values()))
    chart.header = 10 + longest * chart.line_height
    for number, column in enumerate(chart.columns):
        column.x = chart.label_width + number * chart.column_width

    strategies = {}
    for mitigation in mitigations:
        strategies.setdefault(mitigation.strategy_id, mitigation.strategy)
    ordered = sorted(strategies.values(), key=lambda s: (s.position, s.title))
    y = chart.header
    rows = {}

    def add_group(key, label, objects, total=0, more_url=""):
        nonlocal y
        group = MapGroup(key, label, y, total=total, more_url=more_url)
        y += chart.cell
        for obj in objects:
            row = MapRow(obj, y, getattr(obj, "outcome", ""))
            rows[(key == "strategies", obj.pk)] = row
            group.rows.append(row)
            y += chart.cell
        chart.groups.append(group)

    add_group("strategies", STRATEGIES_LABEL, ordered)
    for key, label, cases, total, more_url in groups:
        if cases:
            add_group(key, label, cases, total, more_url)

    for mitigation in mitigations:
        row, column = rows.get((True, mitigation.strategy_id)), columns.get(mitigation.challenge_id)
        if row and column:
            row.cells.append(Cell(column.x, row.y, f"{column.challenge.title} — {mitigation.strategy.title}"))
            summaries[mitigation.challenge_id].strategies.append(mitigation.strategy)
    for lesson in lessons:
        row, column = rows.get((False, lesson.case_id)), columns.get(lesson.challenge_id)
        if row and column and row.obj not in summaries[lesson.challenge_id].cases:
            row.cells.append(Cell(column.x, row.y, f"{column.challenge.title} — {lesson.title}", row.outcome))
            summaries[lesson.challenge_id].cases.append(row.obj)
    order = {obj_key: row.y for obj_key, row in rows.items()}
    for summary in chart.summaries:
        summary.strategies.sort(key=lambda s: (s.position, s.title))
        summary.cases.sort(key=lambda case: order[(False, case.pk)])
    return chart
