"""Each state built once into its own database, and rebuilt only when its definition changes.

A state's definition is a fingerprint: every registered part (its key, version and the
source it is built from), the migrations, and the generator itself. The fingerprint is
written on the database as a comment when the build has finished, so a build that failed
or was interrupted is never taken for a finished one; and a state is built under a
temporary name and renamed into place, so the previous state stays whole until the new
one is. The schema (`manage.py migrate`) is built once into a template the states are
cloned from.

Dates in a state are counted back from the day it was built, as the demo's are; a state
older than `MAX_AGE_DAYS` is rebuilt, so "this month" and "gone quiet" keep their meaning.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .portal import BASE_DIR, run_bench_command, run_portal
from .postgres import PostgresServer
from .state import Scale

MAX_AGE_DAYS = 30
# Our temporary names add up to 10 characters; PostgreSQL keeps 63.
MAX_PREFIX_LENGTH = 40
# The generator's own source: a change to it changes every state it builds.
GENERATOR_FILES = (Path(__file__).with_name("state.py"),)


@dataclass(frozen=True)
class StateDatabase:
    name: str
    url: str
    label: dict[str, Any]
    rebuilt: bool


def check_prefix(prefix: str) -> None:
    if not prefix.replace("_", "").isalnum() or len(prefix) > MAX_PREFIX_LENGTH:
        raise ValueError(
            f"A database prefix is letters, digits and underscores, at most "
            f"{MAX_PREFIX_LENGTH} long: {prefix!r}."
        )


# --- Fingerprints ---------------------------------------------------------------------------


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_files(function: Callable) -> list[Path]:
    """The file a part's function is written in, or its whole package when it lives in a
    package of its own inside the app (teams/demo/ plans in one file and writes in another)."""
    from django.apps import apps

    function = inspect.unwrap(getattr(function, "func", function))
    path = Path(inspect.getsourcefile(function)).resolve()
    app = apps.get_containing_app_config(function.__module__)
    package = path.parent
    if (
        app is not None
        and package != Path(app.path).resolve()
        and (package / "__init__.py").exists()
    ):
        return sorted(package.glob("*.py"))
    return [path]


def migrations_fingerprint() -> str:
    """Every migration's name, and the text of the project's own."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(loader.disk_migrations)
    own = [
        Path(sys.modules[loader.disk_migrations[key].__module__].__file__).resolve()
        for key in names
    ]
    own = [path for path in own if BASE_DIR in path.parents]
    return _digest({"names": [list(key) for key in names], "source": _files_digest(own)})


def bench_fingerprint(scale: Scale) -> str:
    from teams.registry import portal

    return _digest(
        {
            "migrations": migrations_fingerprint(),
            "generator": _files_digest(list(GENERATOR_FILES)),
            "scale": asdict(scale),
            "parts": [
                [part.key, part.version, part.order, _files_digest(source_files(part.build))]
                for part in portal.bench_parts
            ],
        }
    )


def demo_fingerprint() -> str:
    from teams.registry import portal

    return _digest(
        {
            "migrations": migrations_fingerprint(),
            "parts": [
                [part.key, part.order, _files_digest(source_files(part.load))]
                for part in portal.demo_parts
            ],
        }
    )


# --- Building ---------------------------------------------------------------------------------


def ensure_schema(server: PostgresServer, prefix: str, *, say: Callable[[str], None]) -> str:
    """An empty database with every migration applied, to clone the states from."""
    name = f"{prefix}_schema"

    def migrate(url: str) -> dict[str, Any]:
        run_portal(["manage.py", "migrate", "--noinput"], database_url=url)
        return {}

    _ensure(server, name, migrations_fingerprint(), template=None, build=migrate, say=say)
    return name


def ensure_bench_state(
    server: PostgresServer,
    prefix: str,
    *,
    scale: Scale,
    scale_text: str,
    rebuild: bool = False,
    say: Callable[[str], None],
) -> StateDatabase:
    schema = ensure_schema(server, prefix, say=say)

    def generate(url: str) -> dict[str, Any]:
        return run_bench_command("build", "--scale", scale_text, database_url=url)

    return _ensure(
        server,
        prefix,
        bench_fingerprint(scale),
        template=schema,
        build=generate,
        rebuild=rebuild,
        say=say,
        what=f"the benchmark state ({scale.name})",
    )


def ensure_demo_state(
    server: PostgresServer, prefix: str, *, rebuild: bool = False, say: Callable[[str], None]
) -> StateDatabase:
    schema = ensure_schema(server, prefix, say=say)

    def load(url: str) -> dict[str, Any]:
        run_portal(["manage.py", "load_demo"], database_url=url)
        return {}

    return _ensure(
        server,
        f"{prefix}_demo",
        demo_fingerprint(),
        template=schema,
        build=load,
        rebuild=rebuild,
        say=say,
        what="the demo state",
    )


def _ensure(
    server: PostgresServer,
    name: str,
    fingerprint: str,
    *,
    template: str | None,
    build: Callable[[str], dict[str, Any]],
    rebuild: bool = False,
    say: Callable[[str], None],
    what: str = "the schema",
) -> StateDatabase:
    label = server.label(name) if server.exists(name) else None
    if label and not rebuild and label.get("fingerprint") == fingerprint and not _too_old(label):
        return StateDatabase(name, server.database_url(name), label, rebuilt=False)
    reason = (
        "asked to"
        if rebuild
        else "none yet"
        if not label
        else "too old"
        if label.get("fingerprint") == fingerprint
        else "its definition changed"
    )
    say(f"Building {what} into {name} ({reason})...")
    building = f"{name}_building"
    server.drop(building)
    server.create(building, template=template)
    started = time.monotonic()
    try:
        details = build(server.database_url(building))
        server.vacuum_analyze(building)
    except BaseException:
        server.drop(building)
        raise
    label = {
        "fingerprint": fingerprint,
        "built_on": date.today().isoformat(),
        "build_seconds": round(time.monotonic() - started, 1),
        **details,
    }
    server.set_label(building, label)
    server.drop(name)
    server.rename(building, name)
    say(f"Built {what} in {label['build_seconds']:.0f} s.")
    return StateDatabase(name, server.database_url(name), label, rebuilt=True)


def _too_old(label: dict[str, Any]) -> bool:
    try:
        built_on = date.fromisoformat(label["built_on"])
    except (KeyError, ValueError):
        return True
    return (date.today() - built_on).days > MAX_AGE_DAYS
