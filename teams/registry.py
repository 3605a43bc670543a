"""Where the modules above the base plug in.

`teams` is the base and imports no module above it. Where the base must show or build
something of theirs (a panel on the home page, a link in the navigation, their records
in the audit history, their part of the demo and of the benchmark state, what counts as
a team being active), the higher app registers it here in its `AppConfig.ready()`, the
way `django.contrib.admin` discovers models. The base registers its own pieces the same
way, so every page is built from one list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models
from django.http import HttpRequest

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries kept in order; registering a name twice replaces the first."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        self._entries[entry.key] = entry
        return entry

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __getitem__(self, key: str) -> T:
        return self._entries[key]

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return [entry.key for entry in self]


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page. `context` returns the panel's context, or None when the
    panel is not for this person; it runs its own queries, so keep them few and fixed."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    column: str = "main"  # "main" or "side"
    order: int = 100


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url_name: str
    # The path prefixes that mark this link as the current page.
    prefixes: tuple[str, ...]
    order: int = 100
    # A permission from a rules.py the person must hold to see the link.
    perm: str = ""
    excludes: tuple[str, ...] = ()
    # "main" (the menu) or "person" (beside the person's name, like their own inbox).
    place: str = "main"
    # A number shown on the link (unread notifications), read without a query of its own:
    # from the signed-in person (see PersonFigure), or 0 for none.
    badge: Callable[[HttpRequest], int] | None = None
    # What the number counts, for screen readers ("unread").
    badge_label: str = ""
    # Shown instead of the label (which screen readers still read): the name of an icon
    # in templates/partials/icons/ ("bell"), for links beside the person's name.
    icon: str = ""


@dataclass(frozen=True)
class TeamLink:
    """A link on a team's page to the team's work in a higher app (its meetings, its
    assessments), shown to those who hold `perm` on the team; `url_name` takes the team's id."""

    key: str
    label: str
    url_name: str
    perm: str
    order: int = 100


@dataclass(frozen=True)
class AuditedKind:
    """A kind of governance record whose history admins read at /settings/history/."""

    key: str
    label: str
    model: type[models.Model]
    order: int = 100


@dataclass(frozen=True)
class DemoPart:
    """An app's part of the demo state. `load` writes it (finding what an earlier load
    wrote, so a second load adds nothing) and returns the rows written; `describe` says
    in a line or two what the part holds, for `manage.py load_demo`."""

    key: str
    load: Callable[[Any], int]
    describe: Callable[[], list[str]] = lambda: []
    order: int = 100


@dataclass(frozen=True)
class BenchJob:
    """Background work measured on the benchmark state (`make bench`): `run(state)` does it
    once through the path the portal takes, leaves the state as it was, and returns its
    figures (at least "seconds" and "peak_mb"), judged against the bars given here."""

    key: str
    label: str
    run: Callable[[Any], dict[str, Any]]
    max_seconds: float
    max_megabytes: float


@dataclass(frozen=True)
class BenchPart:
    """An app's part of the benchmark state (`make bench`): written with bulk inserts into
    PostgreSQL by `build(state)`, measured on the pages it names."""

    key: str
    build: Callable[[Any], None]
    # (label, role, path or callable(state) -> path): the pages this part adds to the table.
    pages: Callable[[Any], list[tuple[str, str, str]]] = lambda state: []
    order: int = 100
    # Bump when the part's definition changes, so the cached state is rebuilt.
    version: int = 1
    # Background work measured on the built state, beside the pages.
    jobs: tuple[BenchJob, ...] = ()


@dataclass(frozen=True)
class PersonFigure:
    """A figure about the signed-in person that every page shows (an unread count),
    annotated onto the query that loads them for the request (`teams.backends`), so it
    costs no query of its own. `expression` returns an expression for the person at
    OuterRef("pk"); the figure is the user object's attribute `key`."""

    key: str
    expression: Callable[[], models.Expression]
    order: int = 100


@dataclass(frozen=True)
class SettingsLink:
    """A section of the portal's own settings pages (/settings/) that a higher app keeps."""

    key: str
    label: str
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class WorkerJob:
    """Background work `make bench` times on the benchmark state against a budget, with a
    real Celery worker (the monthly digest: QUALITY.md). It runs inside `python -m bench job
    KEY`, pointed at the benchmark state's database with a worker of its own: `prepare()`
    undoes what an earlier run did, `start()` enqueues the work, and `progress()` returns
    (done, what it says) and is asked until done."""

    key: str
    label: str
    budget_seconds: float
    prepare: Callable[[], None]
    start: Callable[[], None]
    progress: Callable[[], tuple[bool, str]]
    order: int = 100


@dataclass(frozen=True)
class TeamActivity:
    """Something a team does that shows it is alive (an update, a meeting held).

    `latest` returns an expression for the latest date of it, for a team at OuterRef("pk"):
    a team is quiet when none of its activities falls within its cadence.
    """

    key: str
    latest: Callable[[], models.Expression]
    label: str = ""
    order: int = 100


@dataclass
class Registries:
    home_panels: Registry[HomePanel] = field(default_factory=lambda: Registry("home panel"))
    nav_links: Registry[NavLink] = field(default_factory=lambda: Registry("navigation link"))
    audited: Registry[AuditedKind] = field(default_factory=lambda: Registry("audited kind"))
    demo_parts: Registry[DemoPart] = field(default_factory=lambda: Registry("demo part"))
    bench_parts: Registry[BenchPart] = field(default_factory=lambda: Registry("bench part"))
    team_activity: Registry[TeamActivity] = field(default_factory=lambda: Registry("team activity"))
    team_links: Registry[TeamLink] = field(default_factory=lambda: Registry("team link"))
    person_figures: Registry[PersonFigure] = field(
        default_factory=lambda: Registry("person figure")
    )
    settings_links: Registry[SettingsLink] = field(
        default_factory=lambda: Registry("settings link")
    )
    worker_jobs: Registry[WorkerJob] = field(default_factory=lambda: Registry("worker job"))


portal = Registries()
