"""A real Celery worker as `make worker` runs it, started and stopped around some work: the
bench times background jobs with one, and the reliability tests kill one mid-run.

It reads its own queue (CELERY_QUEUE), so a worker of the bench or a test never takes
another's tasks from a Redis they share.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .portal import BASE_DIR


class WorkerFailed(RuntimeError):
    """The worker stopped, or did not get ready, before the work was done."""


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def is_running(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """As a machine dies: the whole worker at once, no time to finish or tidy."""
        _signal(self.process, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, grace: float = 15) -> None:
        if not self.is_running():
            return
        _signal(self.process, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()


def _signal(process: subprocess.Popen, sig: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def start_worker(
    *, environment: dict[str, str], log_path: Path, concurrency: int = 2, ready_within: float = 60
) -> Worker:
    """`celery -A smt_portal worker` on the queue named by CELERY_QUEUE in `environment`,
    ready to take tasks when this returns."""
    queue = environment.get("CELERY_QUEUE", "celery")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "smt_portal",
                "worker",
                "--loglevel=info",
                f"--concurrency={concurrency}",
                "--queues",
                queue,
                "--hostname",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: stopping it stops its pool and nothing else.
            start_new_session=True,
        )
    worker = Worker(process, log_path)
    deadline = time.monotonic() + ready_within
    while " ready." not in worker.log():
        if not worker.is_running():
            raise WorkerFailed(f"The Celery worker stopped while starting:\n{worker.log()[-3000:]}")
        if time.monotonic() > deadline:
            worker.stop()
            raise WorkerFailed(f"The Celery worker was not ready in {ready_within:.0f} s.")
        time.sleep(0.1)
    return worker


@contextmanager
def running_worker(**kwargs) -> Iterator[Worker]:
    worker = start_worker(**kwargs)
    try:
        yield worker
    finally:
        worker.stop()
