"""One load of the demo: its day, and its records found by stable keys.

Each app's part of the demo finds what an earlier load wrote by the key it gave it
(`DemoKey`), never by a name a person may since have changed, so a second load adds
nothing and a renamed team is not written again under its old name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import DemoKey

M = TypeVar("M", bound=models.Model)


@dataclass
class DemoRun:
    day: date
    rows_written: int = 0
    _keys: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._keys = {
            key: (type_id, object_id)
            for key, type_id, object_id in DemoKey.objects.values_list(
                "key", "content_type_id", "object_id"
            )
        }

    def ago(self, days: int) -> date:
        return self.day - timedelta(days=days)

    def find(self, model: type[M], keys: list[str]) -> dict[str, M]:
        """The records of `model` an earlier load wrote under these keys (if still there)."""
        type_id = ContentType.objects.get_for_model(model).pk
        wanted = {
            self._keys[key][1]: key
            for key in keys
            if key in self._keys and self._keys[key][0] == type_id
        }
        found = model._default_manager.in_bulk(list(wanted))
        return {wanted[pk]: record for pk, record in found.items()}

    def find_one(self, model: type[M], key: str) -> M | None:
        return self.find(model, [key]).get(key)

    def remember(self, records: dict[str, models.Model]) -> None:
        """Keep each record's key (new keys only; a key whose record was deleted moves)."""
        new = []
        for key, record in records.items():
            type_id = ContentType.objects.get_for_model(type(record)).pk
            if self._keys.get(key) == (type_id, record.pk):
                continue
            DemoKey.objects.filter(key=key).delete()
            new.append(DemoKey(key=key, content_type_id=type_id, object_id=record.pk))
            self._keys[key] = (type_id, record.pk)
        DemoKey.objects.bulk_create(new)
        self.rows_written += len(new)
