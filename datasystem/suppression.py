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

An aggregate that is no unit of its own (the Transformation Zone: the sum of its buildings)
is one more line (`sums`). It is decided after its table, with the table's cells as they
were decided (`decided`): those are never hidden again, so every page keeps hiding the
same cells, and where the aggregate would let a hidden one be recovered, the aggregate
itself is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

SMALL = "small"
COMPLEMENTARY = "complementary"
PENDING = "pending"

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
    hidden: str  # "", SMALL, COMPLEMENTARY or PENDING
    minimum: int

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden)

    @property
    def label(self) -> str:
        """What a table or an export prints in place of a hidden value."""
        if self.hidden == SMALL:
            return f"fewer than {self.minimum}"
        if self.hidden in (COMPLEMENTARY, PENDING):
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
        if self.hidden == PENDING:
            return "Hidden while the privacy check of this table is made again."
        return ""


def suppress(
    cells: Iterable[Cell],
    *,
    minimum: int | None = None,
    total_group: Hashable | None = None,
    partitions: Mapping[Hashable, Hashable] | None = None,
    parents: Mapping[Hashable, Hashable | None] | None = None,
    sums: Mapping[Hashable, Iterable[Hashable]] | None = None,
    decided: Mapping[tuple[Hashable, Hashable], str] | None = None,
) -> dict[tuple[Hashable, Hashable], str]:
    """Which cells of one table (one measure, one period) to hide, and why.

    `total_group` is the all-students group; `partitions` maps each other group to the
    partition it belongs to (groups missing from it, or mapped to None, are on no group
    line); `parents` maps each unit to the unit above it whose value its siblings add up
    to; `sums` maps an aggregate unit to the units whose cells add up to its cells, group
    by group (the Zone to its buildings). `decided` holds cells decided before ("" when
    shown): they keep their decision and are never hidden beside another.

    Returns {(unit, group): SMALL or COMPLEMENTARY} for every hidden cell; a cell not in
    the answer may be shown. Decide over the whole table, not the part a page shows, so
    that every page hides the same cells.
    """
    minimum = minimum_cell_size() if minimum is None else minimum
    table = {cell.key: cell for cell in cells}
    decided = {key: why for key, why in (decided or {}).items() if key in table}
    hidden = {key: why for key, why in decided.items() if why}
    hidden.update(
        {key: SMALL for key, cell in table.items() if key not in decided and cell.count < minimum}
    )
    lines = _lines(table, total_group, partitions or {}, parents or {}, sums or {})
    changed = bool(hidden)
    while changed:
        changed = False
        for members, total in lines:
            if sum(1 for key in members if key in hidden) + (total in hidden) != 1:
                continue
            open_ = [key for key in members if key not in hidden and key not in decided]
            if not open_ and total not in hidden and total not in decided:
                open_ = [total]
            if not open_:
                # Only cells decided before are left: their decision already covers it.
                continue
            chosen = min(open_, key=lambda key: (table[key].count, repr(key)))
            hidden[chosen] = COMPLEMENTARY
            changed = True
    return hidden


def _lines(table, total_group, partitions, parents, sums):
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
    if sums:
        groups = {group for _, group in table}
        for aggregate, units in sums.items():
            units = sorted(set(units), key=repr)
            for group in groups:
                members = [(unit, group) for unit in units if (unit, group) in table]
                if members and (aggregate, group) in table:
                    lines.append((members, (aggregate, group)))
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
        cell.key: shown(cell.value, cell.count, hidden.get(cell.key, ""), minimum) for cell in cells
    }


def shown(value, count: int | None, hidden: str, minimum: int) -> Shown:
    """One cell as it may be seen, from a decision kept with it (`hidden`). The count is
    judged again on the way out, so a cell decided with a smaller minimum, or never decided,
    stays hidden when it is small."""
    if hidden or count is None or value is None:
        return Shown(None, None, hidden or SMALL, minimum)
    if count < minimum:
        return Shown(None, None, SMALL, minimum)
    return Shown(value, count, "", minimum)


def withheld(minimum: int) -> Shown:
    """A cell of a table whose decision is out of date (made with another minimum cell
    size, or before the Zone changed): nothing of it is shown until it is decided again."""
    return Shown(None, None, PENDING, minimum)
