"""`python -m bench`: `make bench` (run), `make faults` (faults), and the two subcommands the
bench runs in a subprocess against one database (build, inspect)."""

from __future__ import annotations

import argparse
import json
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="build (if needed), measure, report: `make bench`")
    run.add_argument("--scale", default="full", help="full, tiny, or a factor such as 0.1")
    run.add_argument("--rebuild", action="store_true", help="rebuild both states first")
    run.add_argument(
        "--no-fail",
        action="store_true",
        help="exit 0 even when a bar is missed (the report still says which)",
    )
    run.add_argument("--requests", type=int, default=30, help="timed requests per page and state")
    run.add_argument(
        "--min-requests",
        type=int,
        default=5,
        help="at least this many, even when a page is slower than --page-seconds allows",
    )
    run.add_argument(
        "--page-seconds",
        type=float,
        default=4.0,
        help="stop timing a page after this long once it has --min-requests",
    )
    run.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    run.add_argument("--load-users", type=int, default=20)
    run.add_argument("--load-seconds", type=int, default=60)
    run.add_argument(
        "--think",
        default="0.5-1.5",
        help="seconds each load-test user waits between pages, as MIN-MAX",
    )
    run.add_argument("--output", default="bench-results", help="where the report is written")
    run.add_argument("--prefix", default=os.environ.get("BENCH_DB_PREFIX", "smt_bench"))

    faults = commands.add_parser(
        "faults", help="restart the local PostgreSQL under requests: `make faults`"
    )
    faults.add_argument("--prefix", default=os.environ.get("BENCH_DB_PREFIX", "smt_bench"))
    faults.add_argument(
        "--force",
        action="store_true",
        help="restart even though other clients are connected to PostgreSQL",
    )

    build = commands.add_parser("build", help="(internal) write the state into DATABASE_URL")
    build.add_argument("--scale", default="full")

    inspect = commands.add_parser(
        "inspect", help="(internal) the pages to measure and the state's size, as JSON"
    )
    inspect.add_argument("--scale", default="full")

    job = commands.add_parser(
        "job", help="(internal) run one part's measured job on DATABASE_URL, as JSON"
    )
    job.add_argument("--scale", default="full")
    job.add_argument("--part", required=True)
    job.add_argument("--job", required=True)

    worker_job = commands.add_parser(
        "worker-job", help="(internal) time background work on DATABASE_URL with a real worker"
    )
    worker_job.add_argument("key")
    worker_job.add_argument("--log-dir", default="bench-results/logs")

    args = parser.parse_args(argv)
    command = args.command

    # The orchestrating commands never open Django's own connection; they only need the
    # apps loaded (the registry, the fingerprints), and settings refuse to load without a key.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smt_portal.settings")
    if command in ("run", "faults"):
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-orchestrator-opens-no-session")
    import django

    django.setup()

    if command == "build":
        from .state import build as build_state
        from .state import parse_scale

        print(json.dumps(build_state(scale=parse_scale(args.scale))))
        return 0
    if command == "inspect":
        from .pages import inspect_state
        from .state import parse_scale

        print(json.dumps(inspect_state(scale=parse_scale(args.scale))))
        return 0
    if command == "job":
        from .jobs import run_job
        from .state import parse_scale

        print(json.dumps(run_job(part=args.part, job=args.job, scale=parse_scale(args.scale))))
        return 0
    if command == "worker-job":
        from pathlib import Path

        from .worker_jobs import run_job as run_worker_job

        print(json.dumps(run_worker_job(args.key, log_dir=Path(args.log_dir).resolve())))
        return 0
    if command == "faults":
        from .faults import main as faults_main

        return faults_main(prefix=args.prefix, force=args.force)

    from .run import main as run_main

    return run_main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
