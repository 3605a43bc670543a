"""Outcome values in the Lakeland demo: three measures by student group over ten school
years for every unit (the state, its regions, districts and buildings), with the small
groups of small buildings that suppression must hide, and the Transformation Zone
improving faster than the rest.

Buildings are drawn first; a district's students are the sum of its buildings', a
region's of its districts', the state's of its regions', and each value is the average
of those below it weighted by students, so the tables add up the way complementary
suppression assumes. Written with bulk inserts (no audit rows: values enter the audit
history through imports), then each table decided once.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from teams.demo.lakeland import SEED
from teams.models import Level, Team

from .models import (
    GoodDirection,
    Measure,
    MeasureGroup,
    MeasureUnit,
    OutcomeTable,
    OutcomeValue,
    Period,
)
from .outcome_tables import decide

YEARS = 10
GROUPS = [
    # key, label, partition, share of all students
    ("female", "Female", "sex", 0.49),
    ("male", "Male", "sex", 0.51),
    ("asian", "Asian", "race", 0.05),
    ("black", "Black", "race", 0.16),
    ("hispanic", "Hispanic", "race", 0.22),
    ("white", "White", "race", 0.52),
    ("multiracial", "Two or more races", "race", 0.05),
    ("el", "English learners", "", 0.09),
    ("swd", "Students with disabilities", "", 0.13),
]


@dataclass(frozen=True)
class MeasurePlan:
    key: str
    name: str
    good: str
    start: tuple[float, float]
    zone_gain: float
    rest_gain: float
    gaps: dict[str, float]
    description: str


MEASURES = [
    MeasurePlan(
        "reading-proficiency",
        "Reading proficiency, grade 3",
        GoodDirection.UP,
        (38, 62),
        2.6,
        0.6,
        {"el": -18, "swd": -22, "black": -9, "hispanic": -7, "asian": 6, "female": 3, "male": -3},
        "Percent of grade 3 students scoring proficient or above on the state reading test.",
    ),
    MeasurePlan(
        "chronic-absenteeism",
        "Chronic absenteeism",
        GoodDirection.DOWN,
        (12, 28),
        -1.3,
        -0.2,
        {"el": 4, "swd": 7, "black": 5, "hispanic": 3, "asian": -4},
        "Percent of students missing 10% or more of the school days they were enrolled.",
    ),
    MeasurePlan(
        "graduation-rate",
        "Four-year graduation rate",
        GoodDirection.UP,
        (72, 90),
        1.4,
        0.4,
        {"el": -12, "swd": -15, "black": -6, "hispanic": -5, "asian": 4, "female": 2, "male": -2},
        "Percent of a cohort graduating within four years of entering grade 9.",
    ),
]


def describe() -> str:
    return (
        f"{len(MEASURES)} outcome measures by {len(GROUPS) + 1} student groups over {YEARS} "
        "school years for every unit, small groups hidden, the Zone improving faster"
    )


def school_years(day: date) -> list[tuple[str, str, date]]:
    """The last ten complete school years: (key, label, first day)."""
    last = day.year - 1 if day.month >= 8 else day.year - 2
    years = range(last - YEARS + 1, last + 1)
    return [(f"{y}-{(y + 1) % 100:02d}", f"{y}–{(y + 1) % 100:02d}", date(y, 8, 1)) for y in years]


def load(day: date) -> int:
    """Write the demo's outcomes, unless they are there (a second load adds nothing)."""
    rng = random.Random(SEED + 18)
    periods = _periods(day)
    measures = _measures()
    written = 0
    teams = list(
        Team.objects.values_list(
            "pk", "level", "is_management_team", "parent_id", "zone_entered_on", "zone_left_on"
        )
    )
    # The `building` login's school is a small one: its dashboard shows groups hidden.
    small = set(
        Team.objects.filter(
            level=Level.BUILDING, memberships__person__username="building"
        ).values_list("pk", flat=True)
    )
    sizes = _sizes(teams, rng, small)
    for plan, measure in zip(MEASURES, measures, strict=True):
        if OutcomeValue.objects.filter(measure=measure).exists():
            continue
        groups = {g.key: g for g in measure.groups.all()}
        values = _values(plan, groups, periods, teams, sizes, day, rng)
        OutcomeValue.objects.bulk_create(values, batch_size=2_000)
        written += len(values)
        for period in periods:
            table, _ = OutcomeTable.objects.get_or_create(measure=measure, period=period)
            decide(table)
    return written


def _periods(day: date) -> list[Period]:
    periods = []
    for key, label, starts_on in school_years(day):
        period, _ = Period.objects.get_or_create(
            key=key, defaults={"label": label, "starts_on": starts_on}
        )
        periods.append(period)
    return periods


def _measures() -> list[Measure]:
    measures = []
    for position, plan in enumerate(MEASURES):
        measure, created = Measure.objects.get_or_create(
            key=plan.key,
            defaults={
                "name": plan.name,
                "unit": MeasureUnit.PERCENT,
                "good_direction": plan.good,
                "lowest": Decimal(0),
                "highest": Decimal(100),
                "position": position,
                "description": plan.description,
            },
        )
        if created:
            MeasureGroup.objects.bulk_create(
                [
                    MeasureGroup(
                        measure=measure, key="all", label="All students", is_total=True, position=0
                    ),
                    *(
                        MeasureGroup(
                            measure=measure, key=key, label=label, partition=part, position=n
                        )
                        for n, (key, label, part, _) in enumerate(GROUPS, start=1)
                    ),
                ]
            )
        measures.append(measure)
    return measures


def _sizes(teams, rng, small: set[int]) -> dict[int, dict[str, int]]:
    """Students per building and group: most buildings some hundreds, a few very small,
    so their smaller groups fall under the minimum cell size."""
    sizes = {}
    for pk, level, *_ in teams:
        if level != Level.BUILDING:
            continue
        total = rng.choice([rng.randint(14, 40), *[rng.randint(60, 420)] * 5])
        if pk in small:
            total = 34
        shares = {key: share * rng.uniform(0.5, 1.5) for key, _, _, share in GROUPS}
        for partition in ("sex", "race"):
            keys = [key for key, _, part, _ in GROUPS if part == partition]
            scale = sum(shares[k] for k in keys)
            counts = [round(total * shares[k] / scale) for k in keys]
            counts[-1] = total - sum(counts[:-1])
            if counts[-1] < 0:
                counts[0] += counts[-1]
                counts[-1] = 0
            shares.update(dict(zip(keys, counts, strict=True)))
        sizes[pk] = {"all": total, **{k: int(v) if isinstance(v, int) else round(total * v)
                                      for k, v in shares.items()}}  # fmt: skip
    return sizes


def _values(plan, groups, periods, teams, sizes, day, rng) -> list[OutcomeValue]:
    children: dict[int, list[int]] = defaultdict(list)
    level_of, in_zone = {}, {}
    for pk, level, is_smt, parent, entered, left in teams:
        level_of[pk] = "smt" if is_smt else level
        in_zone[pk] = bool(entered and entered <= day and (left is None or left > day))
        if parent is not None:
            children[parent].append(pk)
    result = []
    # figures[(team, period, group)] = (value, students): buildings drawn, the rest summed.
    figures: dict[tuple, tuple[float, int]] = {}
    low, high = plan.start
    for pk, students in sizes.items():
        base = rng.uniform(low, high)
        gain = plan.zone_gain if in_zone[pk] else plan.rest_gain
        for n, period in enumerate(periods):
            level = base + gain * n + rng.uniform(-1.5, 1.5)
            for key in ("all", *(k for k, _, _, _ in GROUPS)):
                value = level + plan.gaps.get(key, 0) + (rng.uniform(-6, 6) if key != "all" else 0)
                figures[pk, period.pk, key] = (min(99.0, max(1.0, value)), students[key])

    known = set(sizes)

    def roll_up(pk: int) -> bool:
        """Give the unit the sum of the units below it; whether it has figures."""
        if pk in known:
            return True
        below = [c for c in children.get(pk, []) if roll_up(c)]
        if not below:
            return False
        for period in periods:
            for key in ("all", *(k for k, _, _, _ in GROUPS)):
                parts = [figures[c, period.pk, key] for c in below]
                students = sum(n for _, n in parts)
                value = sum(v * n for v, n in parts) / students if students else 0
                figures[pk, period.pk, key] = (value, students)
        known.add(pk)
        return True

    for pk, _, is_smt, *_ in teams:
        if is_smt:
            roll_up(pk)
    for (pk, period_id, key), (value, students) in figures.items():
        if level_of[pk] == Level.STATE:
            continue  # state implementation teams stand for no unit of their own
        result.append(
            OutcomeValue(
                measure_id=groups[key].measure_id,
                period_id=period_id,
                group=groups[key],
                team_id=pk,
                value=Decimal(f"{value:.1f}"),
                students=students,
            )
        )
    return result
