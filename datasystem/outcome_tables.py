"""Each outcome table's suppression, decided once over the whole table and kept.

A table is one measure in one period, across every unit and student group. Whenever its
values change (an import), or what the decision rests on changes (the measure's groups,
the minimum cell size, the buildings in the Transformation Zone), the table is decided
again here, through `suppression.suppress`, the one function that decides what may be
seen. Each value keeps its decision (`OutcomeValue.hidden`), so every page, chart and
export hides the same cells without deciding again, and a page stays cheap however many
values there are.

The Zone against the rest of the state is computed here too, from the counts (a count
measure adds up; the others are averaged by students), and decided as a second step: the
table's own decisions stand, and where an aggregate would let a hidden cell be recovered,
the aggregate is hidden.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from teams.freshness import moved, remembered
from teams.models import Level, Team, smt_id, today

from .models import Measure, OutcomeTable, OutcomeValue
from .suppression import Cell, minimum_cell_size, suppress

# The aggregate units the SMT compares.
ZONE, REST = "zone", "rest"
# Units are read finest first: aggregates add up the finest level the table reports.
FINEST_FIRST = (Level.BUILDING, Level.DISTRICT, Level.REGIONAL)
FLAG_BATCH = 5_000


def in_zone_today(prefix: str = "") -> Q:
    day = today()
    return Q(**{f"{prefix}zone_entered_on__lte": day}) & (
        Q(**{f"{prefix}zone_left_on__isnull": True}) | Q(**{f"{prefix}zone_left_on__gt": day})
    )


def _zone_key() -> str:
    ids = Team.objects.filter(in_zone_today()).order_by("pk").values_list("pk", flat=True)
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]


def current_zone_key() -> str:
    """A digest of the teams in the Zone today: the aggregates were decided for it."""
    return remembered("outcome-zone-key", ("cascade",), _zone_key)


def is_current(table: OutcomeTable, minimum: int) -> bool:
    """The table's values were decided with today's minimum cell size."""
    return table.decided_at is not None and table.minimum == minimum


def aggregates_current(table: OutcomeTable, minimum: int, zone_key: str) -> bool:
    return is_current(table, minimum) and table.zone_key == zone_key


@transaction.atomic
def decide(table: OutcomeTable) -> dict[str, int]:
    """Decide which values of the table are hidden and keep each decision with its value;
    then the Zone's aggregates. Returns how many values changed to each decision."""
    table = OutcomeTable.objects.select_for_update().select_related("measure").get(pk=table.pk)
    minimum = minimum_cell_size()
    rows = list(
        OutcomeValue.objects.filter(measure_id=table.measure_id, period_id=table.period_id)
        .order_by()
        .values_list("pk", "team_id", "group_id", "value", "students", "hidden")
    )
    cells = [Cell(team, group, students, value) for _, team, group, value, students, _ in rows]
    hidden, table.aggregates = decisions(
        table.measure, list(table.measure.groups.all()), cells, _units(table), minimum
    )
    changes: dict[str, list[int]] = defaultdict(list)
    for pk, team, group, _, _, before in rows:
        after = hidden.get((team, group), "")
        if after != before:
            changes[after].append(pk)
    # A derived column, like a team's ancestry: written in place, outside the audit
    # history, which records the values themselves.
    for flag, pks in changes.items():
        for start in range(0, len(pks), FLAG_BATCH):
            OutcomeValue.objects.filter(pk__in=pks[start : start + FLAG_BATCH]).update(hidden=flag)
    table.zone_key = current_zone_key()
    table.minimum = minimum
    table.decided_at = timezone.now()
    table.cells = len(rows)
    table.save()
    moved("outcomes")
    return {flag or "shown": len(pks) for flag, pks in changes.items()}


def decisions(
    measure: Measure, groups: list, cells: list[Cell], units: dict[int, tuple], minimum: int
) -> tuple[dict, dict]:
    """The table's hidden cells, and its aggregates decided beside them: the one way a
    table is decided (the benchmark's builder decides its tables with it too)."""
    total = next((g.pk for g in groups if g.is_total), None)
    partitions = {g.pk: g.partition for g in groups if g.partition}
    hidden = suppress(
        cells, minimum=minimum, total_group=total, partitions=partitions, parents=_parents(units)
    )
    return hidden, _aggregates(measure, cells, hidden, units, total, partitions, minimum)


def _units(table: OutcomeTable) -> dict[int, tuple]:
    """The table's units: (level, in the Zone today, the teams above it: district, region,
    state team; and whether it is the SMT)."""
    in_table = OutcomeValue.objects.filter(
        measure_id=table.measure_id, period_id=table.period_id
    ).values("team_id")
    zone = Team.objects.filter(pk__in=in_table).filter(in_zone_today()).values_list("pk")
    zone_ids = {pk for (pk,) in zone}
    return {
        pk: (level, pk in zone_ids, district, region, state, is_smt)
        for pk, level, district, region, state, is_smt in Team.objects.filter(
            pk__in=in_table
        ).values_list(
            "pk",
            "level",
            "district_team_id",
            "region_team_id",
            "state_team_id",
            "is_management_team",
        )
    }


def _parents(units: dict[int, tuple]) -> dict[int, int]:
    """Each unit's nearest unit above it in the table: a building's district, a district's
    region, a region's state team or else the SMT (which stands for the state)."""
    state = smt_id()
    parents = {}
    for pk, (_, _, district, region, state_team, is_smt) in units.items():
        if is_smt:
            continue
        for above in (district, region, state_team, state):
            if above is not None and above != pk and above in units:
                parents[pk] = above
                break
    return parents


def _aggregates(measure, cells, hidden, units, total, partitions, minimum) -> dict:
    """The Zone and the rest of the state, from the finest level the table reports,
    decided beside the table's own decisions."""
    level = next((lvl for lvl in FINEST_FIRST if any(u[0] == lvl for u in units.values())), None)
    if level is None:
        return {}
    sides = {
        pk: (ZONE if in_zone else REST)
        for pk, (unit_level, in_zone, *_rest) in units.items()
        if unit_level == level
    }
    sums: dict[tuple[str, int], list] = defaultdict(lambda: [Decimal(0), 0])
    for cell in cells:
        side = sides.get(cell.unit)
        if side is None:
            continue
        acc = sums[side, cell.group]
        acc[0] += cell.value if measure.is_sum else cell.value * cell.count
        acc[1] += cell.count
    aggregate_cells = []
    for (side, group), (amount, students) in sums.items():
        if measure.is_sum:
            value = amount
        else:
            value = (amount / students).quantize(Decimal("0.001")) if students else None
        if value is not None:
            aggregate_cells.append(Cell(side, group, students, value))
    base = [cell for cell in cells if cell.unit in sides or units[cell.unit][5]]
    state = smt_id()
    lines = {
        ZONE: [pk for pk, side in sides.items() if side == ZONE],
        REST: [pk for pk, side in sides.items() if side == REST],
    }
    if state in units:
        lines[state] = [ZONE, REST]
    decided = {cell.key: hidden.get(cell.key, "") for cell in base}
    found = suppress(
        [*base, *aggregate_cells],
        minimum=minimum,
        total_group=total,
        partitions=partitions,
        sums=lines,
        decided=decided,
    )
    result: dict[str, dict[str, list]] = defaultdict(dict)
    for cell in aggregate_cells:
        result[str(cell.group)][cell.unit] = [str(cell.value), cell.count, found.get(cell.key, "")]
    return dict(result)


def stale_tables(minimum: int | None = None, zone_key: str | None = None):
    """Tables decided with another minimum cell size or another Zone, or never decided."""
    minimum = minimum_cell_size() if minimum is None else minimum
    zone_key = current_zone_key() if zone_key is None else zone_key
    return OutcomeTable.objects.exclude(
        Q(decided_at__isnull=False, minimum=minimum, zone_key=zone_key)
    )


def decide_stale() -> int:
    """Decide again every table that is out of date; returns how many were."""
    count = 0
    for table in list(stale_tables().order_by("pk")):
        decide(table)
        count += 1
    return count
