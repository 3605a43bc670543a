"""The scheduled work, as thin wrappers around the services (digests/services.py).

Every task is safe to run twice, on two workers, or again after a worker died: the
services claim their work in the database. Tasks are acknowledged late (a task a dying
worker held is delivered again) and retried a bounded number of times when the database
is away; what they enqueue goes only after the transaction that made it commits. The
schedule is in the database (django-celery-beat), written by digests/schedule.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from celery import shared_task
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import TaskRun

RELIABLY = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError,),
    "max_retries": 3,
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "retry_jitter": True,
}


def enqueue(task, *args) -> None:
    """Send `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.delay(*args))


@dataclass
class Run:
    made: int = 0
    note: str = ""


@contextmanager
def recorded(task) -> Iterator[Run]:
    """Keep when the task last ran and what it did, for admins (and for tests waiting on a
    run to finish)."""
    name, task_id = task.name, task.request.id or ""
    started = timezone.now()
    # Two first runs at once: the other wrote the row.
    with suppress(IntegrityError):
        TaskRun.objects.update_or_create(
            name=name,
            defaults={"task_id": task_id, "started_at": started, "finished_at": None},
        )
    run = Run()
    yield run
    TaskRun.objects.filter(name=name).update(
        task_id=task_id, finished_at=timezone.now(), made=run.made, note=run.note[:300]
    )


@shared_task(name="digests.derive_notifications", **RELIABLY)
def derive_notifications(self) -> int:
    with recorded(self) as run:
        run.made = services.notifications_derive()
        run.note = f"{run.made} notifications written"
    enqueue(send_notification_emails)
    return run.made


@shared_task(name="digests.send_notification_emails", **RELIABLY)
def send_notification_emails(self) -> int:
    with recorded(self) as run:
        outcome = services.notification_emails_send()
        run.made, run.note = outcome.sent, outcome.note
    if outcome.more:
        # A backlog (a cascade's worth at once) goes batch after batch, not one batch a
        # tick; each email is claimed in its own row, so a batch sent twice sends none twice.
        enqueue(send_notification_emails)
    return run.made


@shared_task(name="digests.send_weekly_roundups", **RELIABLY)
def send_weekly_roundups(self) -> int:
    with recorded(self) as run:
        outcome = services.roundups_send()
        run.made, run.note = outcome.sent, outcome.note
    return run.made


@shared_task(name="digests.run_monthly_digest", **RELIABLY)
def run_monthly_digest(self) -> int:
    with recorded(self) as run:
        due = services.digest_run()
        run.made = len(due)
        run.note = f"{len(due)} deliveries to send"
    for delivery_id in due:
        enqueue(send_digest, delivery_id)
    return run.made


@shared_task(name="digests.send_digest", **RELIABLY)
def send_digest(self, delivery_id: int) -> str:
    return services.digest_deliver(delivery_id=delivery_id)
