"""The digest's section on outcomes: the Transformation Zone's progress against the rest of
the state, each value through the data system's one suppression function.

`zone_progress` is the section in the digest's list (`digests.digest.SECTIONS`): for each
measure, the two latest school years begun by the month's end, the Zone and the rest of the
state for all students, as the data system decided them with each table
(`datasystem.outcome_tables`: `suppress`, kept with the table) and read through
`suppression.shown`, which judges the count again. A table decided with another minimum
or before the Zone changed shows nothing until it is decided again. `outcome_progress`
does the same from rows given to it, deciding with `shown_table` itself.

Nothing here prints a hidden value: it reads "fewer than N" or "*", and a change is given
only between two shown values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from datasystem.suppression import Cell, Shown, shown_table

# The Zone and the rest add up to the state: one line for complementary suppression.
SIDES = {"zone": "state", "rest": "state"}


@dataclass(frozen=True)
class OutcomeRow:
    """One value the digest may show: a measure's value for the Zone, the rest of the
    state or the state ("zone", "rest", "state"), for a student group and a period."""

    measure: str
    side: str
    group: str
    period: str
    value: Decimal | float | None
    count: int


def _shown(value: Shown) -> str | None:
    if value.is_hidden:
        return value.label
    return None if value.value is None else f"{round(float(value.value), 1):g}"


def outcome_progress(
    period,
    rows: Iterable[OutcomeRow] | None = None,
    *,
    total_group: str = "all",
    partitions: dict[str, str] | None = None,
    reader: Callable[[Any], list[OutcomeRow]] | None = None,
) -> dict[str, Any]:
    """The latest two periods of each measure, for the Zone and the rest, suppressed.

    `partitions` maps each student group to the partition it belongs to (groups that add
    up to all students), as the data system's measure defines them."""
    rows = list(rows if rows is not None else (reader(period) if reader else []))
    tables: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for row in rows:
        tables[(row.measure, row.period)].append(
            Cell(unit=row.side, group=row.group, count=row.count, value=row.value)
        )
    measures: dict[str, list[str]] = defaultdict(list)
    for measure, when in sorted(tables):
        measures[measure].append(when)
    shown: dict[tuple[str, str], dict] = {
        key: shown_table(cells, total_group=total_group, partitions=partitions or {}, parents=SIDES)
        for key, cells in tables.items()
    }
    out = []
    for measure, periods in measures.items():
        latest, before = periods[-1], (periods[-2] if len(periods) > 1 else None)
        for side in ("zone", "rest"):
            now = shown[(measure, latest)].get((side, total_group))
            then = shown[(measure, before)].get((side, total_group)) if before else None
            change = None
            if now and then and not now.is_hidden and not then.is_hidden:
                change = round(float(now.value) - float(then.value), 1)
            out.append(
                {
                    "measure": measure,
                    "side": "The Zone" if side == "zone" else "The rest of the state",
                    "period": latest,
                    "value": _shown(now) if now else None,
                    "students": now.count if now and not now.is_hidden else None,
                    "change": change,
                    "hidden": bool(now and now.is_hidden),
                }
            )
    return {
        "figures": [],
        "achieved": [],
        "attention": [],
        "rows": out,
    }


def zone_progress(period) -> dict[str, Any]:
    """The Zone's outcomes against the rest of the state, from the decided tables."""
    from datasystem.models import Measure, OutcomeTable
    from datasystem.outcome_tables import aggregates_current, current_zone_key
    from datasystem.suppression import minimum_cell_size, shown, withheld

    minimum, zone_key = minimum_cell_size(), current_zone_key()
    totals = {
        m.pk: next((g.pk for g in m.groups.all() if g.is_total), None)
        for m in Measure.objects.prefetch_related("groups")
    }
    tables = (
        OutcomeTable.objects.filter(period__starts_on__lt=period.end)
        .select_related("measure", "period")
        .order_by("measure__position", "measure__name", "-period__starts_on")
    )
    latest: dict[int, list] = defaultdict(list)
    for table in tables:
        if len(latest[table.measure_id]) < 2:
            latest[table.measure_id].append(table)

    def side_of(table, side, total):
        if table is None or total is None:
            return None
        if not aggregates_current(table, minimum, zone_key):
            return withheld(minimum)
        value, students, hidden = table.aggregates.get(str(total), {}).get(side, [None, None, ""])
        return shown(None if value is None else Decimal(value), students, hidden, minimum)

    rows = []
    for pairs in latest.values():
        now_table = pairs[0]
        then_table = pairs[1] if len(pairs) > 1 else None
        total = totals.get(now_table.measure_id)
        for side, label in (("zone", "The Zone"), ("rest", "The rest of the state")):
            now, then = side_of(now_table, side, total), side_of(then_table, side, total)
            change = None
            if now and then and not now.is_hidden and not then.is_hidden:
                change = round(float(now.value) - float(then.value), 1)
            rows.append(
                {
                    "measure": now_table.measure.name,
                    "side": label,
                    "period": now_table.period.label,
                    "value": _shown(now) if now else None,
                    "students": now.count if now and not now.is_hidden else None,
                    "change": change,
                    "hidden": bool(now and now.is_hidden),
                    "explanation": now.explanation if now and now.is_hidden else "",
                    # Down is the good way for some measures (chronic absence).
                    "improved": change is not None
                    and (change < 0 if now_table.measure.good_direction == "down" else change > 0),
                }
            )
    from .digest import _figure

    gained = [r for r in rows if r["side"] == "The Zone" and r["improved"]]
    return {
        "figures": [
            _figure("Outcome measures reported", len(latest)),
            _figure("Measures the Zone improved on", len(gained) if latest else "–"),
        ],
        "achieved": [f"The Zone improved on {r['measure'].lower()}" for r in gained],
        "attention": [],
        "rows": rows,
    }
