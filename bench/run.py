"""`make bench`: build (once) and serve both states, measure, judge, report."""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import StateDatabase, check_prefix, ensure_bench_state, ensure_demo_state
from .client import SignInFailed, sign_in
from .jobs import jobs_to_run, judge_job
from .load import LoadPlan, run_load
from .measure import Pace, Target, measure
from .portal import (
    BASE_DIR,
    PortalFailed,
    collect_static,
    redis_for_the_bench,
    run_bench_command,
    served,
)
from .postgres import PostgresServer, PostgresUnavailable
from .report import build_report, markdown, write
from .state import parse_scale

STATES = ("demo", "bench")


@dataclass(frozen=True)
class BenchOptions:
    scale: str = "full"
    prefix: str = "smt_bench"
    rebuild: bool = False
    pace: Pace = field(default_factory=Pace)
    load: LoadPlan = field(default_factory=LoadPlan)
    # As issue 13 measured: 3 workers for one client, 4 (production's) under load.
    workers: int = 3
    load_workers: int = 4
    output: Path = BASE_DIR / "bench-results"
    static_root: Path = BASE_DIR / "bench-cache" / "static"
    server: PostgresServer | None = None


def run_bench(options: BenchOptions, *, say: Callable[[str], None]) -> dict[str, Any]:
    """The whole run; returns the report (also written to `options.output`)."""
    started = time.monotonic()
    server = options.server or PostgresServer.from_environment()
    version = server.check_reachable()
    check_prefix(options.prefix)
    scale = parse_scale(options.scale)
    databases = {
        "demo": ensure_demo_state(server, options.prefix, rebuild=options.rebuild, say=say),
        "bench": ensure_bench_state(
            server,
            options.prefix,
            scale=scale,
            scale_text=options.scale,
            rebuild=options.rebuild,
            say=say,
        ),
    }
    built = time.monotonic()
    say("Collecting static files as production does...")
    collect_static(options.static_root)
    inspected = {
        state: run_bench_command("inspect", "--scale", options.scale, database_url=db.url)
        for state, db in databases.items()
    }
    targets = _targets(inspected)
    roles = list(dict.fromkeys(target.role for target in targets))
    log_dir = options.output / "logs"

    redis_url = redis_for_the_bench()
    with ExitStack() as stack:
        servers = {
            state: stack.enter_context(
                served(
                    name=state,
                    database_url=databases[state].url,
                    workers=options.workers,
                    static_root=options.static_root,
                    log_dir=log_dir,
                    redis_url=redis_url,
                )
            )
            for state in STATES
        }
        say(f"Signing in {len(roles)} roles on both servers...")
        password = _demo_password()
        sessions = {
            (state, role): sign_in(servers[state].url, role, password)
            for state in STATES
            for role in roles
        }
        say(f"Measuring {len(targets)} pages and roles, one client, both states interleaved...")
        pages, floors = measure(
            servers=servers, sessions=sessions, targets=targets, pace=options.pace, say=say
        )
        restarts = sum(server.restarts for server in servers.values())
    measured = time.monotonic()

    worker_jobs = _time_jobs(databases["bench"].url, redis_url, log_dir, say=say)
    timed = time.monotonic()

    pages_by_role = {
        role: [
            (page.label, page.paths["bench"])
            for page in pages
            if page.role == role and page.outcome == "measured"
        ]
        for role in roles
    }
    say(
        f"Load test: {options.load.users} users for {options.load.seconds} s on the benchmark "
        f"state, gunicorn with {options.load_workers} workers..."
    )
    with served(
        name="bench-load",
        database_url=databases["bench"].url,
        workers=options.load_workers,
        static_root=options.static_root,
        log_dir=log_dir,
        redis_url=redis_url,
    ) as load_server:
        for _ in range(2):
            load = run_load(
                server=load_server,
                sessions={role: sessions[("bench", role)] for role in roles},
                pages_by_role=pages_by_role,
                plan=options.load,
                work_dir=options.output / "load",
            )
            if load_server.is_running():
                break
            # Stopped from outside mid-test: its errors say nothing about the portal.
            say("gunicorn under load was stopped from outside the bench; running the load again")
            load_server.recover()
        restarts += load_server.restarts
    jobs = _measure_jobs(options, databases["bench"], say=say)
    finished = time.monotonic()

    conditions = _conditions(
        cache="Redis, shared by the workers (as production)"
        if redis_url
        else "each worker's own memory",
        restarts=restarts,
        options=options,
        version=version,
        databases=databases,
        inspected=inspected,
        seconds={
            "building": round(built - started, 1),
            "measuring": round(measured - built, 1),
            "jobs": round(timed - measured, 1),
            "load_test": round(finished - timed, 1),
            "total": round(finished - started, 1),
        },
    )
    report = build_report(
        conditions=conditions,
        floors=floors,
        pages=pages,
        load=load,
        jobs=jobs,
        worker_jobs=worker_jobs,
    )
    write(report, options.output)
    return report


def _measure_jobs(
    options: BenchOptions, database: StateDatabase, *, say: Callable[[str], None]
) -> list[dict[str, Any]]:
    """Each part's background jobs on the benchmark state, one process each (nothing else
    running), judged against their bars."""
    judged = []
    for part, job in jobs_to_run():
        say(f"Measuring {job.label} on the benchmark state...")
        with tempfile.TemporaryDirectory() as folder:
            try:
                figures = run_bench_command(
                    "job",
                    "--scale",
                    options.scale,
                    "--part",
                    part,
                    "--job",
                    job.key,
                    database_url=database.url,
                    PORTAL_IMPORTS_DIR=folder,
                )
            except PortalFailed as error:
                judged.append(judge_job(part, job, None, str(error)[-500:]))
            else:
                judged.append(judge_job(part, job, figures))
    return judged


def _time_jobs(
    database_url: str, redis_url: str | None, log_dir: Path, *, say: Callable[[str], None]
) -> list[dict[str, Any]]:
    """Each app's background job (`WorkerJob`), timed on the benchmark state with a real
    worker of its own, on a queue of its own."""
    from teams.registry import portal

    results = []
    for job in portal.worker_jobs:
        row = {"key": job.key, "label": job.label, "budget_seconds": job.budget_seconds}
        if redis_url is None:
            results.append({**row, "seconds": None, "note": "no Redis for a worker to read"})
            continue
        say(f"Timing {job.label} on the benchmark state with a real Celery worker...")
        queue = f"bench-{job.key}-{secrets.token_hex(4)}"
        answer = run_bench_command(
            "worker-job",
            job.key,
            "--log-dir",
            str(log_dir),
            database_url=database_url,
            REDIS_URL=redis_url,
            CELERY_QUEUE=queue,
            CACHE_KEY_PREFIX=queue,
            # The emails are built and handed to a backend that keeps them in memory.
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        results.append({**row, **answer})
    return results


def _targets(inspected: dict[str, dict[str, Any]]) -> list[Target]:
    """The benchmark state's pages, each with its path in both states."""
    by_state = {
        state: {(p["part"], p["label"], p["role"]): p for p in inspected[state]["pages"]}
        for state in STATES
    }
    targets = []
    for key, page in by_state["bench"].items():
        demo = by_state["demo"].get(key, {"path": None, "error": "not listed in the demo state"})
        targets.append(
            Target(
                label=page["label"],
                role=page["role"],
                paths={"demo": demo["path"], "bench": page["path"]},
                errors={"demo": demo["error"], "bench": page["error"]},
            )
        )
    return targets


def _demo_password() -> str:
    from teams.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def _describe_size(sizes: dict[str, Any]) -> str:
    levels = sizes["teams_by_level"]
    teams = ", ".join(f"{levels[level]:,} {level}" for level in sorted(levels))
    largest = sorted(
        ((label, count) for label, count in sizes["rows"].items() if label != "teams.Team"),
        key=lambda item: -item[1],
    )[:6]
    return f"teams {teams}; " + ", ".join(f"{label} {count:,}" for label, count in largest)


def _machine() -> str:
    model = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' with local changes' if dirty else ''}"


def _conditions(
    *,
    cache: str,
    restarts: int,
    options: BenchOptions,
    version: str,
    databases: dict[str, StateDatabase],
    inspected: dict[str, dict[str, Any]],
    seconds: dict[str, float],
) -> dict[str, Any]:
    import django

    pace, load = options.pace, options.load
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": _machine(),
        "cores": os.cpu_count(),
        "django": django.get_version(),
        "postgresql": version,
        "gunicorn_workers": options.workers,
        "load_workers": options.load_workers,
        "cache": cache,
        "scale": options.scale,
        "pace": (
            f"{pace.requests} timed requests per page and state after {pace.warmup} untimed "
            f"(a page slower than {pace.page_seconds:g} s in all stops at {pace.min_requests})"
        ),
        "servers_restarted_after_an_outside_stop": restarts,
        "requests_per_page": {
            "target": pace.requests,
            "minimum": pace.min_requests,
            "page_seconds": pace.page_seconds,
            "warmup": pace.warmup,
        },
        "load": (
            f"{load.users} signed-in users of mixed roles for {load.seconds} s, "
            f"{load.think_seconds[0]:g}–{load.think_seconds[1]:g} s between pages, locust "
            f"{metadata.version('locust')} headless, gunicorn {options.load_workers} workers"
        ),
        "sizes": {state: _describe_size(inspected[state]["sizes"]) for state in STATES},
        "state_rows": {state: inspected[state]["sizes"] for state in STATES},
        "databases": {state: db.name for state, db in databases.items()},
        "bench_build_seconds": databases["bench"].label.get("build_seconds", 0),
        "built_on": {state: db.label.get("built_on") for state, db in databases.items()},
        "seconds": seconds,
    }


def options_from(args: argparse.Namespace) -> BenchOptions:
    low, _, high = args.think.partition("-")
    return BenchOptions(
        scale=args.scale,
        prefix=args.prefix,
        rebuild=args.rebuild,
        pace=Pace(
            requests=args.requests,
            min_requests=args.min_requests,
            page_seconds=args.page_seconds,
            warmup=args.warmup,
        ),
        load=LoadPlan(
            users=args.load_users,
            seconds=args.load_seconds,
            think_seconds=(float(low), float(high or low)),
        ),
        output=(BASE_DIR / args.output).resolve(),
    )


def main(args: argparse.Namespace) -> int:
    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        report = run_bench(options_from(args), say=say)
    except (PostgresUnavailable, PortalFailed, SignInFailed, ValueError) as error:
        say(f"make bench: {error}")
        return 2
    print(markdown(report))
    seconds = report["conditions"]["seconds"]
    say(
        f"Report: {args.output}/latest.md and latest.json. Took {seconds['total']:,.0f} s "
        f"(building {seconds['building']:,.0f}, measuring {seconds['measuring']:,.0f}, "
        f"load test {seconds['load_test']:,.0f})."
    )
    if report["passed"]:
        return 0
    if args.no_fail:
        say("Some bars are missed; --no-fail asked for exit 0 anyway.")
        return 0
    return 1
