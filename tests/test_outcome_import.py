"""Importing outcome values: every bad row reported by its line number, all or nothing by
default (or the good rows, with the rejected ones to download), the same file again changes
nothing, a corrected value replaces the old one and the change is audited, and the import
runs once as a background task with its progress shown."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from datasystem.models import ImportJob, ImportMode, JobStatus, OutcomeTable, OutcomeValue
from datasystem.outcome_import import progress_key, run
from datasystem.suppression import SMALL

from .bad_input import EXAMPLES, assert_nothing_written, database_state
from .outcome_world import outcome_world

pytestmark = pytest.mark.django_db

HEADER = "measure,unit,period,group,value,students\n"
# Lincoln's 2025-26 values, with its girls now 12 (no longer small) and a new period's row.
CORRECTED = (
    HEADER
    + "reading,LK-LINCOLN,2025-26,all,61.0,124\n"
    + "reading,LK-LINCOLN,2025-26,female,74.0,12\n"
    + "reading,LK-LINCOLN,2025-26,male,60.0,112\n"
    + "reading,LK-LINCOLN,2025-26,el,40.0,30\n"
)
TWO_BAD_ROWS = (
    HEADER
    + "reading,LK-LINCOLN,2025-26,all,61.0,124\n"
    + "reading,LK-LINCOLN,2025-26,femal,74.0,12\n"
    + "reading,LK-LINCOLN,2025-26,male,60.0,112\n"
    + "reading,LK-NOWHERE,2025-26,el,40.0,30\n"
)


@pytest.fixture
def outcomes(world):
    return outcome_world(world)


def send(client, admin, text: str, mode: str = ImportMode.WHOLE, name="outcomes.csv"):
    """Upload a file through the page, run what it queued after commit, and return the job."""
    client.force_login(admin)
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    response = client.post(reverse("datasystem:outcome-import"), {"file": upload, "mode": mode})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def values_now() -> list[tuple]:
    return list(
        OutcomeValue.objects.order_by("pk").values_list(
            "team_id", "group_id", "period_id", "value", "students", "hidden"
        )
    )


def test_two_bad_rows_are_reported_by_line_and_nothing_is_written(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    before = values_now()
    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, world.user("admin"), TWO_BAD_ROWS)

    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert job.problems == [
        "Line 3: group 'femal' is not a group of Reading proficiency (all, female, male, el).",
        "Line 5: unit 'LK-NOWHERE' is not the state code of any team.",
    ]
    assert (job.rows_read, job.rows_written, job.rows_rejected) == (4, 0, 2)
    assert values_now() == before
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Line 3: group" in page and "Line 5: unit" in page and "nothing was written" in page


def test_good_rows_only_are_written_and_the_rejected_ones_kept_to_download(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, world.user("admin"), TWO_BAD_ROWS, mode=ImportMode.GOOD_ROWS)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.rows_written, job.rows_corrected, job.rows_rejected) == (1, 1, 2)
    assert outcomes.value(world.building, "all").students == 124
    rejected = b"".join(client.get(reverse("datasystem:import-rejected", args=[job.pk])))
    rows = list(csv.reader(io.StringIO(rejected.decode())))
    assert rows[0] == ["line", "problem", "measure", "unit", "period", "group", "value", "students"]
    assert [row[0] for row in rows[1:]] == ["3", "5"]
    assert rows[2][3] == "LK-NOWHERE"


def test_importing_the_same_file_again_changes_nothing(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    admin = world.user("admin")
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, admin, CORRECTED)
    after_first = values_now()
    history = OutcomeValue.history.count()

    with django_capture_on_commit_callbacks(execute=True):
        second = send(client, admin, CORRECTED)

    second.refresh_from_db()
    assert first.pk != second.pk
    assert (second.status, second.rows_written, second.rows_unchanged) == (JobStatus.DONE, 0, 4)
    assert values_now() == after_first
    assert OutcomeValue.history.count() == history


def test_a_corrected_value_replaces_the_old_one_and_the_change_is_audited(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    admin = world.user("admin")
    girls = outcomes.value(world.building, "female")
    assert (girls.students, girls.hidden) == (8, SMALL)

    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, admin, CORRECTED)

    job.refresh_from_db()
    assert (job.rows_written, job.rows_corrected, job.rows_unchanged) == (2, 2, 2)
    girls.refresh_from_db()
    assert (girls.value, girls.students) == (74, 12)
    change = girls.history.latest("history_date")
    assert change.history_type == "~"
    assert change.history_user == admin
    assert f"(import {job.pk})" in change.history_change_reason
    # Twelve girls are enough: the table was decided again, and nothing is hidden beside them.
    assert girls.hidden == ""
    assert outcomes.value(world.building, "male").hidden == ""


def test_a_repeated_row_is_refused_with_the_line_it_repeats(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    text = HEADER + "reading,LK-MAPLE,2025-26,all,55,90\n" + "reading,LK-MAPLE,2025-26,all,56,90\n"
    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, world.user("admin"), text)
    job.refresh_from_db()
    assert job.problems == ["Line 3: repeats line 2 (the same measure, unit, period and group)."]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("reading,LK-MAPLE,2030-31,all,55,90", "period '2030-31' is not defined."),
        ("writing,LK-MAPLE,2025-26,all,55,90", "measure 'writing' is not defined"),
        ("reading,LK-MAPLE,2025-26,all,abc,90", "value 'abc' is not a number."),
        ("reading,LK-MAPLE,2025-26,all,-1,90", "value -1 is outside 0 to 100"),
        ("reading,LK-MAPLE,2025-26,all,55.1234,90", "more than 3 decimals."),
        ("reading,LK-MAPLE,2025-26,all,55,9.5", "students '9.5' is not a whole number"),
        ("reading,LK-MAPLE,2025-26,all,55,-3", "students '-3' is not a whole number"),
        ("reading,LK-MAPLE,2025-26,all,55", "5 cells where the header names 6."),
    ],
)
def test_each_kind_of_bad_row_says_what_is_wrong(
    row, problem, outcomes, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, world.user("admin"), HEADER + row + "\n")
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert job.problems[0].startswith("Line 2: ") and problem in job.problems[0], job.problems


def test_a_file_without_the_columns_is_refused_before_any_import(outcomes, world, client):
    client.force_login(world.user("admin"))
    upload = SimpleUploadedFile("x.csv", b"school,score\nLincoln,50\n", content_type="text/csv")
    response = client.post(reverse("datasystem:outcome-import"), {"file": upload, "mode": "whole"})
    assert response.status_code == 200
    assert "the header lacks measure, unit, period, group, value, students" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_an_import_runs_once_however_often_its_task_is_delivered(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, world.user("admin"), CORRECTED)
    job.refresh_from_db()
    finished = (job.status, job.finished_at, job.rows_written)

    run(job)

    job.refresh_from_db()
    assert (job.status, job.finished_at, job.rows_written) == finished


def test_the_upload_is_imported_after_it_commits_and_then_forgotten(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = send(client, world.user("admin"), CORRECTED)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.file
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # The file held values of small groups: it is not kept once imported.
    assert not job.file


def test_an_import_whose_task_was_lost_or_whose_worker_stopped_is_resumed_once(
    outcomes, world, client, django_capture_on_commit_callbacks, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from datasystem import tasks

    # Queued while the broker was down: the task never reached a worker.
    with django_capture_on_commit_callbacks(execute=False):
        lost = send(client, world.user("admin"), CORRECTED)
    long_ago = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=lost.pk).update(created_at=long_ago)
    # Taken by a worker that stopped an hour ago; its transaction rolled back.
    with django_capture_on_commit_callbacks(execute=False):
        stopped = send(client, world.user("admin"), CORRECTED, name="again.csv")
    ImportJob.objects.filter(pk=stopped.pk).update(
        status=JobStatus.RUNNING, created_at=long_ago, started_at=long_ago
    )
    # Still being imported by a live worker: left alone.
    with django_capture_on_commit_callbacks(execute=False):
        working = send(client, world.user("admin"), CORRECTED, name="working.csv")
    ImportJob.objects.filter(pk=working.pk).update(
        status=JobStatus.RUNNING, created_at=long_ago, started_at=timezone.now()
    )

    queued = []
    monkeypatch.setattr(tasks.import_outcomes, "delay", queued.append)
    assert tasks.resume_interrupted_imports() == 2
    assert sorted(queued) == sorted([lost.pk, stopped.pk])
    for job_id in queued + queued:  # delivered twice: the claim runs each once
        tasks.import_outcomes(job_id)

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: JobStatus.DONE,
        stopped.pk: JobStatus.DONE,
        working.pk: JobStatus.RUNNING,
    }
    assert tasks.resume_interrupted_imports() == 0


def test_the_resuming_sweep_is_on_beats_schedule_in_the_database():
    from django_celery_beat.models import PeriodicTask

    from digests.schedule import SCHEDULE as DIGESTS

    sweep = PeriodicTask.objects.get(task="datasystem.resume_interrupted_imports")
    assert sweep.enabled and sweep.interval.every == 10
    assert PeriodicTask.objects.filter(task__in=[task for task, _, _ in DIGESTS]).count() == 4


def test_the_progress_shows_the_rows_read_until_the_import_is_done(outcomes, world, client):
    from django.core.cache import cache

    job = ImportJob.objects.create(
        created_by=world.user("admin"),
        file_name="big.csv",
        status=JobStatus.RUNNING,
        rows_total=100_000,
    )
    cache.set(progress_key(job.pk), 40_000)
    client.force_login(world.user("admin"))
    url = reverse("datasystem:import-progress", args=[job.pk])

    running = client.get(url, HTTP_HX_REQUEST="true")
    assert 'value="40000"' in running.content.decode()
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running

    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, rows_read=100_000)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


# --- Generated bad files --------------------------------------------------------------------

GOOD_CELLS = {
    "measure": ["reading"],
    "unit": ["LK-LINCOLN", "LK-MAPLE", "LK-STATE"],
    "period": ["2025-26", "2024-25"],
    "group": ["all", "female", "male", "el"],
    "value": ["55", "61.5", "0", "100"],
    "students": ["10", "90", "0"],
}
BAD_CELLS = {
    "measure": ["", "Reading", "readin g", "=cmd()", "reading\x00"],
    "unit": ["", "LK-NOWHERE", "lk-lincoln", "LK-LINCOLN ; DROP TABLE"],
    "period": ["", "2025", "2025-26'", "<script>"],
    "group": ["", "Female", "all students", "sex/female"],
    "value": ["", "abc", "1e400", "NaN", "-Infinity", "101", "-0.0001", "55.12345", "1,5", "٣"],
    "students": ["", "-1", "1.0", "ten", "99999999999", "٣", "1e3"],
}
COLUMNS = list(GOOD_CELLS)


@st.composite
def bad_files(draw):
    """A CSV with the right header and rows of which at least one is wrong."""
    rows = []
    for n in range(draw(st.integers(min_value=1, max_value=6))):
        broken = set(draw(st.sets(st.sampled_from(COLUMNS), min_size=1 if n == 0 else 0)))
        row = [
            draw(st.sampled_from(BAD_CELLS[c] if c in broken else GOOD_CELLS[c])) for c in COLUMNS
        ]
        if draw(st.booleans()) and n:
            row = row[: draw(st.integers(min_value=0, max_value=7))] or row
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


@given(text=bad_files())
@EXAMPLES
def test_generated_bad_files_never_crash_and_write_nothing(
    text, outcomes, world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.user("admin"))
    before = database_state(skip_apps=frozenset({"axes"}))
    values = values_now()
    tables = list(OutcomeTable.objects.values_list("pk", "minimum", "decided_at", "aggregates"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("datasystem:outcome-import"), {"text": text, "mode": ImportMode.WHOLE}
        )
    assert response.status_code in (200, 302), response.status_code
    assert values_now() == values
    assert list(OutcomeTable.objects.values_list("pk", "minimum", "decided_at", "aggregates")) == (
        tables
    )
    after = database_state(skip_apps=frozenset({"axes"}))
    # The import's own record (and its rejected rows) is all a bad file leaves.
    job_table = ImportJob._meta.db_table
    if response.status_code == 302:
        job = ImportJob.objects.latest("pk")
        assert job.status == JobStatus.REJECTED, (job.status, job.result)
        after[job_table] -= 1
    assert_nothing_written(before, after, "a bad outcome file")
    ImportJob.objects.all().delete()


def test_the_rejected_rows_never_carry_a_formula(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    text = HEADER + '=HYPERLINK("http://x"),LK-MAPLE,2025-26,all,55,90\n'
    with django_capture_on_commit_callbacks(execute=True):
        job = send(client, world.user("admin"), text)
    rejected = b"".join(client.get(reverse("datasystem:import-rejected", args=[job.pk])))
    row = list(csv.reader(io.StringIO(rejected.decode())))[1]
    assert row[2] == '\'=HYPERLINK("http://x")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
