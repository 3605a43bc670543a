"""Background work timed on the benchmark state with a real Celery worker, against its
budget (QUALITY.md: the monthly digest for the whole state in under 60 s).

Runs inside `python -m bench worker-job KEY`, whose DATABASE_URL is the benchmark state and whose
REDIS_URL and CELERY_QUEUE are the bench's: the app's job (`teams.registry.WorkerJob`)
undoes an earlier run, a worker is started and made ready, and the clock runs from the
job's enqueueing to the moment its progress says done.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .worker import WorkerFailed, running_worker

# A job not done in this many times its budget is reported as not done, and stopped.
PATIENCE = 5


def run_job(key: str, *, log_dir: Path) -> dict[str, Any]:
    from django.db import close_old_connections

    from teams.registry import portal

    job = portal.worker_jobs[key]
    job.prepare()
    close_old_connections()
    try:
        with running_worker(
            environment=dict(os.environ), log_path=log_dir / f"worker-{key}.log"
        ) as worker:
            started = time.monotonic()
            job.start()
            deadline = started + job.budget_seconds * PATIENCE
            done, note = job.progress()
            while not done:
                if not worker.is_running():
                    return {"seconds": None, "note": f"the worker stopped: {note}"}
                if time.monotonic() > deadline:
                    waited = deadline - started
                    return {"seconds": None, "note": f"not done in {waited:.0f} s: {note}"}
                time.sleep(0.2)
                done, note = job.progress()
            seconds = time.monotonic() - started
    except WorkerFailed as error:
        return {"seconds": None, "note": str(error).splitlines()[0]}
    return {"seconds": round(seconds, 2), "note": note}
