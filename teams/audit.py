"""The audit trail: who changed which governance record, when, and what changed.

django-simple-history keeps a historical row per save; this module turns a page of
those rows into readable changes in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .registry import AuditedKind, portal


def kinds() -> dict[str, AuditedKind]:
    """Every audited kind of record, the base's and those the modules registered."""
    return {kind.key: kind for kind in portal.audited}


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    record: models.Model
    label: str
    action: str
    changes: list[Change]

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user


def history_rows(kind: str, object_id: int | None = None) -> models.QuerySet:
    historical = kinds()[kind].model.history.model
    rows = historical.objects.select_related("history_user")
    if object_id is not None:
        rows = rows.filter(id=object_id)
    previous = historical.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    return rows.annotate(previous_id=Subquery(previous.values("history_id")[:1])).order_by(
        "-history_date", "-history_id"
    )


def entries(kind: str, rows: list) -> list[Entry]:
    model = kinds()[kind].model
    historical = model.history.model
    previous = historical.objects.in_bulk([r.previous_id for r in rows if r.previous_id])
    fields = [
        f
        for f in historical._meta.concrete_fields
        if not f.name.startswith("history_") and f.name not in {"id", "singleton"}
    ]
    labels = _related_labels(fields, rows + list(previous.values()))
    sets = _many_to_many(model, rows + list(previous.values()))
    result = []
    for row in rows:
        before = previous.get(row.previous_id)
        changes = _set_changes(sets, row, before)
        for field in fields:
            new = getattr(row, field.attname)
            old = getattr(before, field.attname) if before is not None else None
            if row.history_type == "+" and new in (None, "", False):
                continue
            if row.history_type == "-" or (before is not None and old == new):
                continue
            changes.append(
                Change(
                    str(field.verbose_name).capitalize(),
                    _display(field, old, labels) if before is not None else "",
                    _display(field, new, labels),
                )
            )
        result.append(
            Entry(
                row,
                _label(row, fields, labels),
                ACTIONS.get(row.history_type, row.history_type),
                changes,
            )
        )
    return result


def _many_to_many(model, rows) -> dict[str, tuple[str, dict[int, set[str]]]]:
    """For each audited many-to-many field, who it held at each historical row (by label)."""
    held = {}
    for field in getattr(model.history.model, "_history_m2m_fields", []):
        through = getattr(model.history.model, field.name).model
        target = field.related_model._meta.model_name
        members: dict[int, set[str]] = defaultdict(set)
        links = through.objects.filter(history__in=[r.history_id for r in rows])
        targets = field.related_model._default_manager.in_bulk(
            set(links.values_list(f"{target}_id", flat=True))
        )
        for history_id, target_id in links.values_list("history_id", f"{target}_id"):
            members[history_id].add(str(targets.get(target_id, f"#{target_id} (removed)")))
        held[field.name] = (str(field.verbose_name), members)
    return held


def _set_changes(sets, row, before) -> list[Change]:
    if row.history_type == "-":
        return []
    changes = []
    for label, members in sets.values():
        now = members.get(row.history_id, set())
        then = members.get(before.history_id, set()) if before is not None else set()
        if now != then:
            added = ", ".join(f"+ {name}" for name in sorted(now - then))
            removed = ", ".join(f"− {name}" for name in sorted(then - now))
            changes.append(Change(label, "", ", ".join(filter(None, [added, removed]))))
    return changes


def _label(row, fields, labels) -> str:
    """What the record was, from its own columns: str() of a historical row would query."""
    if getattr(row, "name", ""):
        return row.name
    if getattr(row, "username", ""):
        return f"{row.first_name} {row.last_name}".strip() or row.username
    related = [
        _display(f, getattr(row, f.attname), labels)
        for f in fields
        if f.is_relation and getattr(row, f.attname) is not None
    ][:2]
    return " · ".join(related) or f"#{row.id}"


def _related_labels(fields, rows) -> dict[tuple[type, object], str]:
    wanted: dict[type, set] = defaultdict(set)
    for field in fields:
        if field.is_relation and field.related_model is not None:
            for row in rows:
                value = getattr(row, field.attname)
                if value is not None:
                    wanted[field.related_model].add(value)
    labels = {}
    for related, ids in wanted.items():
        for pk, obj in related._default_manager.in_bulk(ids).items():
            labels[(related, pk)] = str(obj)
    return labels


def _display(field, value, labels) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation and field.related_model is not None:
        return labels.get((field.related_model, value), f"#{value} (removed)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        # In the agency's time, as the "When" column shows it, to the minute.
        return timezone.localtime(value).strftime("%-d %b %Y, %H:%M")
    return str(value)
