"""The digest's section on outcomes: the Transformation Zone's progress against the rest of
the state, each value through the data system's one suppression function.

Outcome values (per unit, period and student group, with the number of students behind
each) come with the data system's outcome data. Until it is there, this section is not in
the digest's list (`digests.digest.SECTIONS`); when it is, the data system offers a reader
of the Zone's and the rest's values (`OutcomeRow`s: the same measures summed over the
Zone's units, over the others, and over the state) and the section joins the list:

    Section("outcomes", "Outcomes in the Transformation Zone", outcome_progress)

between "stages" and "assessments", with `rows` read by that selector. Nothing here
prints a value `shown_table` hid: a hidden value reads "fewer than N" or "*", and a change
is given only between two shown values.
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
