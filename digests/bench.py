"""Notifications and the digest in the benchmark state (`make bench`).

The part writes what the pages list: months of notifications for each demo login (a few
unread), the CSSO's added recipient, and the archive: the digests of the last twelve
months, each built by the same code the scheduler runs, on the whole benchmark state.

The job times the monthly digest as QUALITY.md asks: last month's digest removed, then the
scheduler's task enqueued to a real Celery worker, and the clock stopped when every
recipient's copy is sent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from teams.models import User
from teams.registry import BenchPart, WorkerJob

from .digest import build_content, month_of, next_month, previous_month
from .kinds import KINDS, Delivery
from .models import Digest, DigestDelivery, DigestRecipient, Notification
from .selectors import digest_due_month, digest_recipients, first_working_day

# Per demo login: a notification every few hours over three months, the newest unread.
NOTIFICATIONS_PER_LOGIN = 600
UNREAD_PER_LOGIN = 12
ARCHIVE_MONTHS = 12


def build(state: Any) -> None:
    from teams.demo import DEMO_USERNAMES

    logins = dict(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", "pk"))
    kinds = [kind for kind in KINDS if kind != "digest_ready"]
    rng = state.rng("digests:notifications")

    def notifications():
        for username, person in logins.items():
            for n in range(NOTIFICATIONS_PER_LOGIN):
                at = state.now - timedelta(hours=3.5 * n + rng.random())
                kind = rng.choice(kinds)
                yield {
                    "recipient_id": person,
                    "kind": kind,
                    "occasion": f"bench:{username}:{n}",
                    "title": f"{KINDS[kind].label}: item {n} for {username}",
                    "body": "Due soon; see the portal.",
                    "url": "/meetings/actions/",
                    "created_at": at,
                    "read_at": None if n < UNREAD_PER_LOGIN else at + timedelta(hours=1),
                    "delivery": Delivery.PORTAL if n % 3 else Delivery.IMMEDIATE,
                    "emailed_at": at if n % 3 == 0 else None,
                }

    state.copy(Notification, notifications())
    if "csso" in logins and "sponsor" in logins:
        state.copy(
            DigestRecipient,
            [
                {
                    "person_id": logins["sponsor"],
                    "added_by_id": logins["csso"],
                    "added_on": state.day,
                }
            ],
        )
    recipients = [person.pk for person in digest_recipients(state.day)]
    month = previous_month(month_of(state.day))
    digests, deliveries = [], []
    for number, digest_id in enumerate(state.ids(Digest, ARCHIVE_MONTHS)):
        sent = timezone.make_aware(datetime.combine(first_working_day(next_month(month)), time(7)))
        digests.append(
            {"id": digest_id, "month": month, "content": build_content(month), "built_at": sent}
        )
        deliveries += [
            {
                "digest_id": digest_id,
                "recipient_id": person,
                "created_at": sent,
                "sent_at": sent,
                "attempts": 1,
            }
            for person in recipients
        ]
        if number + 1 < ARCHIVE_MONTHS:
            month = previous_month(month)
    state.copy(Digest, digests)
    state.copy(DigestDelivery, deliveries)


def _last_month(state: Any) -> str:
    month = previous_month(month_of(state.day))
    return f"/digests/{month.year}/{month.month}/"


def pages(state: Any) -> list[tuple[str, str, Any]]:
    return [
        ("/notifications/", "district", "/notifications/"),
        ("/notifications/", "sts", "/notifications/"),
        ("/notifications/", "csso", "/notifications/"),
        ("/notifications/preferences/", "sponsor", "/notifications/preferences/"),
        ("/digests/", "csso", "/digests/"),
        ("/digests/", "smt", "/digests/"),
        ("/digests/<last month>/", "csso", _last_month),
        ("/digests/<last month>/", "deputy", _last_month),
    ]


BENCH_PART = BenchPart("digests", build=build, pages=pages, order=90)


# --- The timed job: the monthly digest with a real worker ------------------------------------


def prepare() -> None:
    """Forget the due month's digest and its deliveries, so the run builds and sends it."""
    Digest.objects.filter(month=digest_due_month()).delete()


def start() -> None:
    from .tasks import run_monthly_digest

    run_monthly_digest.delay()


def progress() -> tuple[bool, str]:
    digest = Digest.objects.filter(month=digest_due_month()).first()
    if digest is None:
        return False, "being built"
    wanted = len(digest_recipients())
    sent = DigestDelivery.objects.filter(digest=digest, sent_at__isnull=False).count()
    return wanted > 0 and sent >= wanted, f"{sent} of {wanted} recipients sent their digest"


BENCH_JOB = WorkerJob(
    "digest",
    "The monthly digest for the whole state, a real Celery worker",
    budget_seconds=60,
    prepare=prepare,
    start=start,
    progress=progress,
)
