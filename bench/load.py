"""The load test: concurrent signed-in users of mixed roles against the benchmark state, with
locust in headless mode (bench/locustfile.py), in a process of its own."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .client import Session
from .portal import BASE_DIR, PortalFailed, Served

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass(frozen=True)
class LoadPlan:
    users: int = 20
    seconds: int = 60
    think_seconds: tuple[float, float] = (0.5, 1.5)


def run_load(
    *,
    server: Served,
    sessions: dict[str, Session],
    pages_by_role: dict[str, list[tuple[str, str]]],
    plan: LoadPlan,
    work_dir: Path,
) -> dict[str, Any]:
    """Run locust for `plan.seconds` and read back its figures (times in ms)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    seats = [
        {"role": role, "cookies": sessions[role].cookies, "pages": pages}
        for role, pages in pages_by_role.items()
        if pages
    ]
    if not seats:
        raise PortalFailed("No role could open any page: there is nothing to load-test.")
    plan_path = work_dir / "load-plan.json"
    plan_path.write_text(
        json.dumps({"seats": seats, "think_seconds": list(plan.think_seconds), "seed": 13})
    )
    prefix = work_dir / "locust"
    log_path = work_dir / "locust.log"
    with open(log_path, "w") as log:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "--locustfile",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(plan.users),
                # Everyone at once: the bar is about 20 people at the same time.
                "--spawn-rate",
                str(plan.users),
                "--run-time",
                f"{plan.seconds}s",
                "--host",
                server.url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=BASE_DIR,
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan_path)},
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=plan.seconds + 120,
        )
    stats_path = Path(f"{prefix}_stats.csv")
    if not stats_path.exists():
        raise PortalFailed(
            f"locust wrote no statistics (exit {completed.returncode}); see {log_path}."
        )
    return _read_stats(stats_path, Path(f"{prefix}_failures.csv"), plan=plan)


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _read_stats(stats_path: Path, failures_path: Path, *, plan: LoadPlan) -> dict[str, Any]:
    with open(stats_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    pages = []
    total = None
    for row in rows:
        figures = {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50_ms": _number(row["50%"]),
            "p95_ms": _number(row["95%"]),
            "requests_per_second": round(float(row["Requests/s"]), 2),
        }
        if row["Name"] == "Aggregated":
            total = figures
        else:
            pages.append({"label": row["Name"], **figures})
    if total is None:
        raise PortalFailed(f"locust's statistics have no total ({stats_path}).")
    failures = []
    if failures_path.exists():
        with open(failures_path, newline="") as handle:
            failures = [
                {"page": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                for row in csv.DictReader(handle)
            ]
    return {
        "users": plan.users,
        "seconds": plan.seconds,
        "think_seconds": list(plan.think_seconds),
        **total,
        "pages": sorted(pages, key=lambda page: page["label"]),
        "failures": failures,
    }
