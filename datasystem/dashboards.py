"""The figures of the dashboards: the SMT's, for the whole state, and a team's, for the team
and the teams below it. Reads only.

Each figure is a `Chart`: what the canvas draws, the same figures as a table, a sentence
saying what it shows, and the rows of its CSV. Outcome values reach a chart only through
`suppression.Shown`, from the decision kept with each value and each aggregate
(`outcome_tables`): a hidden value is never in a chart's data, its table or its CSV.

Every figure is counted or summed in the database in a fixed number of queries whatever
the number of teams and values; what many people read alike is kept in the cache under
the versions of the records it came from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import BooleanField as Flag
from django.db.models.functions import ExtractYear
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from initiatives.models import Stage, StageRecord
from initiatives.selectors import reviews_due
from meetings.models import Barrier, BarrierStage
from teams.freshness import remembered
from teams.models import Level, Membership, Team, below, smt_id, today

from .models import (
    Administration,
    CoachingSession,
    Kind,
    Measure,
    MeasureGroup,
    OutcomeTable,
    OutcomeValue,
    Period,
    Section,
    TrainingEvent,
)
from .outcome_tables import (
    REST,
    ZONE,
    aggregates_current,
    current_zone_key,
    in_zone_today,
    is_current,
)
from .selectors import section_sums
from .suppression import COMPLEMENTARY, SMALL, Shown, minimum_cell_size, shown, withheld

LEVEL_LABELS = dict(Level.choices)
UNITS = {Level.REGIONAL: "Regions", Level.DISTRICT: "Districts", Level.BUILDING: "Buildings"}
UNIT_LABEL = {Level.REGIONAL: "Region", Level.DISTRICT: "District", Level.BUILDING: "Building"}
# Outcome trends show this many periods, the latest last.
PERIODS_SHOWN = 10
HEATMAP_PAGE = 25
UNITS_BELOW_SHOWN = 60
COACHED_WITHIN_DAYS = 90


# --- Scope: the whole state, or a team and the teams below it --------------------------------


@dataclass(frozen=True)
class Scope:
    team: Team | None = None

    @property
    def is_state(self) -> bool:
        return self.team is None or self.team.is_management_team

    @property
    def rest(self) -> str:
        """What is outside the Zone, in scope."""
        return "Rest of the state" if self.is_state else "Outside the Zone"

    @property
    def key(self) -> str:
        return "state" if self.is_state else f"team{self.team.pk}"

    def q(self, prefix: str = "") -> Q:
        """A filter for records of the teams in scope; `prefix` leads to the team."""
        return Q() if self.is_state else below(self.team.pk, prefix)

    def among(self, field: str) -> Q:
        """A filter for records whose team (the foreign key `field`) is in scope, as a
        subquery on the teams: the records' own index on `field` is used, where `q`'s join
        would read every record first."""
        if self.is_state:
            return Q()
        return Q(**{f"{field}__in": Team.objects.filter(below(self.team.pk)).values("pk")})


def zone_flag(prefix: str = ""):
    """Whether the team is in the Transformation Zone today, as a column to group by."""
    return Case(
        When(in_zone_today(prefix), then=Value(True)), default=Value(False), output_field=Flag()
    )


# --- Charts --------------------------------------------------------------------------------


@dataclass
class TableCell:
    text: str
    note: str = ""
    hidden: bool = False
    number: float | None = None
    # Its cells in a CSV, where a value and its students are columns of their own.
    csv: list[str] | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class Chart:
    """A figure of a dashboard: the canvas's data, the same as a table, and a summary."""

    key: str
    title: str
    summary: str = ""
    kind: str = "line"  # line, bar, heatmap, or table (no canvas)
    labels: list[str] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    suffix: str = "%"
    max: float | None = 100
    empty: str = "Nothing to show yet."
    note: str = ""
    csv_header: list[str] | None = None
    # For the heat-map: a page of teams, and the level shown.
    page: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return bool(self.rows)

    @property
    def has_hidden(self) -> bool:
        return any(isinstance(c, TableCell) and c.hidden for row in self.rows for c in row)

    @property
    def draws(self) -> bool:
        return self.kind != "table" and self.has_data

    def data(self) -> dict[str, Any]:
        """What the page's script draws (static/js/datasystem.js)."""
        if self.kind == "heatmap":
            return {
                "type": "heatmap",
                "columns": self.header[1:],
                "rows": [
                    {
                        "label": str(row[0]).split(" (")[0],
                        "cells": [c.number if isinstance(c, TableCell) else None for c in row[1:]],
                    }
                    for row in self.rows
                ],
            }
        return {
            "type": self.kind,
            "labels": self.labels,
            "series": self.series,
            "max": self.max,
            "suffix": self.suffix,
        }

    def table_body(self) -> SafeString:
        """The rows of its table as HTML. Written here rather than in the template: a heat-map
        is hundreds of cells, and the template language spends most of the page's time on
        them."""
        heat = self.kind == "heatmap"

        def cell_html(cell) -> str:
            if not isinstance(cell, TableCell):
                return f"<td>{conditional_escape(cell)}</td>"
            if cell.hidden:
                return f'<td class="suppressed">{conditional_escape(cell.text)}</td>'
            if heat and cell.number is not None:
                band = "low" if cell.number < 40 else "mid" if cell.number < 70 else "high"
                return f'<td class="heat heat-{band}">{conditional_escape(cell.text)}</td>'
            return f"<td>{conditional_escape(cell.text)}</td>"

        return mark_safe(  # noqa: S308 - every value in it is escaped above.
            "".join(
                f'<tr><th scope="row">{conditional_escape(row[0])}</th>'
                + "".join(cell_html(cell) for cell in row[1:])
                + "</tr>"
                for row in self.rows
            )
        )

    def data_json(self) -> str:
        """The data as JSON for the canvas's data attribute (parts of a page loaded with
        htmx lose their script elements, so the figures travel on the canvas itself)."""
        return json.dumps(self.data(), separators=(",", ":"))

    def csv_rows(self) -> list[list[str]]:
        def cells(row):
            for cell in row:
                if isinstance(cell, TableCell) and cell.csv is not None:
                    yield from cell.csv
                else:
                    yield str(cell)

        return [list(self.csv_header or self.header), *(list(cells(row)) for row in self.rows)]


def _number(value) -> float | None:
    return None if value is None else float(value)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0f}%" if float(value).is_integer() else f"{value}%"


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Capacity over time, by level and in the Zone ----------------------------------------------


def _half_years():
    day = today()
    return day.replace(year=day.year - 2, month=1, day=1)


def _capacity_rows(scope: Scope, version: int) -> list[dict]:
    def compute() -> list[dict]:
        rows = (
            Administration.objects.completed()
            .filter(
                scope.q("team__"),
                instrument__kind=Kind.CAPACITY,
                held_on__gte=_half_years(),
                total_percent__isnull=False,
            )
            .annotate(
                zone=zone_flag("team__"),
                year=ExtractYear("held_on"),
                half=Case(When(held_on__month__lte=6, then=Value(1)), default=Value(2)),
            )
            .values("year", "half", "team__level", "zone")
            .annotate(total=Sum("total_percent"), n=Count("pk"), teams=Count("team", distinct=True))
            .order_by("year", "half")
        )
        return [
            {**row, "total": float(row["total"]), "level": row.pop("team__level")} for row in rows
        ]

    return remembered(f"dash-capacity:{scope.key}:{version}", ("cascade",), compute)


def capacity_charts(scope: Scope, version: int) -> tuple[Chart, Chart]:
    """Average capacity total (percent of possible points) per half year: by team level,
    and in the Transformation Zone against the rest."""
    rows = _capacity_rows(scope, version)
    periods = sorted({(r["year"], r["half"]) for r in rows})
    labels = [f"{'Jan–Jun' if half == 1 else 'Jul–Dec'} {year}" for year, half in periods]
    by_level: dict[tuple, list] = defaultdict(lambda: [0.0, 0, 0])
    by_zone: dict[tuple, list] = defaultdict(lambda: [0.0, 0, 0])
    for r in rows:
        for bucket, key in ((by_level, r["level"]), (by_zone, r["zone"])):
            acc = bucket[(r["year"], r["half"]), key]
            acc[0] += r["total"]
            acc[1] += r["n"]
            acc[2] += r["teams"]

    def average(bucket, period, key):
        total, n, _ = bucket.get((period, key), (0, 0, 0))
        return round(total / n, 1) if n else None

    levels = [lvl for lvl in Level.values if any(r["level"] == lvl for r in rows)]
    level_chart = Chart(
        key="capacity-by-level",
        title="Capacity over time, by level",
        labels=labels,
        series=[
            {"label": LEVEL_LABELS[lvl], "data": [average(by_level, p, lvl) for p in periods]}
            for lvl in levels
        ],
        header=["Half year", *(f"{LEVEL_LABELS[lvl]} teams" for lvl in levels)],
        rows=[
            [
                label,
                *(
                    f"{_pct(average(by_level, p, lvl))} ({by_level.get((p, lvl), (0, 0, 0))[2]} "
                    "teams)"
                    if (p, lvl) in by_level
                    else "—"
                    for lvl in levels
                ),
            ]
            for p, label in zip(periods, labels, strict=True)
        ],
        empty="No capacity assessment has been completed in the last two years.",
    )
    level_chart.summary = _trend_summary(level_chart, "average capacity total by level")
    zone_chart = Chart(
        key="capacity-zone",
        title="Capacity: the Transformation Zone against the rest",
        labels=labels,
        series=[
            {"label": "Transformation Zone", "data": [average(by_zone, p, True) for p in periods]},
            {"label": scope.rest, "data": [average(by_zone, p, False) for p in periods]},
        ],
        header=["Half year", "Transformation Zone", "Teams", scope.rest, "Teams"],
        rows=[
            [
                label,
                _pct(average(by_zone, p, True)),
                str(by_zone.get((p, True), (0, 0, 0))[2]),
                _pct(average(by_zone, p, False)),
                str(by_zone.get((p, False), (0, 0, 0))[2]),
            ]
            for p, label in zip(periods, labels, strict=True)
        ],
        empty="No capacity assessment has been completed in the last two years.",
    )
    zone_chart.summary = _trend_summary(zone_chart, "average capacity total")
    return level_chart, zone_chart


def _trend_summary(chart: Chart, what: str) -> str:
    """What the chart shows in a sentence: each series' latest figure, and how far it
    moved since its first."""
    if not chart.has_data:
        return chart.empty
    parts, since = [], ""
    for series in chart.series:
        points = [(label, v) for label, v in zip(chart.labels, series["data"], strict=True)
                  if v is not None]  # fmt: skip
        if not points:
            parts.append(f"{series['label']} hidden or not reported")
            continue
        (first_label, first), (last_label, last) = points[0], points[-1]
        text = f"{series['label']} {_fmt(last, chart.suffix)} in {last_label}"
        if len(points) > 1:
            change = round(last - first, 1)
            unit = " points" if chart.suffix == "%" else ""
            text += (
                f", {'up' if change > 0 else 'down'} {abs(change):g}{unit}"
                if change
                else ", unchanged"
            )
            since = first_label
        parts.append(text)
    return (
        f"{what[0].upper()}{what[1:]}: "
        + "; ".join(parts)
        + (f" (changes since {since})." if since else ".")
    )


def _sides(zone: str, rest: str) -> str:
    """Figures in the Zone and outside it, leaving out a side with none."""
    parts = [
        f"{zone} in the Zone" if zone != "—" else "",
        f"{rest} elsewhere" if rest != "—" else "",
    ]
    return ", ".join(p for p in parts if p) or "none yet"


def _fmt(value: float, suffix: str) -> str:
    return f"{value:g}{suffix}"


# --- The heat-map of teams by section ----------------------------------------------------------


@dataclass(frozen=True)
class PageOf:
    """Which page of the heat-map's teams is shown, as the pager reads it."""

    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def heatmap(scope: Scope, version: int, *, level: str = "", page_number: str | int = 1) -> Chart:
    """Each team's latest capacity assessment, section by section (percent of possible
    points): the state's teams of one level a page at a time, or a team and those just
    below it. Kept in the cache until an assessment or the cascade changes."""
    level = level if level in Level.values else Level.REGIONAL
    number = _page_number(page_number)
    found = remembered(
        f"dash-heatmap:{scope.key}:{level}:{number}:{version}",
        ("cascade",),
        lambda: _heatmap_rows(scope, level, number),
    )
    titles, rows = found["titles"], found["rows"]
    chart = Chart(
        key="capacity-heatmap",
        title="Capacity by team and section",
        kind="heatmap",
        header=["Team (latest assessment)", *titles],
        rows=[
            [label, *(TableCell(text, number=share) for text, share in cells)]
            for label, cells in rows
        ]
        if titles
        else [],
        page=PageOf(*found["page"]) if scope.is_state else None,
        extra={"level": level},
        empty="None of these teams has completed a capacity assessment yet.",
        note=found["note"],
    )
    if titles:
        scored = [share for _, cells in rows for _, share in cells if share is not None]
        low = sum(1 for n in scored if n < 40)
        chart.summary = (
            f"{len(rows)} teams, {len(titles)} sections: {low} of {len(scored)} section "
            "scores are under 40%, the ones to plan for."
        )
    else:
        chart.summary = chart.empty
    return chart


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def _heatmap_rows(scope: Scope, level: str, number: int) -> dict:
    note = ""
    if scope.is_state:
        teams = Team.objects.filter(level=level, is_management_team=False).in_cascade_order(
            "name", "pk"
        )
        page = Paginator(teams.only("name", "level"), HEATMAP_PAGE).get_page(number)
        team_list = list(page.object_list)
        pages = (page.number, page.paginator.num_pages)
    else:
        team_list = list(
            Team.objects.filter(Q(pk=scope.team.pk) | Q(parent=scope.team))
            .only("name", "level", "is_management_team")
            .in_cascade_order("name", "pk")[: HEATMAP_PAGE + 1]
        )
        if len(team_list) > HEATMAP_PAGE:
            team_list, note = team_list[:HEATMAP_PAGE], f"The first {HEATMAP_PAGE} teams."
        pages = (1, 1)
    latest: dict[int, tuple] = {}
    for pk, team_id, version_id, held_on in (
        Administration.objects.completed()
        .filter(team__in=[t.pk for t in team_list], instrument__kind=Kind.CAPACITY)
        .select_related(None)
        .order_by("team_id", "-held_on", "-pk")
        .values_list("pk", "team_id", "version_id", "held_on")
    ):
        latest.setdefault(team_id, (pk, version_id, held_on))
    sums = section_sums([pk for pk, _, _ in latest.values()])
    sections = list(
        Section.objects.filter(version_id__in={v for _, v, _ in latest.values()})
        .order_by("position")
        .values_list("version_id", "key", "title")
    )
    titles: list[str] = []
    title_of: dict[tuple[int, str], str] = {}
    for version_id, key, title in sections:
        title_of[version_id, key] = title
        if title not in titles:
            titles.append(title)
    rows = []
    for team in team_list:
        found = latest.get(team.pk)
        cells: dict[str, tuple[str, int]] = {}
        label = f"{team.name} (not assessed)"
        if found is not None:
            pk, version_id, held_on = found
            label = f"{team.name} ({held_on:%b %Y})"
            for (admin_id, key), (points, possible) in sums.items():
                if admin_id == pk and possible:
                    share = round(100 * points / possible)
                    cells[title_of.get((version_id, key), key)] = (f"{share}%", share)
        rows.append((label, [cells.get(t, ("—", None)) for t in titles]))
    return {"titles": titles, "rows": rows, "page": pages, "note": note}


# --- Stages of implementation ------------------------------------------------------------------


def stages(scope: Scope, version: int) -> Chart:
    """Units by their current stage of each innovation, in the Zone and outside it."""

    def compute() -> list[tuple[str, bool, int]]:
        return [
            (row["stage"], row["zone"], row["n"])
            for row in StageRecord.objects.filter(scope.q("team__"), is_current=True)
            .annotate(zone=zone_flag("team__"))
            .values("stage", "zone")
            .annotate(n=Count("pk"))
            .order_by()
        ]

    found = remembered(f"dash-stages:{scope.key}:{version}", ("cascade",), compute)
    counts = {(stage, zone): n for stage, zone, n in found}
    labels = [label for _, label in Stage.choices]
    zone = [counts.get((s, True), 0) for s in Stage.values]
    rest = [counts.get((s, False), 0) for s in Stage.values]
    chart = Chart(
        key="stages",
        title="Teams by stage of implementation",
        kind="bar",
        labels=labels,
        series=[
            {"label": "Transformation Zone", "data": zone},
            {"label": scope.rest, "data": rest},
        ],
        header=["Stage", "Transformation Zone", scope.rest, "All"],
        rows=[
            [label, str(z), str(r), str(z + r)]
            for label, z, r in zip(labels, zone, rest, strict=True)
            if z or r
        ],
        suffix="",
        max=None,
        empty="No stage of implementation has been recorded yet.",
    )
    if chart.has_data:
        placed = {Stage.FULL, Stage.SUSTAINMENT}
        zone_in = sum(counts.get((s, True), 0) for s in placed)
        rest_in = sum(counts.get((s, False), 0) for s in placed)
        zone_part = (
            f"{zone_in} of {sum(zone)} ({_pct(_share(zone_in, sum(zone)))})" if sum(zone) else "—"
        )
        rest_part = (
            f"{rest_in} of {sum(rest)} ({_pct(_share(rest_in, sum(rest)))})" if sum(rest) else "—"
        )
        chart.summary = (
            "Units in full implementation or sustainment: " + _sides(zone_part, rest_part) + "."
        )
    else:
        chart.summary = chart.empty
    return chart


# --- Fidelity against its threshold ------------------------------------------------------------


def fidelity(scope: Scope, version: int) -> Chart:
    """For each fidelity instrument, the teams whose latest assessment reaches its
    threshold, in the Zone and outside it."""

    def compute() -> list[dict]:
        latest = (
            Administration.objects.completed()
            .filter(team=OuterRef("team"), instrument=OuterRef("instrument"))
            .order_by("-held_on", "-pk")
            .values("pk")[:1]
        )
        return list(
            Administration.objects.completed()
            .filter(scope.q("team__"), instrument__kind=Kind.FIDELITY, pk=Subquery(latest))
            .annotate(zone=zone_flag("team__"))
            .values("instrument__name", "instrument__threshold", "zone")
            .annotate(
                assessed=Count("pk"),
                at=Count("pk", filter=Q(total_percent__gte=F("instrument__threshold"))),
                mean=Avg("total_percent"),
            )
            .order_by("instrument__name")
        )

    rows = remembered(f"dash-fidelity:{scope.key}:{version}", ("cascade",), compute)
    names = list(dict.fromkeys(r["instrument__name"] for r in rows))
    by = {(r["instrument__name"], r["zone"]): r for r in rows}
    thresholds = {r["instrument__name"]: r["instrument__threshold"] for r in rows}

    def share(name, zone):
        row = by.get((name, zone))
        return _share(row["at"], row["assessed"]) if row else None

    def counted(name, zone):
        row = by.get((name, zone))
        if row is None:
            return "—"
        return f"{row['at']} of {row['assessed']} ({_pct(_share(row['at'], row['assessed']))})"

    chart = Chart(
        key="fidelity",
        title="Fidelity against its threshold",
        kind="bar",
        labels=names,
        series=[
            {"label": "Transformation Zone", "data": [share(n, True) for n in names]},
            {"label": scope.rest, "data": [share(n, False) for n in names]},
        ],
        header=[
            "Fidelity instrument",
            "Threshold",
            "At fidelity: Transformation Zone",
            "At fidelity: rest of the state",
        ],
        rows=[[n, f"{thresholds[n]}%", counted(n, True), counted(n, False)] for n in names],
        empty="No fidelity assessment has been completed yet.",
    )
    if chart.has_data:
        chart.summary = "Teams whose latest fidelity assessment reaches the threshold: " + (
            "; ".join(
                f"{n} (threshold {thresholds[n]}%): " + _sides(counted(n, True), counted(n, False))
                for n in names
            )
            + "."
        )
    else:
        chart.summary = chart.empty
    return chart


# --- Training and coaching reach ----------------------------------------------------------------


def reach(scope: Scope, versions: tuple[int, int]) -> Chart:
    """The share of people on teams who attended a training, and of teams coached in the
    last 90 days, in the Zone and outside it."""

    def compute() -> dict:
        attended = TrainingEvent.attendees.through.objects.filter(user_id=OuterRef("person_id"))
        people = {
            row["zone"]: row
            for row in Membership.objects.current()
            .filter(scope.q("team__"))
            .annotate(zone=zone_flag("team__"))
            .values("zone")
            .annotate(
                seated=Count("person", distinct=True),
                trained=Count("person", distinct=True, filter=Q(Exists(attended))),
            )
            .order_by()
        }
        since = today() - timedelta(days=COACHED_WITHIN_DAYS)
        coached = CoachingSession.objects.filter(team=OuterRef("pk"), held_on__gte=since)
        seated = Membership.objects.current().filter(team=OuterRef("pk"))
        teams = {
            row["zone"]: row
            for row in Team.objects.filter(scope.q(), is_management_team=False)
            .filter(Exists(seated))
            .annotate(zone=zone_flag())
            .values("zone")
            .annotate(teams=Count("pk"), coached=Count("pk", filter=Q(Exists(coached))))
            .order_by()
        }
        return {"people": people, "teams": teams}

    found = remembered(
        f"dash-reach:{scope.key}:{versions[0]}.{versions[1]}", ("cascade", "people"), compute
    )
    people, teams = found["people"], found["teams"]

    def p(zone, key, whole):
        row = people.get(zone) if key in ("trained",) else teams.get(zone)
        if not row:
            return None, "—"
        part, total = row[key], row[whole]
        return _share(part, total), f"{part} of {total} ({_pct(_share(part, total))})"

    rows, zone_data, rest_data = [], [], []
    for label, key, whole in (
        ("Team members who attended a training", "trained", "seated"),
        (f"Teams coached in the last {COACHED_WITHIN_DAYS} days", "coached", "teams"),
    ):
        z, r = p(True, key, whole), p(False, key, whole)
        zone_data.append(z[0])
        rest_data.append(r[0])
        rows.append([label, z[1], r[1]])
    labels = ["Members trained", f"Teams coached ({COACHED_WITHIN_DAYS} days)"]
    chart = Chart(
        key="reach",
        title="Training and coaching reach",
        kind="bar",
        labels=labels,
        series=[
            {"label": "Transformation Zone", "data": zone_data},
            {"label": scope.rest, "data": rest_data},
        ],
        header=["Reach", "Transformation Zone", scope.rest],
        rows=rows if (people or teams) else [],
        empty="No team has members yet.",
    )
    chart.summary = (
        "; ".join(f"{row[0]}: {_sides(row[1], row[2])}" for row in rows) + "."
        if chart.has_data
        else chart.empty
    )
    return chart


# --- Outcomes -----------------------------------------------------------------------------


@dataclass
class OutcomeFrame:
    """What every outcome figure stands on: the measures with their groups, the periods
    shown, each table's decision, and today's minimum cell size."""

    measures: list[Measure]
    groups: dict[int, list[MeasureGroup]]
    periods: list[Period]
    tables: dict[tuple[int, int], OutcomeTable]
    minimum: int

    def total(self, measure: Measure) -> MeasureGroup | None:
        return next((g for g in self.groups[measure.pk] if g.is_total), None)

    def latest_period(self, measure: Measure) -> Period | None:
        decided = [p for p in self.periods if (measure.pk, p.pk) in self.tables]
        return decided[-1] if decided else None

    def shown(self, measure_id: int, period_id: int, value, count, hidden) -> Shown:
        table = self.tables.get((measure_id, period_id))
        if table is None or not is_current(table, self.minimum):
            return withheld(self.minimum)
        return shown(value, count, hidden, self.minimum)

    @property
    def stale(self) -> bool:
        return any(not is_current(t, self.minimum) for t in self.tables.values())


def _frame_rows() -> dict:
    groups = list(
        MeasureGroup.objects.select_related("measure").order_by(
            "measure__position", "measure__name", "position"
        )
    )
    periods = list(Period.objects.order_by("-starts_on", "-key")[:PERIODS_SHOWN])[::-1]
    tables = list(OutcomeTable.objects.filter(period__in=[p.pk for p in periods]))
    return {"groups": groups, "periods": periods, "tables": tables}


def outcome_frame() -> OutcomeFrame:
    rows = remembered("outcome-frame", ("outcomes",), _frame_rows)
    measures: dict[int, Measure] = {}
    groups: dict[int, list[MeasureGroup]] = defaultdict(list)
    for group in rows["groups"]:
        measures.setdefault(group.measure_id, group.measure)
        groups[group.measure_id].append(group)
    frame = OutcomeFrame(
        measures=list(measures.values()),
        groups=groups,
        periods=rows["periods"],
        tables={(t.measure_id, t.period_id): t for t in rows["tables"]},
        minimum=minimum_cell_size(),
    )
    if frame.stale:
        ask_to_decide_again()
    return frame


def ask_to_decide_again() -> None:
    """A table decided with another minimum cell size or another Zone is shown as nothing:
    ask, once in a while, for the tables to be decided again."""
    from django.db import transaction

    from .tasks import decide_tables

    if cache.add("outcome-tables-deciding", 1, timeout=300):
        transaction.on_commit(decide_tables.delay)


def legend(minimum: int | None = None) -> list[tuple[str, str]]:
    """What a hidden cell's text means, for tables and exports."""
    minimum = minimum_cell_size() if minimum is None else minimum
    return [
        (f"fewer than {minimum}", withheld_small(minimum).explanation),
        ("*", Shown(None, None, COMPLEMENTARY, minimum).explanation),
    ]


def withheld_small(minimum: int) -> Shown:
    return Shown(None, None, SMALL, minimum)


def _display(value: Decimal | None, measure: Measure) -> str:
    if value is None:
        return ""
    if measure.is_sum:
        return f"{int(value):,}"
    return f"{value.quantize(Decimal('0.1'))}{measure.suffix}"


def _cell(item: Shown | None, measure: Measure) -> TableCell:
    """A value with its students, as it may be seen; in a CSV, two columns."""
    if item is None:
        return TableCell("—", csv=["", ""])
    if item.is_hidden:
        return TableCell(item.label, note=item.explanation, hidden=True, csv=[item.label, ""])
    return TableCell(
        f"{_display(item.value, measure)} ({item.count:,} students)",
        number=float(item.value),
        csv=[_plain(item.value, measure), str(item.count)],
    )


def _plain(value: Decimal, measure: Measure) -> str:
    return str(int(value)) if measure.is_sum else str(value.quantize(Decimal("0.1")))


def _csv_header(first: str, columns: list[str], measure: Measure) -> list[str]:
    unit = f" ({measure.get_unit_display().lower()})"
    return [first, *(part for c in columns for part in (f"{c}{unit}", f"{c}: students"))]


def _plotted(item: Shown) -> float | None:
    return None if item.is_hidden else round(float(item.value), 1)


def _direction(measure: Measure) -> str:
    return "higher is better" if measure.good_direction == "up" else "lower is better"


def zone_outcomes(frame: OutcomeFrame) -> list[tuple[Chart, Chart]]:
    """For each measure: all students in the Transformation Zone against the rest of the
    state over the periods, and every group in the latest period; aggregates decided with
    their table (`outcome_tables`)."""
    zone_key = current_zone_key()
    tables = frame.tables
    if any(not aggregates_current(t, frame.minimum, zone_key) for t in tables.values()):
        # The Zone changed since they were decided: hidden until decided again.
        ask_to_decide_again()
    state = smt_id()
    state_values = _unit_values(frame, state) if state else {}
    result = []
    for measure in frame.measures:
        total = frame.total(measure)
        if total is None:
            continue

        def aggregate(period, group, side, measure=measure):
            table = tables.get((measure.pk, period.pk))
            if table is None or not aggregates_current(table, frame.minimum, zone_key):
                return withheld(frame.minimum) if table is not None else None
            found = table.aggregates.get(str(group.pk), {}).get(side)
            if found is None:
                return None
            value, count, hidden = found
            return shown(Decimal(value), count, hidden, frame.minimum)

        periods = [p for p in frame.periods if (measure.pk, p.pk) in frame.tables]
        zone = [aggregate(p, total, ZONE) for p in periods]
        rest = [aggregate(p, total, REST) for p in periods]
        whole = [state_values.get((measure.pk, p.pk, total.pk)) for p in periods]
        has_state = any(w is not None for w in whole)
        labels = [p.label for p in periods]
        series = [
            {"label": "Transformation Zone", "data": [_plotted(s) if s else None for s in zone]},
            {"label": "Rest of the state", "data": [_plotted(s) if s else None for s in rest]},
        ]
        header = ["Period", "Transformation Zone", "Rest of the state"]
        if has_state:
            series.append(
                {"label": "Whole state", "data": [_plotted(s) if s else None for s in whole]}
            )
            header.append("Whole state")
        rows = []
        for i, period in enumerate(periods):
            cells = [zone[i], rest[i], *([whole[i]] if has_state else [])]
            rows.append([period.label, *(_cell(c, measure) for c in cells)])
        trend = Chart(
            key=f"outcome-{measure.key}",
            title=f"{measure.name}: the Transformation Zone against the rest",
            labels=labels,
            series=series,
            header=header,
            csv_header=_csv_header("Period", header[1:], measure),
            rows=rows,
            suffix=measure.suffix,
            max=100 if measure.unit == "percent" else None,
            empty=f"No values of {measure.name} have been imported yet.",
            extra={"measure": measure},
        )
        trend.summary = _trend_summary(
            trend, f"{measure.name}, all students ({_direction(measure)})"
        )
        latest = periods[-1] if periods else None
        group_rows = []
        if latest is not None:
            for group in frame.groups[measure.pk]:
                cells = [aggregate(latest, group, ZONE), aggregate(latest, group, REST)]
                group_rows.append([group.label, *(_cell(c, measure) for c in cells)])
        groups = Chart(
            key=f"outcome-{measure.key}-groups",
            title=f"{measure.name} by student group, {latest.label if latest else ''}".strip(", "),
            kind="table",
            header=["Student group", "Transformation Zone", "Rest of the state"],
            csv_header=_csv_header(
                "Student group", ["Transformation Zone", "Rest of the state"], measure
            ),
            rows=group_rows,
            empty=trend.empty,
        )
        groups.summary = (
            f"Each student group in {latest.label}, in the Zone and elsewhere. A value behind "
            f"fewer than {frame.minimum} students is hidden, and so is a second one where the "
            "first could be worked out from it."
            if latest
            else trend.empty
        )
        result.append((trend, groups))
    return result


def _unit_values(frame: OutcomeFrame, team_id: int, *, totals_only: bool = False) -> dict:
    """A unit's values over the periods shown, each as it may be seen."""

    def compute() -> list[tuple]:
        rows = OutcomeValue.objects.filter(
            team_id=team_id, period_id__in=[p.pk for p in frame.periods]
        )
        if totals_only:
            rows = rows.filter(group__is_total=True)
        return list(
            rows.order_by().values_list(
                "measure_id", "period_id", "group_id", "value", "students", "hidden"
            )
        )

    found = remembered(f"outcome-unit:{team_id}:{int(totals_only)}", ("outcomes",), compute)
    return {
        (m, p, g): frame.shown(m, p, value, students, hidden)
        for m, p, g, value, students, hidden in found
    }


def next_unit_level(team: Team) -> str | None:
    if team.is_management_team or team.level == Level.STATE:
        return Level.REGIONAL
    return {Level.REGIONAL: Level.DISTRICT, Level.DISTRICT: Level.BUILDING}.get(team.level)


def team_outcomes(frame: OutcomeFrame, team: Team) -> tuple[list[Chart], Chart | None]:
    """For each measure: the team's own unit over the periods, all students and the groups
    of its first partition; and the units just below the team in the latest period. The
    same for everyone who reads the team (hidden values are already withheld in them),
    kept until an outcome, a decision or the cascade changes: a district is hundreds of
    cells to format."""
    return remembered(
        f"team-outcomes:{team.pk}:{frame.minimum}",
        ("outcomes", "cascade"),
        lambda: _team_outcomes(frame, team),
    )


def _team_outcomes(frame: OutcomeFrame, team: Team) -> tuple[list[Chart], Chart | None]:
    own = _unit_values(frame, team.pk)
    charts = []
    for measure in frame.measures:
        groups = frame.groups[measure.pk]
        total = frame.total(measure)
        partitions = list(dict.fromkeys(g.partition for g in groups if g.partition))
        drawn = [total, *(g for g in groups if partitions and g.partition == partitions[0])]
        periods = [p for p in frame.periods if (measure.pk, p.pk) in frame.tables]
        if not any((measure.pk, p.pk, total.pk) in own for p in periods):
            continue
        chart = Chart(
            key=f"outcome-{measure.key}",
            title=f"{measure.name}: {team.unit_name or team.name}",
            labels=[p.label for p in periods],
            series=[
                {
                    "label": g.label,
                    "data": [
                        _plotted(own[k]) if (k := (measure.pk, p.pk, g.pk)) in own else None
                        for p in periods
                    ],
                }
                for g in drawn
            ],
            header=["Student group", *(p.label for p in periods)],
            csv_header=_csv_header("Student group", [p.label for p in periods], measure),
            rows=[
                [g.label, *(_cell(own.get((measure.pk, p.pk, g.pk)), measure) for p in periods)]
                for g in groups
            ],
            suffix=measure.suffix,
            max=100 if measure.unit == "percent" else None,
            extra={"measure": measure},
        )
        chart.summary = _trend_summary(chart, f"{measure.name} ({_direction(measure)})")
        charts.append(chart)
    return charts, _units_below(frame, team)


def _units_below(frame: OutcomeFrame, team: Team) -> Chart | None:
    level = next_unit_level(team)
    if level is None or not frame.measures:
        return None
    units = list(
        Team.objects.filter(below(team.pk) if not team.is_management_team else Q(), level=level)
        .only("name", "unit_name", "level")
        .order_by("name", "pk")[: UNITS_BELOW_SHOWN + 1]
    )
    more = len(units) > UNITS_BELOW_SHOWN
    units = units[:UNITS_BELOW_SHOWN]
    latest = {m.pk: frame.latest_period(m) for m in frame.measures}
    totals = {m.pk: frame.total(m) for m in frame.measures}
    wanted = [(m.pk, latest[m.pk].pk, totals[m.pk].pk) for m in frame.measures if latest[m.pk]]
    values = {}
    if wanted and units:
        query = Q()
        for measure_id, period_id, group_id in wanted:
            query |= Q(measure_id=measure_id, period_id=period_id, group_id=group_id)
        for team_id, m, p, value, students, hidden in (
            OutcomeValue.objects.filter(query, team__in=[u.pk for u in units])
            .order_by()
            .values_list("team_id", "measure_id", "period_id", "value", "students", "hidden")
        ):
            values[team_id, m] = frame.shown(m, p, value, students, hidden)
    measures = [m for m in frame.measures if latest[m.pk]]
    chart = Chart(
        key="outcome-units",
        title=f"{UNITS[level]} below, all students, latest period",
        kind="table",
        header=[
            UNIT_LABEL[level],
            *(f"{m.name} ({latest[m.pk].label})" for m in measures),
        ],
        csv_header=[
            UNIT_LABEL[level],
            *(
                part
                for m in measures
                for part in _csv_header("", [f"{m.name}, {latest[m.pk].label}"], m)[1:]
            ),
        ],
        rows=[
            [
                unit.unit_name or unit.name,
                *(_cell(values.get((unit.pk, m.pk)), m) for m in measures),
            ]
            for unit in units
        ],
        empty="No outcome values for the units below this team yet.",
        note=f"The first {UNITS_BELOW_SHOWN} by name." if more else "",
    )
    chart.summary = (
        f"All students in each of the {len(units)} {UNITS[level].lower()} below "
        f"{team.unit_name or team.name}, in the latest period of each measure."
        if chart.has_data
        else chart.empty
    )
    return chart


# --- What waits: barriers and reviews ---------------------------------------------------------


@dataclass
class Waiting:
    by_level: list[tuple[str, int]]
    open_count: int
    longest: list[Barrier]
    reviews: list
    reviews_count: int | None


def waiting(scope: Scope, *, with_reviews: bool, version: int) -> Waiting:
    """Open barriers held by teams in scope, by level, and the longest waiting; for the
    state, the initiative reviews due. The barriers are kept under `version` (their newest
    change, `newest_changes`): a state's open barriers are too many to count each visit."""

    def compute() -> tuple[dict[str, int], list[Barrier]]:
        open_barriers = Barrier.objects.exclude(stage=BarrierStage.CLOSED).filter(
            scope.among("holder")
        )
        counts = {
            ("smt" if row["holder__is_management_team"] else row["holder__level"]): row["n"]
            for row in open_barriers.values("holder__level", "holder__is_management_team")
            .annotate(n=Count("pk"))
            .order_by()
        }
        longest = open_barriers.select_related(None).for_lists().order_by("moved_at", "pk")
        return counts, list(longest[:5])

    counts, longest = remembered(f"dash-waiting:{scope.key}:{version}", ("cascade",), compute)
    by_level = [("The SMT", counts.get("smt", 0))] if "smt" in counts else []
    by_level += [
        (f"{LEVEL_LABELS[lvl]} teams", counts[lvl]) for lvl in Level.values if lvl in counts
    ]
    reviews, reviews_count = [], None
    if with_reviews:
        found = list(reviews_due()[:6])
        reviews = found[:5]
        reviews_count = len(found) if len(found) <= 5 else None
    return Waiting(by_level, sum(counts.values()), longest, reviews, reviews_count)
