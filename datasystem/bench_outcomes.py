"""Outcomes in the benchmark state, and the measured 100,000-row import.

Three measures by ten student groups over ten school years for every unit (the state, its
regions, districts and buildings: about 3 million values at full scale), shaped like the
demo's (small groups in small buildings, the Zone improving faster), each table decided
for suppression by the same function the portal uses, then written with COPY.

The import is measured through the path the page takes (the job record, the file in the
imports storage, the task's service), on a new school year for every unit, inside a
transaction the bench rolls back, so the state is left as it was.
"""

from __future__ import annotations

import csv
import os
import resource
import tempfile
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from teams.models import Level, Team, User

from .demo_outcomes import GROUPS, MEASURES, school_years
from .models import (
    ImportMode,
    JobStatus,
    Measure,
    MeasureGroup,
    MeasureUnit,
    OutcomeTable,
    OutcomeValue,
    Period,
)
from .outcome_tables import _zone_key, decisions
from .suppression import Cell, minimum_cell_size

IMPORT_ROWS = 100_000
# The tiny state the test suite builds imports fewer, so the suite stays quick.
TINY_IMPORT_ROWS = 2_000
GROUP_KEYS = ("all", *(key for key, _, _, _ in GROUPS))


def build(state: Any) -> None:
    measures = _measures()
    periods = [
        Period.objects.create(key=key, label=label, starts_on=starts_on)
        for key, label, starts_on in school_years(state.day)
    ]
    teams = list(
        Team.objects.values_list(
            "pk",
            "level",
            "is_management_team",
            "parent_id",
            "district_team_id",
            "region_team_id",
            "state_team_id",
            "zone_entered_on",
            "zone_left_on",
        )
    )
    day = state.day
    units = {
        pk: (level, bool(entered and entered <= day and (left is None or left > day)),
             district, region, state_team, is_smt)
        for pk, level, is_smt, _, district, region, state_team, entered, left in teams
        if is_smt or level != Level.STATE
    }  # fmt: skip
    children: dict[int, list[int]] = defaultdict(list)
    for pk, _, _, parent, *_ in teams:
        if parent is not None:
            children[parent].append(pk)
    rng = state.rng("outcomes")
    sizes = _sizes(units, rng)
    zone_key = _zone_key()
    minimum = minimum_cell_size()
    for plan, (measure, groups) in zip(MEASURES, measures, strict=True):
        base = {pk: rng.uniform(*plan.start) for pk in sizes}
        for n, period in enumerate(periods):
            figures = _figures(plan, base, sizes, units, children, n, rng)
            cells = [
                Cell(pk, groups[key].pk, students, value)
                for (pk, key), (value, students) in figures.items()
                if pk in units
            ]
            hidden, aggregates = decisions(measure, list(groups.values()), cells, units, minimum)
            state.copy(
                OutcomeValue,
                (
                    {
                        "measure_id": measure.pk,
                        "period_id": period.pk,
                        "group_id": cell.group,
                        "team_id": cell.unit,
                        "value": cell.value,
                        "students": cell.count,
                        "hidden": hidden.get(cell.key, ""),
                    }
                    for cell in cells
                ),
            )
            OutcomeTable.objects.create(
                measure=measure,
                period=period,
                minimum=minimum,
                decided_at=state.now,
                zone_key=zone_key,
                aggregates=aggregates,
                cells=len(cells),
            )


def _measures() -> list[tuple[Measure, dict[str, MeasureGroup]]]:
    found = []
    for position, plan in enumerate(MEASURES):
        measure = Measure.objects.create(
            key=plan.key,
            name=plan.name,
            unit=MeasureUnit.PERCENT,
            good_direction=plan.good,
            lowest=Decimal(0),
            highest=Decimal(100),
            position=position,
            description=plan.description,
        )
        groups = {
            "all": MeasureGroup.objects.create(
                measure=measure, key="all", label="All students", is_total=True, position=0
            )
        }
        for n, (key, label, partition, _) in enumerate(GROUPS, start=1):
            groups[key] = MeasureGroup.objects.create(
                measure=measure, key=key, label=label, partition=partition, position=n
            )
        found.append((measure, groups))
    return found


def _sizes(units: dict[int, tuple], rng) -> dict[int, dict[str, int]]:
    """Students per building and group, as in the demo: a few small buildings."""
    sizes = {}
    for pk, (level, *_) in units.items():
        if level != Level.BUILDING:
            continue
        total = rng.randint(14, 40) if rng.random() < 0.15 else rng.randint(60, 420)
        groups = {"all": total}
        for partition in ("sex", "race"):
            keys = [key for key, _, part, _ in GROUPS if part == partition]
            weights = [share * rng.uniform(0.5, 1.5) for key, _, part, share in GROUPS
                       if part == partition]  # fmt: skip
            counts = [int(total * w / sum(weights)) for w in weights]
            counts[-1] = total - sum(counts[:-1])
            groups.update(zip(keys, counts, strict=True))
        for key, _, part, share in GROUPS:
            if not part:
                groups[key] = int(total * share * rng.uniform(0.5, 1.5))
        sizes[pk] = groups
    return sizes


def _figures(plan, base, sizes, units, children, n, rng) -> dict[tuple[int, str], tuple]:
    """(value, students) per unit and group key: buildings drawn, the others summed."""
    figures: dict[tuple[int, str], tuple[Decimal, int]] = {}
    gain_zone, gain_rest = plan.zone_gain, plan.rest_gain
    for pk, groups in sizes.items():
        level = base[pk] + (gain_zone if units[pk][1] else gain_rest) * n
        for key in GROUP_KEYS:
            value = level + plan.gaps.get(key, 0) + (rng.uniform(-6, 6) if key != "all" else 0)
            figures[pk, key] = (round(min(99.0, max(1.0, value)), 1), groups[key])
    # Districts, then regions, then the state: each the students' average of those below.
    for level in (Level.DISTRICT, Level.REGIONAL, "smt"):
        for pk, unit in units.items():
            if (unit[5] and level == "smt") or (not unit[5] and unit[0] == level):
                below = _below(pk, children, units, figures)
                for key in GROUP_KEYS:
                    parts = [figures[c, key] for c in below]
                    students = sum(s for _, s in parts)
                    value = sum(v * s for v, s in parts) / students if students else 0
                    figures[pk, key] = (round(value, 1), students)
    return {key: (Decimal(str(v)), s) for key, (v, s) in figures.items()}


def _below(pk: int, children, units, figures) -> list[int]:
    """The units just below one with figures (the SMT's regions sit under state teams)."""
    found = []
    for child in children.get(pk, []):
        if (child, "all") in figures:
            found.append(child)
        elif child not in units:  # a state implementation team: look through it
            found += _below(child, children, units, figures)
    return found


# --- The measured import ---------------------------------------------------------------------


def import_rows(state: Any):
    """100,000 rows of new school years for every unit, as an agency's file would give,
    one at a time (a list of them would be counted in the import's memory)."""
    from .outcome_import import COLUMNS

    measures = list(Measure.objects.order_by("position").values_list("key", flat=True))
    codes = list(Team.objects.exclude(code="").order_by("pk").values_list("code", flat=True))
    rng = state.rng("outcome-import")
    size = import_size(state)
    yield COLUMNS
    written, year = 0, state.day.year + 1
    while True:
        period = Period.objects.create(
            key=f"bench-{year}", label=f"Benchmark {year}", starts_on=date(year, 8, 1)
        )
        for measure in measures:
            for code in codes:
                students = rng.randint(40, 400)
                for key in GROUP_KEYS:
                    if written == size:
                        return
                    count = students if key == "all" else rng.randint(0, students // 2)
                    yield [measure, code, period.key, key, f"{rng.uniform(5, 95):.1f}", str(count)]
                    written += 1
        year += 1


def import_size(state: Any) -> int:
    return TINY_IMPORT_ROWS if state.scale.buildings < 200 else IMPORT_ROWS


def measure_import(state: Any) -> dict[str, Any]:
    """The import of 100,000 rows through the page's path, timed, in a transaction undone
    afterwards. Returns the seconds, the process's peak memory, and what was written."""
    from . import services
    from .tasks import import_outcomes

    admin = User.objects.filter(username="admin").first()
    with transaction.atomic():
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "outcomes-100000.csv")
            with open(path, "w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerows(import_rows(state))
            size = os.path.getsize(path)
            before = _peak_megabytes()
            started = time.perf_counter()
            with open(path, "rb") as upload:
                job = services.import_start(
                    by=admin, upload=File(upload, name="outcomes-100000.csv"),
                    file_name="outcomes-100000.csv", mode=ImportMode.WHOLE,
                )  # fmt: skip
            # What the task does once the upload's transaction commits.
            status = import_outcomes(job.pk)
            seconds = time.perf_counter() - started
        job.refresh_from_db()
        result = {
            "rows": job.rows_read,
            "file_bytes": size,
            "seconds": round(seconds, 1),
            "peak_mb": round(_peak_megabytes(), 1),
            "peak_mb_before": round(before, 1),
            "status": status,
            "written": job.rows_written,
            "result": job.result,
            "measured_at": timezone.now().isoformat(),
        }
        transaction.set_rollback(True)
    if status != JobStatus.DONE:
        raise RuntimeError(f"The measured import did not succeed: {result}")
    return result


def _peak_megabytes() -> float:
    # ru_maxrss is in kilobytes on Linux: the most this process has held at once.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
