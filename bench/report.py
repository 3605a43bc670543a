"""The bars of ../shared/QUALITY.md (Performance), each figure judged beside its bar, and the
one table `make bench` prints and writes as Markdown and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .measure import PageResult


@dataclass(frozen=True)
class Bar:
    key: str
    what: str
    limit: float
    shown: str


GROWTH = Bar("growth", "p50 on the benchmark state ÷ p50 on the demo state", 1.5, "≤ 1.5")
FLOOR = Bar("floor", "p50 ÷ p50 of /healthz on the same server, same run", 8, "≤ 8")
SAME_QUERIES = Bar("same_queries", "SQL queries on the benchmark state − on the demo", 0, "= 0")
MAX_QUERIES = Bar("max_queries", "SQL queries of one request, on either state", 20, "≤ 20")
KB = 1024
HTML = Bar("html", "HTML bytes on the benchmark state", 200 * KB, "< 200 KB")
LOAD_P95 = Bar("load_p95", "p95 under load on the benchmark state (ms)", 250, "< 250 ms")
LOAD_ERRORS = Bar("load_errors", "failed requests under load", 0, "none")
BARS = (GROWTH, FLOOR, SAME_QUERIES, MAX_QUERIES, HTML, LOAD_P95, LOAD_ERRORS)


def _check(bar: Bar, figure: float | None, *, strict: bool = False) -> dict[str, Any]:
    met = figure is not None and (figure < bar.limit if strict else figure <= bar.limit)
    return {"figure": figure, "bar": bar.shown, "met": met}


def judge_page(page: PageResult, floors: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The page's checks against every bar (none when skipped; one unmet when it failed)."""
    row: dict[str, Any] = {
        "label": page.label,
        "role": page.role,
        "paths": page.paths,
        "outcome": page.outcome,
        "note": page.note,
        **page.figures,
        "checks": {},
    }
    if page.outcome == "failed":
        row["checks"]["answers"] = {"figure": None, "bar": "200 on both states", "met": False}
    if page.outcome != "measured":
        return row
    demo, bench = page.figures["demo"], page.figures["bench"]
    checks = row["checks"]
    checks[GROWTH.key] = _check(GROWTH, _ratio(bench["p50_ms"], demo["p50_ms"]))
    for state in ("demo", "bench"):
        checks[f"floor_{state}"] = _check(
            FLOOR, _ratio(page.figures[state]["p50_ms"], floors[state]["p50_ms"])
        )
    if demo["queries"] is None or bench["queries"] is None:
        checks[SAME_QUERIES.key] = {"figure": None, "bar": "counted", "met": False}
    else:
        checks[SAME_QUERIES.key] = _check(SAME_QUERIES, abs(bench["queries"] - demo["queries"]))
        checks[MAX_QUERIES.key] = _check(MAX_QUERIES, max(bench["queries"], demo["queries"]))
    checks[HTML.key] = _check(HTML, bench["html_bytes"], strict=True)
    return row


def judge_load(load: dict[str, Any]) -> dict[str, Any]:
    return {
        **load,
        "checks": {
            LOAD_P95.key: _check(LOAD_P95, load["p95_ms"], strict=True),
            LOAD_ERRORS.key: _check(LOAD_ERRORS, load["errors"]),
        },
    }


def _ratio(value: float, base: float) -> float | None:
    return round(value / base, 2) if base else None


def judge_worker_job(job: dict[str, Any]) -> dict[str, Any]:
    """Background work against its own budget (seconds None: not measured, so missed)."""
    seconds, budget = job.get("seconds"), job["budget_seconds"]
    return {
        **job,
        "checks": {
            "budget": {
                "figure": seconds,
                "bar": f"< {budget:g} s",
                "met": seconds is not None and seconds < budget,
            }
        },
    }


def build_report(
    *,
    conditions: dict[str, Any],
    floors: dict[str, dict[str, Any]],
    pages: list[PageResult],
    load: dict[str, Any] | None,
    jobs: list[dict[str, Any]] = (),
    worker_jobs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    rows = [judge_page(page, floors) for page in pages]
    judged_load = judge_load(load) if load is not None else None
    judged_workers = [judge_worker_job(job) for job in worker_jobs or []]
    checks = [check for row in rows for check in row["checks"].values()]
    if judged_load is not None:
        checks += list(judged_load["checks"].values())
    checks += [check for job in jobs for check in job["checks"].values()]
    checks += [check for job in judged_workers for check in job["checks"].values()]
    missed = sum(not check["met"] for check in checks)
    return {
        "passed": missed == 0 and judged_load is not None,
        "summary": {
            "checks": len(checks),
            "met": len(checks) - missed,
            "missed": missed,
            "pages_measured": sum(row["outcome"] == "measured" for row in rows),
            "pages_skipped": sum(row["outcome"] == "skipped" for row in rows),
            "pages_failed": sum(row["outcome"] == "failed" for row in rows),
        },
        "bars": [asdict(bar) for bar in BARS],
        "conditions": conditions,
        "floor": floors,
        "pages": rows,
        "load": judged_load,
        "jobs": list(jobs),
        "worker_jobs": judged_workers,
    }


# --- The table -----------------------------------------------------------------------------

MET, MISSED = "✓", "✗"
HEAD = (
    "| page | role | demo p50 | bench p50 | bench ÷ demo | ÷ floor (demo / bench) "
    "| queries (demo / bench) | HTML on bench | bench p95 | result |\n"
    "|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n"
    f"| *bar* | | | | *{GROWTH.shown}* | *{FLOOR.shown}* | *same, {MAX_QUERIES.shown}* "
    f"| *{HTML.shown}* | | |\n"
)


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _mark(check: dict[str, Any] | None) -> str:
    if check is None:
        return ""
    return MET if check["met"] else MISSED


def _x(check: dict[str, Any] | None) -> str:
    if check is None or check["figure"] is None:
        return "–"
    return f"{check['figure']:,.2f} {_mark(check)}"


def _page_line(row: dict[str, Any]) -> str:
    head = f"| `{row['label']}` | {row['role']} |"
    if row["outcome"] == "skipped":
        return f"{head} | | | | | | | skipped: {row['note']} |"
    if row["outcome"] == "failed":
        return f"{head} | | | | | | | FAIL: {row['note']} |"
    demo, bench, checks = row["demo"], row["bench"], row["checks"]
    same, most = checks.get(SAME_QUERIES.key), checks.get(MAX_QUERIES.key)
    queries = f"{demo['queries']} / {bench['queries']}"
    if same is not None and most is not None:
        queries += f" {MET if same['met'] and most['met'] else MISSED}"
    html = f"{bench['html_bytes'] / KB:,.0f} KB {_mark(checks[HTML.key])}"
    floor = f"{_x(checks['floor_demo'])} / {_x(checks['floor_bench'])}"
    missed = [key for key, check in checks.items() if not check["met"]]
    result = "pass" if not missed else f"FAIL ({len(missed)})"
    return (
        f"{head} {_ms(demo['p50_ms'])} | {_ms(bench['p50_ms'])} | {_x(checks[GROWTH.key])} "
        f"| {floor} | {queries} | {html} | {_ms(bench['p95_ms'])} | {result} |"
    )


def _floor_line(floors: dict[str, dict[str, Any]]) -> str:
    demo, bench = floors["demo"], floors["bench"]
    return (
        f"| `/healthz` (the floor) | anyone | {_ms(demo['p50_ms'])} | {_ms(bench['p50_ms'])} "
        f"| | | {demo['queries']} / {bench['queries']} | | {_ms(bench['p95_ms'])} | |"
    )


def _load_line(load: dict[str, Any] | None) -> str:
    if load is None:
        return "| main pages under load | mixed | | | | | | | | FAIL: not run |"
    p95, errors = load["checks"][LOAD_P95.key], load["checks"][LOAD_ERRORS.key]
    result = "pass" if p95["met"] and errors["met"] else "FAIL"
    return (
        f"| main pages under load ({load['users']} users, {load['seconds']} s, "
        f"{load['requests_per_second']:,.1f} req/s) | mixed | | {_ms(load['p50_ms'])} "
        f"| | | | | {_ms(load['p95_ms'])} {_mark(p95)} *{LOAD_P95.shown}* "
        f"| {result}: {load['errors']} errors {_mark(errors)} |"
    )


def _job_line(job: dict[str, Any]) -> str:
    """A background job: its time in the bench column, its bars in the result."""
    head = f"| {job['label']} | in the background |"
    if job["error"] or "ran" in job["checks"]:
        return f"{head} | | | | | | | FAIL: {job['error'] or 'did not run'} |"
    figures, checks = job["figures"], job["checks"]
    seconds, memory = checks["seconds"], checks["peak_mb"]
    rows = f"{figures['rows']:,} rows, " if "rows" in figures else ""
    result = "pass" if seconds["met"] and memory["met"] else "FAIL"
    return (
        f"{head} | | {seconds['figure']:,.1f} s {_mark(seconds)} *{seconds['bar']}* | | | | "
        f"| | {result}: {rows}peak {memory['figure']:,.0f} MB {_mark(memory)} *{memory['bar']}* |"
    )


def _worker_job_line(job: dict[str, Any]) -> str:
    """Background work timed with a real worker: its time against its budget."""
    check = job["checks"]["budget"]
    if job["seconds"] is None:
        return f"| {job['label']} | worker | | | | | | | | FAIL: {job['note']} |"
    result = "pass" if check["met"] else "FAIL"
    return (
        f"| {job['label']} | worker | | {job['seconds']:,.1f} s {_mark(check)} *{check['bar']}* "
        f"| | | | | | {result}: {job['note']} |"
    )


def _restarts(count: int) -> str:
    if not count:
        return ""
    return (
        f"; a server was stopped from outside the bench {count} times, started again and "
        "the page measured again"
    )


def markdown(report: dict[str, Any]) -> str:
    c = report["conditions"]
    summary = report["summary"]
    lines = [
        "## `make bench`",
        "",
        f"- When: {c['date']}, commit `{c['commit']}`; {c['machine']}",
        f"- PostgreSQL {c['postgresql']}; gunicorn {c['gunicorn_workers']} sync workers per "
        f"server for one client, {c['load_workers']} under load; DEBUG off, static files "
        f"collected as in production; the cache in {c.get('cache', 'memory')}",
        f"- One client: {c['pace']}; demo and benchmark requests interleaved, a `/healthz` to "
        "each server every round (the floor)"
        + _restarts(c.get("servers_restarted_after_an_outside_stop", 0)),
        f"- Under load: {c['load']}",
        f"- Demo state: {c['sizes']['demo']}",
        f"- Benchmark state ({c['scale']}): {c['sizes']['bench']} (built in "
        f"{c['bench_build_seconds']:,.0f} s)",
        "",
        HEAD.rstrip("\n"),
        _floor_line(report["floor"]),
        *(_page_line(row) for row in report["pages"]),
        _load_line(report["load"]),
        *(_job_line(job) for job in report.get("jobs", [])),
        *(_worker_job_line(job) for job in report.get("worker_jobs", [])),
        "",
        f"{MET} meets its bar, {MISSED} misses it. Bars met: {summary['met']} of "
        f"{summary['checks']}; pages measured {summary['pages_measured']}, skipped "
        f"{summary['pages_skipped']} (the role may not open them), failed "
        f"{summary['pages_failed']}. "
        + ("Every bar is met." if report["passed"] else "**Some bars are missed.**"),
    ]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = directory / "latest.json", directory / "latest.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    markdown_path.write_text(markdown(report))
    return json_path, markdown_path
