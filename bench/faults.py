"""The database going away (issue 13): requests caught by it get the portal's 503 page, the
next ones succeed without restarting the web processes, and nothing is half-written.

Two drills share the pieces below. `make test` runs the gentle one on a database of its own
(tests/test_database_restart.py): every session of that database is ended and new ones
refused for a moment (`ALLOW_CONNECTIONS false`), which is what a restart looks like to the
portal, without touching any other database. `make faults` runs the real thing: the local
cluster restarted with pg_ctlcluster, which ends every session of every database on it.

The write caught in flight is made certain rather than lucky: a table lock on the updates'
history holds a posted update between its two INSERTs (the update, then its history row),
and the restart lands exactly there.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg2
import requests

from .cache import check_prefix, ensure_demo_state
from .client import SignInFailed, sign_in
from .portal import BASE_DIR, PortalFailed, Served, served
from .postgres import PostgresServer, PostgresUnavailable

UNAVAILABLE_HEADING = "The portal is briefly unavailable"
# The portal's own error pages carry this in their title; a stack trace or a proxy's page
# would not.
PORTAL_TITLE = "· SMT Portal"
WRITER = "building"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TEAM_OPTION = re.compile(r'<option value="(\d+)"')
# What the posted update's second INSERT waits on while the restart lands.
HELD_TABLE = "teams_historicalteamupdate"


@dataclass(frozen=True)
class Answer:
    what: str
    started: float
    finished: float
    status: int  # 0: no answer at all (refused, reset, timed out)
    portal_page: bool = False
    retry_after: str | None = None
    error: str = ""

    @property
    def is_portal_503(self) -> bool:
        return self.status == 503 and self.portal_page and self.retry_after is not None


def _answer(what: str, started: float, response: requests.Response) -> Answer:
    return Answer(
        what=what,
        started=started,
        finished=time.monotonic(),
        status=response.status_code,
        portal_page=PORTAL_TITLE in response.text and UNAVAILABLE_HEADING in response.text,
        retry_after=response.headers.get("Retry-After"),
    )


class Visitor:
    """A signed-in person at the portal, keeping every answer they got."""

    def __init__(self, base_url: str, username: str, password: str, *, timeout: float = 20):
        session = sign_in(base_url, username, password)
        self.base_url = base_url
        self.timeout = timeout
        self.browser = requests.Session()
        self.browser.cookies.update(session.cookies)
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._last_text = ""

    def _keep(self, answer: Answer) -> Answer:
        with self._lock:
            self.answers.append(answer)
        return answer

    def open(self, path: str) -> Answer:
        started = time.monotonic()
        try:
            response = self.browser.get(
                f"{self.base_url}{path}", timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException as error:
            return self._keep(Answer(path, started, time.monotonic(), 0, error=str(error)))
        self._last_text = response.text
        return self._keep(_answer(path, started, response))

    def update_form(self) -> tuple[str, str]:
        """The CSRF token and a team of theirs, from the portal's own update form."""
        answer = self.open("/teams/updates/new/")
        if answer.status != 200:
            raise PortalFailed(f"The update form answered {answer.status or answer.error}.")
        text = self._last_text
        token, team = _CSRF_FIELD.search(text), _TEAM_OPTION.search(text)
        if token is None or team is None:
            raise PortalFailed("The update form offers no team to log an update for.")
        return token.group(1), team.group(1)

    def post_update(self, form: tuple[str, str], summary: str) -> Answer:
        token, team = form
        started = time.monotonic()
        try:
            response = self.browser.post(
                f"{self.base_url}/teams/updates/new/",
                data={
                    "csrfmiddlewaretoken": token,
                    "team": team,
                    "occurred_on": date.today().isoformat(),
                    "summary": summary,
                    "successes": "Every classroom had a coaching visit.",
                    "next_steps": "Share the screening results at the next meeting.",
                },
                headers={"Referer": f"{self.base_url}/teams/updates/new/"},
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            return self._keep(Answer("post", started, time.monotonic(), 0, error=str(error)))
        return self._keep(_answer("post", started, response))


def rows_of(server: PostgresServer, database: str, summaries: list[str]) -> dict[str, tuple]:
    """For each summary: (updates, history rows of their creation) in the database."""
    with server.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT summary, count(*) FROM teams_teamupdate WHERE summary = ANY(%s) "
            "GROUP BY summary",
            [summaries],
        )
        updates = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT summary, count(*) FROM {HELD_TABLE} WHERE summary = ANY(%s) "
            "AND history_type = '+' GROUP BY summary",
            [summaries],
        )
        history = dict(cursor.fetchall())
    return {s: (updates.get(s, 0), history.get(s, 0)) for s in summaries}


@contextmanager
def write_held_in_flight(
    server: PostgresServer, database: str, post: Callable[[], Answer], *, marker: str
):
    """Send `post` and hold it between its two INSERTs; once it waits there, yields the list
    its answer will be in when the block has ended, the holding session's pid (to spare it)
    and the statement that waits. `marker` is text of the post (its summary) by which its
    statement is told from other writes waiting on the same lock."""
    answers: list[Answer] = []
    with server.connect(database, autocommit=False) as holder:
        with holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {HELD_TABLE} IN SHARE MODE")
            cursor.execute("SELECT pg_backend_pid()")
            holder_pid = cursor.fetchone()[0]
        sender = threading.Thread(target=lambda: answers.append(post()), daemon=True)
        sender.start()
        deadline = time.monotonic() + 15
        while not (
            waiting := [
                query for _, query in server.sessions_waiting_on_a_lock(database) if marker in query
            ]
        ):
            if time.monotonic() > deadline or not sender.is_alive():
                raise PortalFailed("The posted update never reached its history row's INSERT.")
            time.sleep(0.05)
        try:
            yield answers, holder_pid, waiting[0]
        finally:
            # A restart ends this session too, and its lock with it.
            with suppress(psycopg2.Error):
                holder.rollback()
    sender.join(timeout=30)


def worker_boots(log_path: Path) -> int:
    return log_path.read_text(errors="replace").count("Booting worker")


# --- `make faults`: the real restart ---------------------------------------------------------


@dataclass
class RestartDrill:
    """What `make faults` saw, and whether it is what issue 13 asks for."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)


def restart_under_requests(
    *, server: PostgresServer, database: str, web: Served, say: Callable[[str], None]
) -> RestartDrill:
    from teams.demo import DEMO_PASSWORD

    drill = RestartDrill()
    boots = worker_boots(web.log_path)
    reader = Visitor(web.url, "smt", DEMO_PASSWORD)
    writer = Visitor(web.url, WRITER, DEMO_PASSWORD)
    stop = threading.Event()
    back_at: list[float] = []
    posted: list[tuple[str, Answer]] = []

    def keep_reading() -> None:
        while not stop.is_set():
            reader.open("/teams/updates/")
            reader.open("/sponsors/")

    def keep_writing() -> None:
        while not stop.is_set():
            try:
                form = writer.update_form()
            except (PortalFailed, requests.RequestException):
                time.sleep(0.2)  # the form itself met the outage; its answer is kept above
                continue
            summary = f"Restart drill update {len(posted) + 1} at {time.time():.3f}."
            posted.append((summary, writer.post_update(form, summary)))

    caught = f"Restart drill: the update caught in flight ({time.time():.0f})."
    threads = [threading.Thread(target=f, daemon=True) for f in (keep_reading, keep_writing)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    # A visitor of its own: the writer above keeps posting from its thread meanwhile.
    holder = Visitor(web.url, WRITER, DEMO_PASSWORD)
    form = holder.update_form()
    with write_held_in_flight(
        server, database, lambda: holder.post_update(form, caught), marker=caught
    ) as (held, _, _):
        say("An update is held between its two INSERTs; restarting PostgreSQL...")
        restart_started = time.monotonic()
        server.restart_cluster()
    deadline = time.monotonic() + 60
    while True:
        try:
            server.check_reachable()
            back_at.append(time.monotonic())
            break
        except PostgresUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    say(f"PostgreSQL answered again {back_at[0] - restart_started:.1f} s after the restart began.")
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    # One more of each, well after: the web processes recovered without being restarted.
    after = [reader.open("/teams/updates/"), reader.open("/")]

    answers = reader.answers + writer.answers + holder.answers
    outage = [a for a in answers if a.status != 200 and a.status != 302]
    drill.expect(bool(held) and held[0].is_portal_503, f"the held update got {held[:1]}")
    drill.expect(
        all(a.is_portal_503 for a in outage),
        "answers other than 200, 302 or the portal's 503 page: "
        + ", ".join(
            sorted({f"{a.what} {a.status or a.error}" for a in outage if not a.is_portal_503})
        ),
    )
    late = [a for a in answers if a.started > back_at[0] + 1 and a.status not in (200, 302)]
    drill.expect(not late, f"{len(late)} requests failed after PostgreSQL was back")
    drill.expect(all(a.status == 200 for a in after), f"pages after the drill: {after}")
    rows = rows_of(server, database, [caught, *(summary for summary, _ in posted)])
    drill.expect(rows[caught] == (0, 0), f"the held update left rows behind: {rows[caught]}")
    half = {s: r for s, r in rows.items() if r not in ((0, 0), (1, 1))}
    drill.expect(not half, f"updates half-written or written twice: {half}")
    saved = [summary for summary, answer in posted if answer.status == 302]
    lost = [summary for summary in saved if rows[summary] != (1, 1)]
    drill.expect(not lost, f"updates answered as saved but missing: {lost}")
    drill.expect(web.is_running(), "the web process stopped")
    drill.expect(worker_boots(web.log_path) == boots, "gunicorn restarted a worker")
    drill.notes.append(
        f"{len(answers)} requests; {len(outage)} answered with the 503 page during the "
        f"restart; {len(saved)} updates saved, the held one rolled back whole."
    )
    return drill


def main(*, prefix: str, force: bool) -> int:
    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    server = PostgresServer.from_environment()
    try:
        server.check_reachable()
        check_prefix(prefix)
    except (PostgresUnavailable, ValueError) as error:
        say(f"make faults: {error}")
        return 2
    others = server.other_sessions()
    if others and not force:
        names = ", ".join(sorted({database or "(none)" for database, _ in others}))
        say(
            f"make faults restarts the whole PostgreSQL cluster, and {len(others)} other "
            f"sessions are connected (databases: {names}); a restart would cut them off.\n"
            "Run it when nobody else uses this PostgreSQL, or with FAULTS_FORCE=1."
        )
        return 2
    try:
        demo = ensure_demo_state(server, prefix, say=say)
        database = f"{prefix}_faults"
        server.drop(database)
        server.create(database, template=demo.name)
        with served(
            name="faults",
            database_url=server.database_url(database),
            workers=3,
            static_root=BASE_DIR / "bench-cache" / "static",
            log_dir=BASE_DIR / "bench-results" / "logs",
            count_queries=False,
            manifest=False,
        ) as web:
            drill = restart_under_requests(server=server, database=database, web=web, say=say)
        server.drop(database)
    except (PortalFailed, SignInFailed, PostgresUnavailable) as error:
        say(f"make faults: {error}")
        return 2
    for note in drill.notes:
        say(note)
    if drill.problems:
        say("make faults: FAILED\n- " + "\n- ".join(drill.problems))
        return 1
    say(
        "make faults: passed. Requests caught by the restart got the portal's 503 page, the "
        "next ones succeeded without restarting gunicorn, and nothing was half-written."
    )
    return 0
