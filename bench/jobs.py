"""Background work measured on the benchmark state, beside the pages: each part's
`BenchJob`s (`teams/registry.py`), run one at a time in a process of their own against the
benchmark database (`python -m bench job`), so the memory measured is the job's alone.

A job leaves the state as it was (it runs in a transaction it rolls back), so measuring it
never changes what the pages are measured on.
"""

from __future__ import annotations

from typing import Any

from .state import BenchState, Scale


def jobs_to_run() -> list[tuple[str, Any]]:
    from teams.registry import portal

    return [(part.key, job) for part in portal.bench_parts for job in part.jobs]


def run_job(*, part: str, job: str, scale: Scale) -> dict[str, Any]:
    """Run one job (in `python -m bench job`): its figures, as the job reports them."""
    from teams.models import today
    from teams.registry import portal

    found = next(j for j in portal.bench_parts[part].jobs if j.key == job)
    return found.run(BenchState(scale=scale, day=today()))


def judge_job(part: str, job: Any, figures: dict[str, Any] | None, error: str = "") -> dict:
    """The job's figures against its bars (a job that failed misses them)."""
    row: dict[str, Any] = {
        "part": part,
        "key": job.key,
        "label": job.label,
        "figures": figures or {},
        "error": error,
        "bars": {"seconds": job.max_seconds, "peak_mb": job.max_megabytes},
        "checks": {},
    }
    if figures is None:
        row["checks"]["ran"] = {"figure": None, "bar": "finished", "met": False}
        return row
    for key, limit, shown in (
        ("seconds", job.max_seconds, f"< {job.max_seconds:g} s"),
        ("peak_mb", job.max_megabytes, f"< {job.max_megabytes:g} MB"),
    ):
        figure = figures.get(key)
        row["checks"][key] = {
            "figure": figure,
            "bar": shown,
            "met": figure is not None and figure < limit,
        }
    return row
