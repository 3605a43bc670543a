"""One client, both states side by side: each page for each role, with `/healthz` as the floor.

Requests to the demo and to the benchmark state are interleaved, round by round and in a
shuffled order, with one `/healthz` to each server in every round too: whatever else the
machine is doing at that moment hits both states and the floor alike, so their ratios hold
even when the absolute times wander.
"""

from __future__ import annotations

import http.client
import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .client import Sample, Session, fetch
from .portal import Served

HEALTHZ = "/healthz"
# What a role may not open: reported as skipped, not measured.
REFUSED = (403, 404)


@dataclass(frozen=True)
class Pace:
    """How many requests a page gets: `requests` timed ones, but a slow page stops after
    `page_seconds` once it has `min_requests`, so the whole run keeps to its budget."""

    requests: int = 30
    min_requests: int = 5
    page_seconds: float = 4.0
    warmup: int = 2


@dataclass(frozen=True)
class Target:
    """A page for a role, with its path in each state (None when a state could not name it)."""

    label: str
    role: str
    paths: dict[str, str | None]
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Figures:
    """What one page measured on one state."""

    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    @property
    def count(self) -> int:
        return len(self.samples)

    def percentile_ms(self, percent: float) -> float:
        """Nearest rank: with 20 samples the 95th is the 19th fastest, never an average of
        two; p50 is the median."""
        times = sorted(sample.seconds for sample in self.samples)
        if percent == 50:
            return statistics.median(times) * 1000
        return times[max(0, math.ceil(percent / 100 * len(times)) - 1)] * 1000

    def as_dict(self) -> dict[str, object]:
        queries = [s.queries for s in self.samples if s.queries is not None]
        return {
            "requests": self.count,
            "p50_ms": round(self.percentile_ms(50), 2),
            "p95_ms": round(self.percentile_ms(95), 2),
            "html_bytes": max(s.size for s in self.samples),
            # The most any request of the page ran: a count that varies is itself a finding.
            "queries": max(queries) if queries else None,
            "queries_varied": len(set(queries)) > 1,
        }


@dataclass
class PageResult:
    label: str
    role: str
    paths: dict[str, str | None]
    outcome: str  # "measured", "skipped" (the role may not open it) or "failed"
    note: str = ""
    figures: dict[str, dict[str, object]] = field(default_factory=dict)
    # Some request got no answer at all: the server may have been stopped from outside.
    no_answer: bool = False


def measure(
    *,
    servers: dict[str, Served],
    sessions: dict[tuple[str, str], Session],
    targets: list[Target],
    pace: Pace,
    say: Callable[[str], None],
    seed: int = 13,
) -> tuple[list[PageResult], dict[str, dict[str, object]]]:
    """Every target on every server; returns the pages and each server's floor."""
    rng = random.Random(seed)
    floors = {state: Figures() for state in servers}
    for _ in range(pace.warmup + 3):
        for server in servers.values():
            get(server.port, HEALTHZ)
    results = []
    for number, target in enumerate(targets, start=1):
        result = _measure_page(target, servers, sessions, floors, pace, rng)
        # A server stopped from outside fails the page with no answer; measure it again
        # once that server serves again (at most twice, then the failure stands).
        for _ in range(2):
            if not result.no_answer:
                break
            restarted = [state for state, server in servers.items() if server.recover()]
            if not restarted:
                break
            say(
                f"gunicorn serving the {' and '.join(restarted)} state was stopped from outside "
                "the bench; started it again and measuring the page again"
            )
            result = _measure_page(target, servers, sessions, floors, pace, rng)
        results.append(result)
        say(f"[{number}/{len(targets)}] {_progress(result)}")
    return results, {state: figures.as_dict() for state, figures in floors.items()}


def get(port: int, path: str, *, cookie: str = "") -> Sample:
    """One request; no answer at all (refused, reset, timed out) is status 0."""
    try:
        return fetch(port, path, cookie=cookie)
    except (OSError, http.client.HTTPException) as error:
        return Sample(status=0, seconds=0.0, size=0, queries=None, location=str(error))


def _measure_page(
    target: Target,
    servers: dict[str, Served],
    sessions: dict[tuple[str, str], Session],
    floors: dict[str, Figures],
    pace: Pace,
    rng: random.Random,
) -> PageResult:
    result = PageResult(target.label, target.role, target.paths, outcome="measured")
    missing = [state for state in servers if target.paths.get(state) is None]
    if missing:
        result.outcome = "failed"
        result.note = "; ".join(
            f"no path in the {state} state ({target.errors.get(state, 'not named')})"
            for state in missing
        )
        return result

    def page(state: str) -> Sample:
        cookie = sessions[(state, target.role)].cookie_header
        return get(servers[state].port, target.paths[state], cookie=cookie)

    def failed(note: str, samples: list[Sample]) -> PageResult:
        result.outcome = "failed"
        result.note = note
        result.no_answer = any(sample.status == 0 for sample in samples)
        return result

    first = {state: page(state) for state in servers}
    statuses = {state: sample.status for state, sample in first.items()}
    if all(status in REFUSED for status in statuses.values()):
        result.outcome = "skipped"
        result.note = f"{target.role} may not open it ({_statuses(statuses)})"
        return result
    if any(status != 200 for status in statuses.values()):
        return failed(f"answered {_statuses(statuses)} ({_where(first)})", list(first.values()))
    for _ in range(pace.warmup - 1):
        for state in servers:
            page(state)

    figures = {state: Figures() for state in servers}
    steps = [(state, is_page) for state in servers for is_page in (True, False)]
    started = time.monotonic()
    rounds = 0
    while rounds < pace.requests and not (
        rounds >= pace.min_requests and time.monotonic() - started > pace.page_seconds
    ):
        rng.shuffle(steps)
        for state, is_page in steps:
            sample = page(state) if is_page else get(servers[state].port, HEALTHZ)
            if sample.status != 200:
                where = "the page" if is_page else HEALTHZ
                return failed(
                    f"{where} answered {sample.status or sample.location} on the {state} "
                    "state while timed",
                    [sample],
                )
            (figures[state] if is_page else floors[state]).add(sample)
        rounds += 1
    result.figures = {state: figures[state].as_dict() for state in servers}
    return result


def _statuses(statuses: dict[str, int]) -> str:
    return ", ".join(f"{status or 'no answer'} on {state}" for state, status in statuses.items())


def _where(samples: dict[str, Sample]) -> str:
    return (
        ", ".join(
            f"{state} to {sample.location}" for state, sample in samples.items() if sample.location
        )
        or "see the gunicorn logs"
    )


def _progress(result: PageResult) -> str:
    head = f"{result.label} as {result.role}"
    if result.outcome != "measured":
        return f"{head}: {result.outcome}, {result.note}"
    parts = [
        f"{state} {figures['p50_ms']:,.1f} ms p50 ({figures['requests']}x, "
        f"{figures['queries']} queries)"
        for state, figures in result.figures.items()
    ]
    return f"{head}: " + "; ".join(parts)
