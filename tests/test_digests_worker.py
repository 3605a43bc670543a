"""Faults, proved with a real Celery worker against the real Redis and PostgreSQL (CI has
both; with SQLite or no REDIS_URL these are skipped): each scheduled task run twice does
nothing new; a worker killed in the middle of the digest run leaves each recipient exactly
one digest once a worker runs again; Redis flushed between enqueue and run loses nothing
the next tick does not recover; an email refused for one recipient does not stop the
others and is sent on a later tick.

The worker is `celery -A smt_portal worker` in a subprocess, on this test database (the
name pytest-django gave it), on a queue of its own, with an email backend that writes each
message to a file (tests/mailbox.py) the test reads.
"""

from __future__ import annotations

import email
import os
import secrets
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from bench.worker import Worker, start_worker
from digests import tasks
from digests.models import Digest, DigestDelivery, DigestRecipient, Notification, TaskRun
from digests.selectors import digest_due_month
from teams.models import User

from .cycle_world import cycle_of
from .mailbox import sent
from .world import build_world

REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        not (REDIS_URL and ON_POSTGRESQL),
        reason="a real worker needs REDIS_URL and PostgreSQL (as CI has)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _tasks_to_the_real_worker():
    # The suite runs tasks inline (tests/conftest.py); these hand them to the worker.
    from smt_portal.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = was


PATIENCE = 60


def database_url() -> str:
    """This test database as a URL: the name pytest-django gave it (test_...)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def mailbox(tmp_path, monkeypatch):
    folder = tmp_path / "mail"
    folder.mkdir()
    monkeypatch.setenv("SMT_TEST_MAILBOX", str(folder))
    return folder


@pytest.fixture
def queue(monkeypatch) -> str:
    """A queue of this test's own: tasks sent here reach only its worker."""
    name = f"test-{secrets.token_hex(4)}"
    # The test process sends to it (settings were read at start: set both).
    from smt_portal.celery import app

    monkeypatch.setattr(app.conf, "task_default_queue", name)
    monkeypatch.setenv("CELERY_QUEUE", name)
    return name


@pytest.fixture
def workers(mailbox, queue, tmp_path) -> Iterator[Callable[[], Worker]]:
    started: list[Worker] = []

    def start() -> Worker:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_EMAIL_BACKEND": "tests.mailbox.FileMailbox",
            "PORTAL_MAIL_RETRY_SECONDS": "0",
            "DJANGO_DEBUG": "0",
        }
        worker = start_worker(
            environment=environment, log_path=tmp_path / f"worker-{len(started)}.log"
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(what: str, check: Callable[[], bool], worker: Worker | None = None) -> None:
    deadline = time.monotonic() + PATIENCE
    while not check():
        if worker is not None and not worker.is_running():
            pytest.fail(f"The worker stopped waiting for {what}:\n{worker.log()[-3000:]}")
        if time.monotonic() > deadline:
            log = worker.log()[-3000:] if worker else ""
            pytest.fail(f"Not done within {PATIENCE} s: {what}\n{log}")
        time.sleep(0.2)


def run(task, worker: Worker, *args) -> None:
    """Send a task as beat does, and wait until the worker has run it: its own log says
    so. (TaskRun keeps each task's latest run only: a run the worker queued itself, such as
    the emails a derivation hands on, may finish after this one and take the row.)"""
    result = task.delay(*args)
    wait_for(
        f"{task.name} to run",
        lambda: f"{task.name}[{result.id}] succeeded" in worker.log(),
        worker,
    )


def subject(path) -> str:
    return str(email.message_from_bytes(path.read_bytes())["Subject"])


def recipients() -> list[User]:
    return list(User.objects.filter(username__in=["csso", "deputy", "sts", "smt"]))


def all_sent(count: int) -> Callable[[], bool]:
    return lambda: DigestDelivery.objects.filter(sent_at__isnull=False).count() == count


def each_has_one_digest() -> None:
    digest = Digest.objects.get(month=digest_due_month())
    for person in recipients():
        assert DigestDelivery.objects.filter(digest=digest, recipient=person).count() == 1
        copies = [m for m in sent(person.email) if "digest:" in subject(m)]
        assert len(copies) == 1, f"{person}: {len(copies)} digests"


@pytest.fixture
def world_with_recipients(transactional_db):
    world = build_world()
    cycle_of(world)
    for username in ("sts", "smt"):
        DigestRecipient.objects.create(person=world.user(username), added_by=world.user("csso"))
    return world


def test_each_scheduled_task_run_twice_on_a_real_worker_does_nothing_new(
    world_with_recipients, workers, mailbox
):
    worker = workers()
    periodic = [
        tasks.derive_notifications,
        tasks.send_notification_emails,
        tasks.send_weekly_roundups,
        tasks.run_monthly_digest,
    ]
    for task in periodic:
        run(task, worker)
    # What the first runs handed on (emails, each recipient's digest) is done too.
    wait_for("the digests to be sent", all_sent(4), worker)
    run(tasks.send_notification_emails, worker)
    done = (
        Notification.objects.count(),
        len(sent()),
        DigestDelivery.objects.filter(sent_at__isnull=False).count(),
    )
    assert done[0] > 0 and done[1] >= 4
    for task in periodic:
        run(task, worker)
    run(tasks.send_notification_emails, worker)
    time.sleep(1)
    again = (
        Notification.objects.count(),
        len(sent()),
        DigestDelivery.objects.filter(sent_at__isnull=False).count(),
    )
    assert again == done
    assert {run.name: run.made for run in TaskRun.objects.all()} == {
        "digests.derive_notifications": 0,
        "digests.send_notification_emails": 0,
        "digests.send_weekly_roundups": 0,
        "digests.run_monthly_digest": 0,
    }
    each_has_one_digest()


def test_a_worker_killed_mid_digest_run_leaves_each_recipient_exactly_one(
    world_with_recipients, workers, mailbox
):
    deputy = world_with_recipients.user("deputy")
    (mailbox / f"hold-{deputy.email}").touch()
    worker = workers()
    tasks.run_monthly_digest.delay()
    wait_for("the deputy's digest to be on its way", (mailbox / f"holding-{deputy.email}").exists)
    worker.kill()
    assert not sent(deputy.email)
    assert DigestDelivery.objects.filter(sent_at__isnull=True).exists()
    # The scheduler's next tick, to a worker started again.
    worker = workers()
    tasks.run_monthly_digest.delay()
    wait_for("every digest to be sent", all_sent(4), worker)
    time.sleep(1)
    each_has_one_digest()
    assert Digest.objects.count() == 1


def test_redis_flushed_between_enqueue_and_run_loses_nothing_the_next_tick_recovers(
    world_with_recipients, workers, mailbox
):
    # The monthly run here: the digest built, each delivery claimed, the sends enqueued...
    tasks.run_monthly_digest.apply()
    assert DigestDelivery.objects.count() == 4
    broker = redis.Redis.from_url(REDIS_URL)
    assert broker.llen(os.environ["CELERY_QUEUE"]) == 4
    # ...and lost: this test's broker database only.
    broker.flushdb()
    worker = workers()
    time.sleep(2)
    assert not sent() and not DigestDelivery.objects.filter(sent_at__isnull=False).exists()
    run(tasks.run_monthly_digest, worker)
    wait_for("every digest to be sent", all_sent(4), worker)
    each_has_one_digest()


def test_a_refused_email_does_not_stop_the_others_and_is_sent_on_a_later_tick(
    world_with_recipients, workers, mailbox
):
    csso = world_with_recipients.user("csso")
    (mailbox / f"refuse-once-{csso.email}").touch()
    worker = workers()
    run(tasks.run_monthly_digest, worker)
    wait_for("the others' digests", all_sent(3), worker)
    refused = DigestDelivery.objects.get(recipient=csso)
    wait_for(
        "the refusal to be recorded",
        lambda: DigestDelivery.objects.filter(pk=refused.pk, attempts=1).exists(),
    )
    refused.refresh_from_db()
    assert refused.sent_at is None and "refused" in refused.error
    run(tasks.run_monthly_digest, worker)
    wait_for("the CSSO's digest, on the next tick", all_sent(4), worker)
    refused.refresh_from_db()
    assert refused.attempts == 2
    each_has_one_digest()
