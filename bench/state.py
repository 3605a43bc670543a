"""The benchmark state: how big, and what each app's `BenchPart` builds it with.

A part's `build(state)` writes its rows with `state.copy(Model, rows)`: PostgreSQL `COPY`
fed from a generator of plain dicts, so nothing holds a list of model instances and half
a million rows take seconds. Columns come from the model's `_meta`, so a field added later
is filled with its default (or fails loudly when it has none) rather than silently missed.
Primary keys are handed out by `state.ids(Model, n)`, so parts can link rows before they
write them (a row without an `id` is given the next one); the sequences are moved past
them at the end. Every part runs in the same
transaction: a build that fails leaves nothing behind.

This module runs inside `python -m bench build`, a subprocess whose DATABASE_URL is the
database being built; the orchestrator never imports Django's connection to it.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

SEED = 20_261_124


@dataclass(frozen=True)
class Scale:
    """How large a state to build: `full` is the largest real state (QUALITY.md)."""

    name: str
    state_teams: int
    regions: int
    districts: int
    buildings: int
    specialists: int
    # Districts and buildings the `sts` login supports (with its region and state team).
    sts_login_teams: int
    # Buildings of the district the `district` login leads.
    district_login_buildings: int = 8
    months_of_updates: int = 24

    @property
    def teams(self) -> int:
        return 1 + self.state_teams + self.regions + self.districts + self.buildings


FULL = Scale(
    "full",
    state_teams=4,
    regions=20,
    districts=1_200,
    buildings=9_000,
    specialists=60,
    sts_login_teams=148,
)


def scaled(factor: float, name: str | None = None) -> Scale:
    """The full state times `factor`, never so small that a page has nothing to list."""
    if factor <= 0:
        raise ValueError("A scale factor is a positive number, such as 0.1.")
    regions = max(2, round(FULL.regions * factor))
    districts = max(3 * regions, round(FULL.districts * factor))
    return Scale(
        name or f"x{factor:g}",
        state_teams=max(2, round(FULL.state_teams * factor)),
        regions=regions,
        districts=districts,
        buildings=max(4 * districts, round(FULL.buildings * factor)),
        specialists=max(3, round(FULL.specialists * factor)),
        sts_login_teams=max(20, round(FULL.sts_login_teams * factor)),
    )


TINY = scaled(0.01, "tiny")
NAMED_SCALES = {"full": FULL, "tiny": TINY}


def parse_scale(text: str) -> Scale:
    """`full`, `tiny`, or a factor of the full state such as `0.1`."""
    if text in NAMED_SCALES:
        return NAMED_SCALES[text]
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(
            f"Give the scale as full, tiny or a factor such as 0.1, not {text!r}."
        ) from None
    return FULL if factor == 1 else scaled(factor)


class BenchState:
    """What a `BenchPart` builds with, and what its `pages` read the database through."""

    def __init__(self, *, scale: Scale, day: date, seed: int = SEED) -> None:
        self.scale = scale
        self.day = day
        self.seed = seed
        # One moment for every row's "recorded at", so two builds on one day are alike.
        self.now = timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(hour=7)
        self.rows_written: dict[str, int] = {}
        self._next_id: dict[type[models.Model], int] = {}
        self._columns: dict[type[models.Model], _Columns] = {}

    def rng(self, stream: str) -> random.Random:
        """A random stream of its own per name (a str seed is hashed the same in every
        process), so one part drawing more numbers never shifts another part's rows."""
        return random.Random(f"{self.seed}:{stream}")

    def ids(self, model: type[models.Model], count: int) -> range:
        """Reserve `count` primary keys of `model`, after any row already there."""
        if model not in self._next_id:
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(model._meta.pk.column)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
                self._next_id[model] = cursor.fetchone()[0] + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return range(start, start + count)

    def copy(self, model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
        """Write `rows` (dicts by field attname, e.g. `team_id`) with COPY; returns how many.

        A field a row leaves out gets the field's default; a key the model does not have is
        refused, so a renamed field cannot be written into nowhere.
        """
        columns = self._columns.get(model) or self._columns.setdefault(
            model, _Columns(model, now=self.now, next_id=lambda: self.ids(model, 1).start)
        )
        statement = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in columns.columns),
        )
        buffer = io.StringIO()
        count = 0
        with connection.cursor() as cursor:
            for row in rows:
                buffer.write(columns.line(row))
                count += 1
                if buffer.tell() > _FLUSH_BYTES:
                    _flush(cursor, statement, buffer)
                    buffer = io.StringIO()
            _flush(cursor, statement, buffer)
        self.rows_written[model._meta.label] = self.rows_written.get(model._meta.label, 0) + count
        return count

    def reset_sequences(self) -> None:
        """Move each table's id sequence past the ids handed out, as Django's loaddata does."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_id))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


_FLUSH_BYTES = 8 * 1024 * 1024
# COPY's text format: backslash, tab and line breaks are escaped; \N is NULL.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _flush(cursor, statement: str, buffer: io.StringIO) -> None:
    if buffer.tell():
        buffer.seek(0)
        cursor.copy_expert(statement, buffer)


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, date):  # datetimes too: ISO 8601 with the offset
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


class _Columns:
    """A model's concrete columns and how to fill one a row leaves out."""

    def __init__(
        self, model: type[models.Model], *, now: datetime, next_id: Callable[[], int]
    ) -> None:
        fields = list(model._meta.concrete_fields)
        self.model = model
        self.names = [field.attname for field in fields]
        self.known = frozenset(self.names)
        self.columns = [field.column for field in fields]
        self.fillers = [_filler(field, now, next_id) for field in fields]

    def line(self, row: Mapping[str, Any]) -> str:
        if not self.known.issuperset(row):
            unknown = ", ".join(sorted(set(row) - self.known))
            raise TypeError(f"{self.model._meta.label} has no field {unknown}.")
        values = [
            row[name] if name in row else fill()
            for name, fill in zip(self.names, self.fillers, strict=True)
        ]
        return "\t".join(map(_text, values)) + "\n"


def _filler(field: models.Field, now: datetime, next_id: Callable[[], int]) -> Callable[[], Any]:
    if field.primary_key:
        # A row no other row points at needs no id of its own choosing.
        return next_id
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now if isinstance(field, models.DateTimeField) else now.date()
        return lambda: value
    if field.has_default() and callable(field.default):
        # A callable default may be meant to differ per row (a token, a UUID).
        return field.get_default
    value = field.get_default()
    return lambda: value


def build(*, scale: Scale, seed: int = SEED) -> dict[str, Any]:
    """Every registered part, in order, in one transaction (run in `python -m bench build`)."""
    from teams.models import today
    from teams.registry import portal

    state = BenchState(scale=scale, day=today(), seed=seed)
    seconds: dict[str, float] = {}
    with transaction.atomic():
        for part in portal.bench_parts:
            started = time.perf_counter()
            part.build(state)
            seconds[part.key] = round(time.perf_counter() - started, 1)
        state.reset_sequences()
    return {
        "scale": asdict(scale),
        "day": state.day.isoformat(),
        "seconds_by_part": seconds,
        "rows_written": state.rows_written,
    }
