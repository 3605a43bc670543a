"""The database going away while people use the portal (issue 13): the requests it catches
get the portal's 503 page, the next ones succeed without restarting the web processes, and
nothing is half-written. `make faults` runs the same drill with a real cluster restart."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from bench.cache import ensure_demo_state
from bench.faults import (
    UNAVAILABLE_HEADING,
    WRITER,
    Visitor,
    rows_of,
    worker_boots,
    write_held_in_flight,
)
from bench.portal import served
from smt_portal import views as portal_views
from teams.demo import DEMO_PASSWORD

from .bench_databases import bench_prefix, bench_server, needs_postgresql

# The bench and the restart drill build the same demo state: on one worker, built once.
pytestmark = pytest.mark.xdist_group("bench-states")


def test_the_503_page_needs_no_database():
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = portal_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(portal_views.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert UNAVAILABLE_HEADING in response.content.decode()


def test_a_database_error_under_another_error_is_still_the_503_page():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise RuntimeError("the page could not be built") from error
    except RuntimeError:
        response = portal_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 503


def test_any_other_crash_is_still_the_500_page():
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = portal_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500


def test_a_page_that_loses_the_database_answers_503(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("smt"))
    with mock.patch(
        "teams.selectors.branch_roots", side_effect=OperationalError("terminating connection")
    ):
        response = client.get("/teams/")
    assert response.status_code == 503
    assert UNAVAILABLE_HEADING in response.content.decode()
    assert "terminating connection" not in response.content.decode()


@pytest.fixture(scope="module")
def drill_database():
    """A copy of the demo state of its own: the drill takes it away, and nothing else."""
    server = bench_server()
    prefix = bench_prefix()
    demo = ensure_demo_state(server, prefix, say=lambda line: None)
    name = f"{prefix}_faults"
    server.drop(name)
    server.create(name, template=demo.name)
    yield server, name
    server.drop(name)


@pytest.fixture
def portal(drill_database, tmp_path):
    server, name = drill_database
    with served(
        name="restart-drill",
        database_url=server.database_url(name),
        workers=2,
        static_root=tmp_path / "static",
        log_dir=tmp_path,
        count_queries=False,
        manifest=False,
    ) as web:
        yield web
    assert not web.is_running()


@needs_postgresql
def test_a_restart_caught_in_flight_gives_the_503_page_then_the_portal_recovers(
    drill_database, portal
):
    server, database = drill_database
    boots = worker_boots(portal.log_path)
    person = Visitor(portal.url, WRITER, DEMO_PASSWORD)
    # Both workers hold a connection from here on, as in production between requests.
    assert all(person.open("/teams/updates/").status == 200 for _ in range(4))
    caught = "An update caught by the restart, between its two rows."

    form = person.update_form()
    with write_held_in_flight(
        server, database, lambda: person.post_update(form, caught), marker=caught
    ) as (held, holder, waiting):
        # The update's own row is written; its history row waits.
        assert waiting.startswith('INSERT INTO "teams_historicalteamupdate"'), waiting
        # What a restart looks like to the portal: every session ends, and for a moment no
        # new one is accepted.
        server.allow_connections(database, False)
        try:
            server.terminate(database, sparing=(holder,))
            during = [person.open("/teams/updates/") for _ in range(4)]
            health = person.open("/healthz")
        finally:
            server.allow_connections(database, True)

    assert held and held[0].is_portal_503, held
    assert all(answer.is_portal_503 for answer in during), during
    assert health.status == 503
    after = [person.open(path) for path in ("/teams/updates/", "/", "/sponsors/", "/teams/")]
    assert [answer.status for answer in after] == [200, 200, 200, 200]
    saved = "An update logged once the database was back."
    assert person.post_update(person.update_form(), saved).status == 302
    # The caught update rolled back whole (no update, no history row); the next one is whole.
    assert rows_of(server, database, [caught, saved]) == {caught: (0, 0), saved: (1, 1)}
    assert portal.is_running()
    assert worker_boots(portal.log_path) == boots, "gunicorn restarted a worker"
