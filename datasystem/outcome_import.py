"""Importing outcome values from a CSV file: read as a stream, checked row by row, written
in batches in one transaction, then each table touched decided again for suppression.

A row is `measure,unit,period,group,value,students`: the measure's key, the unit's state
code (the team's `code`), the period's key, the group's key, the value and the number of
students behind it. Every bad row is reported with its line number and what is wrong; by
default nothing is written unless every row is right, or, at the person's choice, the good
rows are written and the rejected ones kept as a CSV to download. A row whose value and
students are already there changes nothing, so importing the same file again writes
nothing; a row that changes a value replaces it, and the audit history keeps the change.

Memory stays flat with the size of the file: rows are read one at a time and written a
batch at a time; only what identifies each row already read is kept, to refuse a repeat.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from teams.exports import neutralised
from teams.models import Team

from .models import (
    MAX_STUDENTS,
    VALUE_DIGITS,
    VALUE_PLACES,
    ImportJob,
    ImportMode,
    JobStatus,
    Measure,
    MeasureGroup,
    OutcomeTable,
    OutcomeValue,
    Period,
)
from .outcome_tables import decide

log = logging.getLogger(__name__)

COLUMNS = ["measure", "unit", "period", "group", "value", "students"]
BATCH = 2_000
# Problems kept on the job to show; every rejected row is in the rejected rows file.
PROBLEMS_KEPT = 200
# A job left "importing" this long was interrupted (its transaction rolled back): it may
# be claimed again.
STALE_AFTER = timedelta(minutes=30)
# A job still waiting this long had its task lost (queued while the broker was down).
LOST_AFTER = timedelta(minutes=10)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
LARGEST_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)


class FileProblem(ValueError):
    """The file as a whole cannot be read (its header, its encoding)."""


def check_header(first_line: str) -> None:
    """Refuse a file whose first line does not name the columns, before any job starts."""
    names = [name.strip().lower() for name in next(csv.reader([first_line]), [])]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise FileProblem(
            f"Line 1: the header lacks {', '.join(missing)}. The first line names the "
            f"columns: {','.join(COLUMNS)}."
        )
    repeated = sorted({name for name in names if names.count(name) > 1 and name in COLUMNS})
    if repeated:
        raise FileProblem(f"Line 1: the column {', '.join(repeated)} is named twice.")


@dataclass
class Vocabulary:
    """What the rows may name, read once per import."""

    measures: dict[str, Measure]
    groups: dict[tuple[int, str], int]
    group_keys: dict[int, list[str]]
    periods: dict[str, int]
    units: dict[str, int]

    @classmethod
    def load(cls) -> Vocabulary:
        measures = {m.key: m for m in Measure.objects.all()}
        groups, group_keys = {}, {}
        for pk, measure_id, key in MeasureGroup.objects.order_by("position").values_list(
            "pk", "measure_id", "key"
        ):
            groups[measure_id, key] = pk
            group_keys.setdefault(measure_id, []).append(key)
        return cls(
            measures=measures,
            groups=groups,
            group_keys=group_keys,
            periods=dict(Period.objects.values_list("key", "pk")),
            units=dict(Team.objects.exclude(code="").values_list("code", "pk")),
        )


@dataclass
class Row:
    line: int
    cells: list[str]
    measure: Measure | None = None
    key: tuple[int, int, int, int] | None = None  # measure, period, team, group
    value: Decimal | None = None
    students: int | None = None
    problems: list[str] = field(default_factory=list)


def rows_of(stream: io.TextIOBase) -> Iterator[Row]:
    """The file's rows after its header, one at a time, with their line numbers."""
    reader = csv.reader(stream)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise FileProblem("The file is empty: its first line names the columns.") from None
    except csv.Error as error:
        raise FileProblem(f"Line 1: the header cannot be read ({error}).") from error
    check_header(",".join(header))
    where = [header.index(name) for name in COLUMNS]
    width = len(header)
    line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(reader.line_num, [], problems=[f"Line {reader.line_num}: {error}."])
            continue
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            yield Row(
                start,
                cells,
                problems=[f"Line {start}: {len(cells)} cells where the header names {width}."],
            )
            continue
        yield Row(start, [cells[i].strip() for i in where])


def check(row: Row, words: Vocabulary, seen: dict[tuple, int]) -> Row:
    """Every problem of one row, each with its line number; or the row's key and figures."""
    if row.problems:
        return row
    measure_key, unit, period_key, group_key, value_text, students_text = row.cells
    problems, at = row.problems, f"Line {row.line}"
    measure = words.measures.get(measure_key)
    if measure is None:
        known = ", ".join(sorted(words.measures)[:6]) or "none yet"
        problems.append(f"{at}: measure {measure_key!r} is not defined (measures: {known}).")
    team = words.units.get(unit)
    if team is None:
        problems.append(f"{at}: unit {unit!r} is not the state code of any team.")
    period = words.periods.get(period_key)
    if period is None:
        problems.append(f"{at}: period {period_key!r} is not defined.")
    group = None
    if measure is not None:
        group = words.groups.get((measure.pk, group_key))
        if group is None:
            keys = ", ".join(words.group_keys.get(measure.pk, [])[:12])
            problems.append(f"{at}: group {group_key!r} is not a group of {measure.name} ({keys}).")
    try:
        # Digits as files write them: Decimal would also read other scripts' digits.
        if not value_text.isascii():
            raise InvalidOperation
        value = Decimal(value_text)
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(f"{at}: value {value_text!r} is not a number.")
        value = None
    if value is not None:
        if value.as_tuple().exponent < -VALUE_PLACES:  # type: ignore[operator]
            problems.append(f"{at}: value {value_text} has more than {VALUE_PLACES} decimals.")
        elif abs(value) >= LARGEST_VALUE:
            problems.append(f"{at}: value {value_text} is far too large.")
        elif measure is not None and not measure.lowest <= value <= measure.highest:
            problems.append(
                f"{at}: value {value_text} is outside {measure.lowest.normalize():f} to "
                f"{measure.highest.normalize():f}, the range of {measure.name}."
            )
    students = None
    if not students_text.isdigit() or not students_text.isascii():
        problems.append(f"{at}: students {students_text!r} is not a whole number of students.")
    elif int(students_text) > MAX_STUDENTS:
        problems.append(f"{at}: students {students_text} is more than {MAX_STUDENTS:,}.")
    else:
        students = int(students_text)
    if not problems:
        key = (measure.pk, period, team, group)
        first = seen.get(key)
        if first is not None:
            problems.append(
                f"{at}: repeats line {first} (the same measure, unit, period and group)."
            )
        else:
            seen[key] = row.line
            row.measure, row.key, row.value, row.students = measure, key, value, students
    return row


# --- The import ------------------------------------------------------------------------------


def claim(job: ImportJob) -> bool:
    """Take the job for this process: once, unless an earlier run was interrupted (its
    transaction rolled back, so running it again writes it whole)."""
    now = timezone.now()
    taken = ImportJob.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER),
        pk=job.pk,
    ).update(status=JobStatus.RUNNING, started_at=now)
    return bool(taken)


def interrupted(now=None):
    """Jobs that will not finish by themselves: queued long ago with no worker ever taking
    them (their task was lost), or taken by a worker that stopped (`STALE_AFTER`)."""
    now = now or timezone.now()
    return ImportJob.objects.filter(
        Q(status=JobStatus.QUEUED, created_at__lt=now - LOST_AFTER)
        | Q(status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    )


def progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def rows_read_so_far(job: ImportJob) -> int:
    """How far a running import is: kept in the cache, since the job's own row is written
    only when the import's transaction commits."""
    if job.is_finished:
        return job.rows_read
    return cache.get(progress_key(job.pk), job.rows_read)


def count_lines(binary) -> int:
    lines = 0
    while chunk := binary.read(1 << 20):
        lines += chunk.count(b"\n")
    binary.seek(0)
    return lines


def run(job: ImportJob) -> ImportJob:
    """Import the job's file, if no other process has: the service the task calls."""
    if not claim(job):
        return ImportJob.objects.get(pk=job.pk)
    job.refresh_from_db()
    try:
        with job.file.open("rb") as binary:
            total = max(0, count_lines(binary) - 1)
            ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
            job.rows_total = total
            stream = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            _import(job, stream)
    except (FileProblem, UnicodeDecodeError) as error:
        problem = (
            str(error)
            if isinstance(error, FileProblem)
            else "The file is not UTF-8 text: save it as CSV UTF-8 and import it again."
        )
        _finish(job, JobStatus.REJECTED, problem, problems=[problem])
    except Exception:
        log.exception("Import %s failed", job.pk)
        _finish(job, JobStatus.FAILED, "The import stopped on an error: nothing was written.")
    finally:
        cache.delete(progress_key(job.pk))
        _forget_upload(job)
    return job


class _Rejected:
    """Rejected rows written to a CSV as they come, with the line and what is wrong."""

    def __init__(self) -> None:
        # Open for the length of the import; closed when the job is finished (_finish).
        self.file = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+t", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.file)
        self.writer.writerow(["line", "problem", *COLUMNS])
        self.count = 0

    def add(self, row: Row) -> None:
        self.count += 1
        cells = row.cells + [""] * (len(COLUMNS) - len(row.cells))
        problems = " ".join(p.split(": ", 1)[-1] for p in row.problems)
        # The file's own cells go back to a spreadsheet: never as formulas.
        self.writer.writerow(
            [row.line, neutralised(problems), *map(neutralised, cells[: len(COLUMNS)])]
        )


def _import(job: ImportJob, stream) -> None:
    words = Vocabulary.load()
    seen: dict[tuple, int] = {}
    rejected = _Rejected()
    problems: list[str] = []
    whole = job.mode == ImportMode.WHOLE
    batch: list[Row] = []
    counts = {"read": 0, "written": 0, "corrected": 0, "unchanged": 0}
    writer = _Writer(job)
    with transaction.atomic():
        for row in rows_of(stream):
            counts["read"] += 1
            check(row, words, seen)
            if row.problems:
                rejected.add(row)
                if len(problems) < PROBLEMS_KEPT:
                    problems.extend(row.problems[: PROBLEMS_KEPT - len(problems)])
                continue
            if whole and rejected.count:
                continue  # nothing will be written: keep reading for every problem
            batch.append(row)
            if len(batch) >= BATCH:
                _count(counts, writer.write(batch))
                batch = []
                cache.set(progress_key(job.pk), counts["read"], 3600)
        if counts["read"] == 0:
            raise FileProblem("The file has a header but no rows.")
        if whole and rejected.count:
            transaction.set_rollback(True)
            counts.update(written=0, corrected=0, unchanged=0)
            status = JobStatus.REJECTED
            result = (
                f"{rejected.count:,} of {counts['read']:,} rows have problems: nothing was "
                "written. Correct them and import the file again, or import only the good rows."
            )
        else:
            if batch:
                _count(counts, writer.write(batch))
            writer.decide_tables()
            status = JobStatus.DONE
            new = counts["written"] - counts["corrected"]
            result = (
                f"{new:,} new values, {counts['corrected']:,} corrected, "
                f"{counts['unchanged']:,} already there"
                + (f"; {rejected.count:,} rows rejected." if rejected.count else ".")
            )
        job.rows_read = counts["read"]
        job.rows_written = counts["written"]
        job.rows_corrected = counts["corrected"]
        job.rows_unchanged = counts["unchanged"]
        job.rows_rejected = rejected.count
    # The job's record is written whatever became of the rows, outside the rolled back part.
    _finish(job, status, result, problems=problems, rejected=rejected)


def _count(counts: dict[str, int], written: tuple[int, int, int]) -> None:
    counts["written"] += written[0]
    counts["corrected"] += written[1]
    counts["unchanged"] += written[2]


class _Writer:
    """Writes a batch of checked rows: new values created, changed ones replaced, the same
    ones left alone; the audit history gets a row for each value created or changed."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.history = get_history_manager_for_model(OutcomeValue)
        self.reason = f"Imported from {job.file_name[:80]} (import {job.pk})"
        self.tables: dict[tuple[int, int], OutcomeTable] = {}

    def _lock(self, measure_id: int, period_id: int) -> None:
        # Imports of the same table wait for each other: each decides it over its values.
        if (measure_id, period_id) not in self.tables:
            table, _ = OutcomeTable.objects.get_or_create(
                measure_id=measure_id, period_id=period_id
            )
            self.tables[measure_id, period_id] = OutcomeTable.objects.select_for_update().get(
                pk=table.pk
            )

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        """Returns how many values were written, how many of them corrected one already
        there, and how many rows were already there as they are."""
        for row in rows:
            self._lock(row.key[0], row.key[1])
        existing = {
            (m, p, t, g): (pk, value, students)
            for pk, m, p, t, g, value, students in OutcomeValue.objects.filter(
                measure_id__in={r.key[0] for r in rows},
                period_id__in={r.key[1] for r in rows},
                team_id__in={r.key[2] for r in rows},
                group_id__in={r.key[3] for r in rows},
            )
            .order_by()
            .values_list(
                "pk", "measure_id", "period_id", "team_id", "group_id", "value", "students"
            )
        }
        created, changed = [], []
        for row in rows:
            measure, period, team, group = row.key
            value = OutcomeValue(
                measure_id=measure,
                period_id=period,
                team_id=team,
                group_id=group,
                value=row.value,
                students=row.students,
                job_id=self.job.pk,
            )
            found = existing.get(row.key)
            if found is None:
                created.append(value)
            elif found[1] != row.value or found[2] != row.students:
                value.pk = found[0]
                changed.append(value)
        when = timezone.now()
        if created:
            OutcomeValue.objects.bulk_create(created, batch_size=BATCH)
            self.history.bulk_history_create(
                created,
                batch_size=BATCH,
                default_user=self.job.created_by,
                default_change_reason=self.reason,
                default_date=when,
            )
        if changed:
            OutcomeValue.objects.bulk_update(
                changed, ["value", "students", "job"], batch_size=BATCH // 4
            )
            self.history.bulk_history_create(
                changed,
                batch_size=BATCH,
                update=True,
                default_user=self.job.created_by,
                default_change_reason=self.reason,
                default_date=when,
            )
        written = len(created) + len(changed)
        return written, len(changed), len(rows) - written

    def decide_tables(self) -> None:
        for table in self.tables.values():
            decide(table)


def _finish(job: ImportJob, status: str, result: str, *, problems=None, rejected=None) -> None:
    job.status = status
    job.result = result[:300]
    job.finished_at = timezone.now()
    if problems is not None:
        job.problems = problems
    fields = [
        "status",
        "result",
        "finished_at",
        "problems",
        "rows_read",
        "rows_written",
        "rows_corrected",
        "rows_unchanged",
        "rows_rejected",
    ]
    if rejected is not None and rejected.count:
        rejected.file.seek(0)
        job.rejected_file.save(f"import-{job.pk}-rejected.csv", File(rejected.file), save=False)
        fields.append("rejected_file")
    if rejected is not None:
        rejected.file.close()
    job.save(update_fields=fields)


def _forget_upload(job: ImportJob) -> None:
    """The uploaded file holds values of small groups: once imported (or not), it goes."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
