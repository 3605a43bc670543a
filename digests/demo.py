"""The notifications and the digest in the Lakeland demo.

The CSSO has added the `sponsor` login to the digest's recipients, and the archive holds
the digests of the two months before last, as sent on their first working days. The
rest is the scheduler's first ticks, enqueued after the load commits: without a broker
(`make run`) they run at once and print their emails on the console; with `REDIS_URL`
set, the worker (`make worker`) takes them. They derive the notifications and reminders
the demo's records imply (the overdue action items, the late support request, barriers
waiting too long), send what is due at once, and build and send last month's digest.
"""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from teams.demo import DemoRun
from teams.models import User
from teams.registry import DemoPart

from .digest import build_content, month_of, next_month, previous_month
from .models import Digest, DigestDelivery, DigestRecipient
from .selectors import digest_recipients, first_working_day


def load(run: DemoRun) -> int:
    from .tasks import derive_notifications, enqueue, run_monthly_digest

    rows = 0
    csso = User.objects.filter(username="csso").first()
    sponsor = User.objects.filter(username="sponsor").first()
    if csso and sponsor and not DigestRecipient.objects.filter(person=sponsor).exists():
        DigestRecipient.objects.create(person=sponsor, added_by=csso, added_on=run.ago(120))
        rows += 1
    last = previous_month(month_of(run.day))
    recipients = digest_recipients(run.day)
    for month in (previous_month(previous_month(last)), previous_month(last)):
        if Digest.objects.filter(month=month).exists():
            continue
        sent = timezone.make_aware(datetime.combine(first_working_day(next_month(month)), time(7)))
        digest = Digest.objects.create(month=month, content=build_content(month), built_at=sent)
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(
                    digest=digest, recipient=person, created_at=sent, sent_at=sent, attempts=1
                )
                for person in recipients
            ]
        )
        rows += 1 + len(recipients)
    enqueue(derive_notifications)
    enqueue(run_monthly_digest)
    return rows


def describe() -> list[str]:
    names = [p.username for p in _recipients()]
    return [
        f"Digest: {Digest.objects.count()} months in the archive, for {', '.join(names)}; "
        "last month's is built and sent by the scheduler's first tick.",
        "Notifications and reminders: derived by that tick, which runs after the load: here, "
        "printing its emails above (no REDIS_URL), or in `make worker` (with REDIS_URL).",
    ]


def _recipients() -> list[User]:
    return digest_recipients()


DEMO_PART = DemoPart("digests", load=load, describe=describe, order=90)
