"""Outcome values in the demo-shaped world, worked by hand, with the cells suppression hides.

One measure, reading proficiency (all students; female and male, a partition; English
learners, a group on its own), over two school years, for every unit of the world that
stands for a place: the state (the SMT), the Northern region, the Cedar Falls and
Riverbend districts, and the Lincoln, Maple and Oak Park buildings. Lincoln, its district
and its region are in the Transformation Zone.

In 2025-26, with the minimum cell size of 10:
- Lincoln's 8 girls are too few: hidden as small. Its boys (112) would give them away by
  subtraction from all students (120), so they are hidden too.
- Cedar Falls' girls (53) are Lincoln's and Maple's: Maple's girls are hidden so Lincoln's
  cannot be recovered from the district, and then Maple's boys beside them.
- Maple's 6 English learners are too few; Lincoln's (30) are hidden beside them, or the
  district's would give them away.
- The Zone is Lincoln alone: its girls (8) are small, and its boys and English learners
  would show Lincoln's hidden cells, so only all students show (61.0% of 120). The rest of
  the state (Maple and Oak Park) shows all students (51.6% of 290); its groups would give
  away Maple's hidden ones, so they are hidden.

Built on first use and found again after, like the other worlds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from datasystem.models import (
    Measure,
    MeasureGroup,
    MeasureUnit,
    OutcomeTable,
    OutcomeValue,
    Period,
)
from datasystem.outcome_tables import decide
from teams.models import Team, today

from .world import World

CODES = {
    "smt": "LK-STATE",
    "region": "LK-NORTH",
    "district": "LK-CEDAR",
    "building": "LK-LINCOLN",
    "other_building": "LK-MAPLE",
    "far_district": "LK-RIVER",
    "far_building": "LK-OAK",
}
# (students, value) per building, group and period; districts, the region and the state
# are their sums, averaged by students.
BUILDINGS = {
    "2025-26": {
        "building": {"all": (120, "61.0"), "female": (8, "75.0"), "male": (112, "60.0"),
                     "el": (30, "40.0")},
        "other_building": {"all": (90, "55.0"), "female": (45, "57.0"), "male": (45, "53.0"),
                           "el": (6, "30.0")},
        "far_building": {"all": (200, "50.0"), "female": (100, "52.0"), "male": (100, "48.0"),
                         "el": (20, "35.0")},
    },
    "2024-25": {
        "building": {"all": (118, "57.0"), "female": (58, "59.0"), "male": (60, "55.0"),
                     "el": (28, "37.0")},
        "other_building": {"all": (88, "53.0"), "female": (44, "55.0"), "male": (44, "51.0"),
                           "el": (12, "31.0")},
        "far_building": {"all": (190, "49.0"), "female": (95, "51.0"), "male": (95, "47.0"),
                         "el": (19, "34.0")},
    },
}  # fmt: skip
ROLL_UP = {
    "district": ["building", "other_building"],
    "far_district": ["far_building"],
    "region": ["district"],
    "smt": ["district", "far_district"],
}


@dataclass
class OutcomeWorld:
    measure: Measure
    periods: dict[str, Period]

    def group(self, key: str) -> MeasureGroup:
        return self.measure.groups.get(key=key)

    @property
    def latest(self) -> Period:
        return self.periods["2025-26"]

    def value(self, team: Team, group: str, period: str = "2025-26") -> OutcomeValue:
        return OutcomeValue.objects.get(
            measure=self.measure, period=self.periods[period], team=team, group__key=group
        )


def outcome_world(world: World) -> OutcomeWorld:
    found = Measure.objects.filter(key="reading").first()
    if found is not None:
        return OutcomeWorld(found, {p.key: p for p in Period.objects.all()})
    for name, code in CODES.items():
        team = getattr(world, name)
        team.code = code
        if name in ("region", "district", "building"):
            team.zone_entered_on = today() - timedelta(days=400)
        team.save()
    measure = Measure.objects.create(
        key="reading",
        name="Reading proficiency",
        unit=MeasureUnit.PERCENT,
        good_direction="up",
        lowest=Decimal(0),
        highest=Decimal(100),
    )
    groups = {
        key: MeasureGroup.objects.create(
            measure=measure, key=key, label=label, partition=part, is_total=key == "all",
            position=n,
        )
        for n, (key, label, part) in enumerate(
            [("all", "All students", ""), ("female", "Female", "sex"), ("male", "Male", "sex"),
             ("el", "English learners", "")]
        )
    }  # fmt: skip
    periods = {
        key: Period.objects.create(key=key, label=f"School year {key}", starts_on=date(year, 8, 1))
        for key, year in (("2024-25", 2024), ("2025-26", 2025))
    }
    values = []
    for period_key, buildings in BUILDINGS.items():
        figures = {
            (unit, group): (n, Decimal(v))
            for unit, cells in buildings.items()
            for group, (n, v) in cells.items()
        }
        for unit in ("district", "far_district", "region", "smt"):
            for group in groups:
                parts = [figures[below, group] for below in ROLL_UP[unit]]
                students = sum(n for n, _ in parts)
                value = sum(n * v for n, v in parts) / students
                figures[unit, group] = (students, value.quantize(Decimal("0.1")))
        for (unit, group), (students, value) in figures.items():
            values.append(
                OutcomeValue(
                    measure=measure,
                    period=periods[period_key],
                    group=groups[group],
                    team=getattr(world, unit),
                    value=value,
                    students=students,
                )
            )
    OutcomeValue.objects.bulk_create(values)
    for period in periods.values():
        decide(OutcomeTable.objects.create(measure=measure, period=period))
    return OutcomeWorld(measure, periods)
