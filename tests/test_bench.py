"""`make bench` at tiny scale, so the bench cannot rot: the real generator builds a small
state, gunicorn serves it beside the demo, and the same measuring, load test and report run
briefly. The figures are not judged here (a tiny state says nothing about speed); the shape
of the report is."""

import json

import psycopg2
import pytest
from django.conf import settings
from django.test import Client, override_settings

from bench.cache import ensure_demo_state
from bench.load import LoadPlan
from bench.measure import Pace, get
from bench.portal import redis_for_the_bench, served, stop
from bench.run import BenchOptions, run_bench
from bench.state import TINY
from smt_portal.middleware import QUERY_COUNT_HEADER
from teams.demo import DEMO_USERNAMES
from teams.registry import portal

from .bench_databases import bench_prefix, bench_server, needs_postgresql

# The bench and the restart drill build the same demo state: on one worker, built once.
pytestmark = pytest.mark.xdist_group("bench-states")


def test_queries_are_counted_only_when_asked(db):
    assert QUERY_COUNT_HEADER not in Client().get("/healthz")
    with override_settings(PORTAL_COUNT_QUERIES=True):
        answer = Client().get("/healthz")
    assert int(answer[QUERY_COUNT_HEADER]) >= 1


def test_the_base_names_its_main_pages_for_every_demo_role():
    pages = portal.bench_parts["cascade"].pages(None)
    roles_by_page = {}
    for label, role, _ in pages:
        roles_by_page.setdefault(label, set()).add(role)
    assert roles_by_page.pop("/settings/") == {"admin"}
    assert all(roles == set(DEMO_USERNAMES) for roles in roles_by_page.values())
    assert len(roles_by_page) == 9


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory):
    server = bench_server()
    prefix = bench_prefix()
    output = tmp_path_factory.mktemp("bench")
    # The benchmark state is built afresh every time, so the generator itself is tested;
    # the demo and the schema are reused while their definitions hold.
    server.drop(prefix)
    report = run_bench(
        BenchOptions(
            scale="tiny",
            prefix=prefix,
            pace=Pace(requests=2, min_requests=1, page_seconds=1, warmup=1),
            load=LoadPlan(users=4, seconds=3, think_seconds=(0.1, 0.3)),
            output=output,
            static_root=output / "static",
            server=server,
        ),
        say=lambda line: None,
    )
    yield report, output, server.database_url(prefix)
    server.drop(prefix)


@needs_postgresql
def test_the_report_has_every_page_and_role_measured_on_both_states(tiny_report):
    report, _, _ = tiny_report
    expected = {(label, role) for label, role, _ in portal.bench_parts["cascade"].pages(None)}
    rows = {(row["label"], row["role"]): row for row in report["pages"]}
    assert expected <= set(rows)
    for row in rows.values():
        assert row["outcome"] in ("measured", "skipped"), row
        if row["outcome"] == "skipped":
            continue
        for state in ("demo", "bench"):
            figures = row[state]
            assert figures["requests"] >= 1
            assert 0 < figures["p50_ms"] <= figures["p95_ms"]
            assert figures["html_bytes"] > 0
            assert figures["queries"] >= 1, "the servers count queries"
        assert set(row["checks"]) == {
            "growth",
            "floor_demo",
            "floor_bench",
            "same_queries",
            "max_queries",
            "html",
        }
    assert rows[("/teams/", "csso")]["outcome"] == "measured"
    assert rows[("/settings/", "admin")]["outcome"] == "measured"


@needs_postgresql
def test_the_report_has_the_floor_the_load_test_and_the_conditions(tiny_report):
    report, output, _ = tiny_report
    for state in ("demo", "bench"):
        assert report["floor"][state]["p50_ms"] > 0
        assert report["floor"][state]["queries"] == 1
    load = report["load"]
    assert load["requests"] > 0 and load["p95_ms"] > 0 and load["errors"] == 0, load
    assert set(load["checks"]) == {"load_p95", "load_errors"}
    conditions = report["conditions"]
    assert conditions["cores"] >= 1 and conditions["postgresql"]
    assert conditions["state_rows"]["bench"]["teams_by_level"]["building"] == TINY.buildings
    summary = report["summary"]
    assert summary["checks"] == summary["met"] + summary["missed"] > 0
    assert json.loads((output / "latest.json").read_text())["summary"] == summary
    table = (output / "latest.md").read_text()
    assert "| `/teams/<SMT>/` | csso |" in table and "under load" in table


@needs_postgresql
def test_the_report_has_the_outcome_import_measured_and_the_state_left_as_it_was(tiny_report):
    from datasystem.bench_outcomes import TINY_IMPORT_ROWS

    report, output, _ = tiny_report
    (job,) = [job for job in report["jobs"] if job["key"] == "outcome-import"]
    assert not job["error"], job["error"]
    figures = job["figures"]
    assert (figures["rows"], figures["written"], figures["status"]) == (
        TINY_IMPORT_ROWS,
        TINY_IMPORT_ROWS,
        "done",
    )
    assert figures["seconds"] > 0 and figures["peak_mb"] > 0
    assert set(job["checks"]) == {"seconds", "peak_mb"}
    # The import ran in a transaction undone afterwards: the state has no new period.
    assert "OutcomeValue" in json.dumps(report["conditions"]["state_rows"]["bench"])
    assert "outcome CSV import" in (output / "latest.md").read_text()


@needs_postgresql
def test_the_report_times_the_monthly_digest_with_a_real_worker(tiny_report):
    report, output, _ = tiny_report
    (job,) = [job for job in report["worker_jobs"] if job["key"] == "digest"]
    assert job["budget_seconds"] == 60
    if redis_for_the_bench() is None:
        assert job["seconds"] is None and "Redis" in job["note"]
        return
    assert job["seconds"] is not None and job["checks"]["budget"]["met"], job
    assert "recipients sent their digest" in job["note"]
    assert "| The monthly digest for the whole state" in (output / "latest.md").read_text()


# Rule 3: a linking member sits on the team above (the cabinet sits on the SMT by role).
LINKS_OFF_THE_TEAM_ABOVE = """
    SELECT count(*) FROM teams_membership m JOIN teams_team t ON t.id = m.team_id
    WHERE m.role = 'linking'
      AND NOT EXISTS (SELECT 1 FROM teams_membership p
                      WHERE p.team_id = t.parent_id AND p.person_id = m.person_id)
      AND NOT EXISTS (SELECT 1 FROM teams_roleassignment r
                      WHERE r.person_id = m.person_id AND r.ended_on IS NULL
                        AND r.role IN ('csso', 'deputy', 'smt'))
"""
SEATS_PER_TEAM = """
    SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM teams_membership GROUP BY team_id) s
"""
BUILDINGS_OF_THE_DISTRICT_LOGIN = """
    SELECT count(*) FROM teams_team building
    JOIN teams_membership m ON m.team_id = building.parent_id AND m.role = 'lead'
    JOIN teams_user u ON u.id = m.person_id AND u.username = 'district'
"""
LEVEL_OF_THE_BUILDING_LOGINS_TEAM = """
    SELECT t.level FROM teams_membership m JOIN teams_team t ON t.id = m.team_id
    JOIN teams_user u ON u.id = m.person_id AND u.username = 'building'
"""
SPONSOR_PAIRED_WITH_STS = """
    SELECT count(*) FROM teams_sponsorpairing p
    JOIN teams_user sponsor ON sponsor.id = p.sponsor_id AND sponsor.username = 'sponsor'
    JOIN teams_user sts ON sts.id = p.specialist_id AND sts.username = 'sts'
    WHERE p.ended_on IS NULL
"""
# The derived column: each team's last activity is its newest update.
# A team's latest activity: its newest update or meeting held (on the agency's calendar).
TEAMS_WITH_A_STALE_LAST_ACTIVE_ON = f"""
    SELECT count(*) FROM teams_team t WHERE t.last_active_on IS DISTINCT FROM GREATEST(
        (SELECT max(occurred_on) FROM teams_teamupdate u WHERE u.team_id = t.id),
        (SELECT max((m.starts_at AT TIME ZONE '{settings.TIME_ZONE}')::date)
         FROM meetings_meeting m WHERE m.team_id = t.id AND m.status = 'held')
    )
"""


@needs_postgresql
def test_the_tiny_state_keeps_the_portals_rules_and_places_the_demo_logins(tiny_report):
    _, _, url = tiny_report
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:

        def answer(query: str) -> tuple:
            cursor.execute(query)
            return cursor.fetchone()

        assert answer(LINKS_OFF_THE_TEAM_ABOVE) == (0,)
        # 3 to 7 people on every team but the SMT, whose seats come with the cabinet roles.
        assert answer(SEATS_PER_TEAM) == (3, 7)
        assert answer(BUILDINGS_OF_THE_DISTRICT_LOGIN) == (TINY.district_login_buildings,)
        assert answer(LEVEL_OF_THE_BUILDING_LOGINS_TEAM) == ("building",)
        assert answer("SELECT is_superuser FROM teams_user WHERE username = 'admin'") == (True,)
        assert answer(SPONSOR_PAIRED_WITH_STS) == (1,)
        assert answer(TEAMS_WITH_A_STALE_LAST_ACTIVE_ON) == (0,)


@needs_postgresql
def test_a_server_stopped_from_outside_the_bench_is_started_again(tmp_path):
    """Someone's `pkill -f gunicorn` for their own server must not sink a long bench run."""
    server = bench_server()
    demo = ensure_demo_state(server, bench_prefix(), say=lambda line: None)
    with served(
        name="stopped",
        database_url=demo.url,
        workers=1,
        static_root=tmp_path,
        log_dir=tmp_path,
        manifest=False,
    ) as web:
        assert not web.recover(), "a server that answers is left alone"
        stop(web.process)
        assert get(web.port, "/healthz").status == 0
        assert web.recover()
        assert get(web.port, "/healthz").status == 200
        assert web.restarts == 1
    assert not web.is_running()
