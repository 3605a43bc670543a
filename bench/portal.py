"""Running the portal's own code against one database: its commands, and gunicorn serving it
as production does (Dockerfile, docker-compose.yml)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
# Anything that changes how the portal behaves comes from the bench, never from the shell
# that started it (a DJANGO_DEBUG or DATABASE_URL left exported, pytest's defaults).
_INHERITED_PREFIXES = ("DJANGO_", "PORTAL_", "AXES_")
_INHERITED_NAMES = ("DATABASE_URL", "REDIS_URL")
# One throwaway key per bench process: its sessions are of no use after the run.
THROWAWAY_SECRET_KEY = f"bench-only-{secrets.token_urlsafe(32)}"


class PortalFailed(RuntimeError):
    """A command of the portal (migrate, the builder, gunicorn) did not succeed."""


def portal_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production process on this machine, pointed at one database."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_INHERITED_PREFIXES) and name not in _INHERITED_NAMES
    }
    environment.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=THROWAWAY_SECRET_KEY,
        # Plain http on 127.0.0.1, as `make run`; everything else as in production.
        DJANGO_HTTPS="0",
        DJANGO_DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    environment.update(settings)
    return environment


def run_portal(args: list[str], *, database_url: str, **settings: str) -> str:
    """Run `python <args>` in the project (manage.py, -m bench build); returns its stdout."""
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=portal_environment(database_url, **settings),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise PortalFailed(
            f"`python {' '.join(args)}` failed (exit {completed.returncode}):\n"
            f"{_tail(completed.stderr or completed.stdout)}"
        )
    return completed.stdout


def run_bench_command(command: str, *args: str, database_url: str, **settings: str) -> Any:
    """A subcommand of `python -m bench` that prints its answer as JSON on its last line."""
    output = run_portal(["-m", "bench", command, *args], database_url=database_url, **settings)
    return json.loads(output.strip().splitlines()[-1])


def collect_static(static_root: Path) -> None:
    """collectstatic with the production storage (hashed names, compressed copies)."""
    static_root.mkdir(parents=True, exist_ok=True)
    run_portal(
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        database_url="sqlite:///:memory:",
        DJANGO_STATIC_ROOT=str(static_root),
    )


@dataclass
class Served:
    """A gunicorn serving one database on a local port.

    Something outside the bench may stop it (a `pkill -f gunicorn` meant for another server
    on the machine): `recover` tells that apart from a page's own failure and starts it
    again on the same port, where the signed-in sessions still hold (they live in the
    database, signed with the same key).
    """

    name: str
    port: int
    workers: int
    command: list[str]
    environment: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so stopping it stops its workers and nothing else.
                start_new_session=True,
            )
        _wait_until_ready(self)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def recover(self) -> bool:
        """After a request got no answer: True when gunicorn had been stopped from outside
        and is serving again; False when it is running (the failure was the request's)."""
        if self.is_running():
            if _answers_healthz(self, timeout=5):
                return False
            try:
                # A SIGTERM lets gunicorn finish its requests first (its graceful timeout).
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                return False
        self.restarts += 1
        self.start()
        return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(
    *,
    name: str,
    database_url: str,
    workers: int,
    static_root: Path,
    log_dir: Path,
    count_queries: bool = True,
    manifest: bool = True,
    timeout: int = 30,
    redis_url: str | None = None,
) -> Iterator[Served]:
    """gunicorn with `workers` sync workers, as the production image runs it, until the
    block ends; its whole process group is stopped then, whatever happened inside.

    With `manifest` (production's storage) the static files must have been collected into
    `static_root` first (collect_static); without it, pages name them unhashed. With
    `redis_url` the workers share the cache in Redis, as in production, under a key prefix
    of this server's own (so nothing another run cached is ever read).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = Served(
        name=name,
        port=port,
        workers=workers,
        command=[
            sys.executable,
            "-m",
            "gunicorn",
            "smt_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--access-logfile",
            "-",
        ],
        environment=portal_environment(
            database_url,
            DJANGO_STATIC_ROOT=str(static_root),
            DJANGO_STATIC_MANIFEST="1" if manifest else "0",
            PORTAL_COUNT_QUERIES="1" if count_queries else "0",
            **(
                {
                    "REDIS_URL": redis_url,
                    "CACHE_KEY_PREFIX": f"bench-{name}-{secrets.token_hex(4)}",
                }
                if redis_url
                else {}
            ),
        ),
        log_path=log_dir / f"gunicorn-{name}.log",
    )
    server.log_path.write_text("")
    try:
        server.start()
        yield server
    finally:
        server.stop()


def redis_for_the_bench() -> str | None:
    """The local Redis, as production has one, if it answers (else each worker caches alone)."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


def stop(process: subprocess.Popen, *, grace: float = 10) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    except ProcessLookupError:
        pass


def _answers_healthz(server: Served, *, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _wait_until_ready(server: Served, *, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not server.is_running():
            raise PortalFailed(
                f"gunicorn ({server.name}) stopped while starting:\n{_tail_file(server.log_path)}"
            )
        if _answers_healthz(server, timeout=5):
            return
        time.sleep(0.2)
    raise PortalFailed(
        f"gunicorn ({server.name}) did not answer /healthz within {within:.0f} s:\n"
        f"{_tail_file(server.log_path)}"
    )


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _tail_file(path: Path, lines: int = 25) -> str:
    try:
        return _tail(path.read_text(errors="replace"), lines)
    except OSError:
        return "(no log)"
