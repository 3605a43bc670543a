"""Small-cell suppression: the one place that decides which outcome values may be seen.

Every page, chart, export and digest that shows an outcome value asks `suppress` about the
table it comes from and shows each cell through `Shown`; nothing else reads a raw value out
to a person. Two kinds of hiding:

- **small**: the value stands on fewer students than the agency's minimum cell size. It
  reads "fewer than N", and its number of students is hidden with it.
- **complementary**: a value that is large enough, hidden because, with the others on
  the same line, it would let someone recover a small one by subtraction. It reads "*".

A *line* is a set of cells that add up: the groups of one partition (every student is in
exactly one of them, e.g. the race groups, or female and male) against the unit's all
students; or the units below a parent (a district's buildings) against the parent, for one
group. Where a line holds exactly one hidden cell, the one next smallest on that line is
hidden too (its total only when nothing else on the line is left), and the lines are walked
again until nothing changes: hiding in one direction can expose a cell in the other.

Groups outside any partition (English learners, say, whose complement is not reported)
are on no group line: subtracting them from all students reveals nothing small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

SMALL = "small"
COMPLEMENTARY = "complementary"

DEFAULT_MINIMUM_CELL = 10


def minimum_cell_size() -> int:
    """The agency's minimum cell size: `PORTAL_MINIMUM_CELL_SIZE` in settings, never below 1."""
    from django.conf import settings

    return max(1, int(getattr(settings, "PORTAL_MINIMUM_CELL_SIZE", DEFAULT_MINIMUM_CELL)))


@dataclass(frozen=True)
class Cell:
    """One value of a table: a unit (team, or any key) and a student group, the number of
    students behind it, and the value itself."""

    unit: Hashable
    group: Hashable
    count: int
    value: Decimal | float | int | None = None

    @property
    def key(self) -> tuple[Hashable, Hashable]:
        return (self.unit, self.group)


@dataclass(frozen=True)
class Shown:
    """A cell as a person may see it: the value and count when shown, neither when hidden."""

    value: Decimal | float | int | None
    count: int | None
    hidden: str  # "", SMALL or COMPLEMENTARY
    minimum: int

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden)

    @property
    def label(self) -> str:
        """What a table or an export prints in place of a hidden value."""
        if self.hidden == SMALL:
            return f"fewer than {self.minimum}"
        if self.hidden == COMPLEMENTARY:
            return "*"
        return ""

    @property
    def explanation(self) -> str:
        if self.hidden == SMALL:
            return f"Hidden: fewer than {self.minimum} students, to protect their privacy."
        if self.hidden == COMPLEMENTARY:
            return (
                "Hidden so that a smaller group's value cannot be worked out "
                "from the total and the other groups."
            )
        return ""


def suppress(
    cells: Iterable[Cell],
    *,
    minimum: int | None = None,
    total_group: Hashable | None = None,
    partitions: Mapping[Hashable, Hashable] | None = None,
    parents: Mapping[Hashable, Hashable | None] | None = None,
) -> dict[tuple[Hashable, Hashable], str]:
    """Which cells of one table (one measure, one period) to hide, and why.

    `total_group` is the all-students group; `partitions` maps each other group to the
    partition it belongs to (groups missing from it, or mapped to None, are on no group
    line); `parents` maps each unit to the unit above it whose value its siblings add up
    to. Returns {(unit, group): SMALL or COMPLEMENTARY} for every hidden cell; a cell not
    in the answer may be shown. Decide over the whole table, not the part a page shows,
    so that every page hides the same cells.
    """
    minimum = minimum_cell_size() if minimum is None else minimum
    table = {cell.key: cell for cell in cells}
    hidden = {key: SMALL for key, cell in table.items() if cell.count < minimum}
    lines = _lines(table, total_group, partitions or {}, parents or {})
    changed = bool(hidden)
    while changed:
        changed = False
        for members, total in lines:
            on_line = [*members, total]
            if sum(1 for key in on_line if key in hidden) != 1:
                continue
            candidates = [key for key in members if key not in hidden] or [total]
            chosen = min(candidates, key=lambda key: (table[key].count, repr(key)))
            hidden[chosen] = COMPLEMENTARY
            changed = True
    return hidden


def _lines(table, total_group, partitions, parents):
    """The sets of cells that add up to a total in the table: (members, total key)."""
    lines = []
    if total_group is not None:
        by_partition = defaultdict(list)
        for unit, group in table:
            part = partitions.get(group)
            if group != total_group and part is not None:
                by_partition[unit, part].append((unit, group))
        for (unit, _part), members in by_partition.items():
            if (unit, total_group) in table:
                lines.append((sorted(members, key=repr), (unit, total_group)))
    by_parent = defaultdict(list)
    for unit, group in table:
        parent = parents.get(unit)
        if parent is not None:
            by_parent[parent, group].append((unit, group))
    for (parent, group), members in by_parent.items():
        if (parent, group) in table:
            lines.append((sorted(members, key=repr), (parent, group)))
    lines.sort(key=repr)
    return lines


def shown_table(
    cells: Iterable[Cell], *, minimum: int | None = None, **lines
) -> dict[tuple[Hashable, Hashable], Shown]:
    """Every cell of the table as it may be seen: `suppress` applied, raw values dropped."""
    cells = list(cells)
    minimum = minimum_cell_size() if minimum is None else minimum
    hidden = suppress(cells, minimum=minimum, **lines)
    return {
        cell.key: (
            Shown(None, None, hidden[cell.key], minimum)
            if cell.key in hidden
            else Shown(cell.value, cell.count, "", minimum)
        )
        for cell in cells
    }
