"""What a page reads, kept in the cache under the versions of the records it came from.

Many pages show the same results to many people (how many teams went quiet, the newest
updates flagged for the SMT, the development of each level). Such a result is kept in the
cache under a key that carries the current version of each kind of record ("topic") it
was computed from, and the day. A service that changes records of a topic moves its
version on, at once and again at commit (a request that read the old rows while the
change was open may have kept them), so a result computed before the change is never read
again; it simply ages out. Nothing is cached that depends on who reads it unless the key
says who.

Topics:
- "cascade": the teams themselves (names, places, levels, the Zone, cadences).
- "activity": what teams did (updates logged, meetings held): moves with refresh_activity.
- "development": development reviews: moves with refresh_development.
- "updates": team updates, their texts and flags.
- "people": people, divisions, roles, seats, sponsors and pairings (with standing_changed).

A result may instead be kept under the newest audit history row of the models it reads
(`kept_until_changed`): every audited save writes one, so no service needs to remember to
move a topic.

Higher apps add topics of their own records with `add_topics` from their `ready()` (the
data system's "outcomes", the initiatives' "stages").
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction

from .models import today

T = TypeVar("T")

TOPICS = {"cascade", "activity", "development", "updates", "people"}
DAY_SECONDS = 24 * 60 * 60


def add_topics(*topics: str) -> None:
    """A higher app's kinds of records, whose results it keeps here too."""
    TOPICS.update(topics)


def _key(topic: str) -> str:
    assert topic in TOPICS, f"unknown topic {topic!r}"
    return f"version:{topic}"


def versions(*topics: str) -> str:
    """The current versions of these topics and the day, as one part of a cache key."""
    found = cache.get_many([_key(topic) for topic in topics])
    parts = [f"{topic}{found.get(_key(topic), 0)}" for topic in topics]
    return ".".join([*parts, today().isoformat()])


def moved(*topics: str) -> None:
    """Records of these topics changed: results computed from them are out of date."""

    def move() -> None:
        for topic in topics:
            key = _key(topic)
            # add() starts a version the cache lost; incr() moves an existing one on.
            if not cache.add(key, 1, timeout=None):
                try:
                    cache.incr(key)
                except ValueError:  # gone between the two calls
                    cache.add(key, 1, timeout=None)

    move()
    transaction.on_commit(move)


def remembered(name: str, topics: tuple[str, ...], compute: Callable[[], T]) -> T:
    """`compute()`'s result, kept until one of its topics moves or the day turns."""
    key = f"kept:{name}:{versions(*topics)}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, timeout=DAY_SECONDS)
    return result


def hashed(value) -> str:
    """A short, stable part of a key for a value such as a list of team ids."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


@functools.cache
def _history_table(model) -> str:
    # Read once per model: simple-history builds a new manager class on every `.history`.
    return connection.ops.quote_name(model.history.model._meta.db_table)


def newest_changes(*models) -> tuple[int, ...]:
    """The newest audit history row of each model, in one query: what cached figures are
    kept under, so a figure is summed again only after one of its records changed."""
    tables = [_history_table(m) for m in models]
    column = connection.ops.quote_name("history_id")
    sql = "SELECT " + ", ".join(f"(SELECT MAX({column}) FROM {t})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(n or 0 for n in cursor.fetchone())


def kept_until_changed(name: str, models: tuple, compute, topics: tuple[str, ...] = ("cascade",)):
    """`compute()`'s result, kept until a record of these audited models changes (a new
    newest history row), one of `topics` moves or the day turns."""
    changes = ".".join(map(str, newest_changes(*models)))
    return remembered(f"{name}:{changes}", topics, compute)
