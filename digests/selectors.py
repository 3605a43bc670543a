"""Reads: a person's notifications and preferences, the digest's archive, recipients and
due month, and how the scheduled work stands."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_celery_beat.models import PeriodicTask

from meetings.models import Holiday
from teams.models import APPOINTING_ROLES, User, today

from .digest import month_of, next_month, previous_month
from .kinds import KINDS
from .models import (
    MAX_EMAIL_ATTEMPTS,
    Digest,
    DigestDelivery,
    DigestRecipient,
    Notification,
    Preference,
    TaskRun,
)
from .schedule import SCHEDULE


def deliveries_for(person_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """How each kind reaches each person: their choice, else their role's default. Two
    queries whatever the number of people."""
    person_ids = set(person_ids)
    cabinet = set(User.objects.smt_members().filter(pk__in=person_ids).values_list("pk", flat=True))
    chosen = {
        (person, kind): delivery
        for person, kind, delivery in Preference.objects.filter(person__in=person_ids).values_list(
            "person_id", "kind", "delivery"
        )
    }
    return {
        (person, key): chosen.get((person, key), kind.default_for(cabinet=person in cabinet))
        for person in person_ids
        for key, kind in KINDS.items()
    }


def first_working_day(month: date) -> date:
    """The month's first day that is neither a weekend nor one of the agency's holidays."""
    holidays = set(
        Holiday.objects.filter(day__gte=month, day__lt=next_month(month)).values_list(
            "day", flat=True
        )
    )
    day = month_of(month)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def digest_due_month(day: date | None = None) -> date:
    """The month whose digest is due: last month, from this month's first working day on;
    before it, the month before (whose digest was due a month ago)."""
    day = day or today()
    this = month_of(day)
    if day >= first_working_day(this):
        return previous_month(this)
    return previous_month(previous_month(this))


def digest_recipients(day: date | None = None) -> list[User]:
    """The CSSO and the Deputies, and whoever the CSSO added: still with the agency."""
    day = day or today()
    office = User.objects.holding(*APPOINTING_ROLES, day=day).values("pk")
    added = DigestRecipient.objects.values("person_id")
    return list(
        User.objects.filter(Q(pk__in=office) | Q(pk__in=added), is_active=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .order_by("last_name", "first_name", "pk")
    )


def unread_count():
    """The person's unread notifications, for the user query at OuterRef("pk")."""
    return Coalesce(
        Subquery(
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def notifications_of(person: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person).only(
        "kind", "title", "body", "url", "created_at", "read_at", "delivery", "emailed_at"
    )


def preferences_of(person: User) -> dict[str, str]:
    chosen = deliveries_for([person.pk])
    return {key: chosen[(person.pk, key)] for key in KINDS}


def digest_archive() -> QuerySet[Digest]:
    """Every month's digest, newest first, with how many it was sent to: one query a page."""
    return (
        Digest.objects.defer("content")
        .annotate(sent=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)))
        .order_by("-month")
    )


def recipients_page() -> dict:
    seats = {seat.person_id: seat for seat in DigestRecipient.objects.select_related("added_by")}
    people = digest_recipients()
    return {
        "people": [(person, seats.get(person.pk)) for person in people],
    }


def scheduled_work() -> dict:
    """The periodic tasks, when each last ran, and the emails that could not be sent."""
    tasks = {task: name for task, name, _ in SCHEDULE}
    periodic = {
        p.task: p for p in PeriodicTask.objects.filter(task__in=tasks).select_related("interval")
    }
    runs = {run.name: run for run in TaskRun.objects.filter(name__in=tasks)}
    return {
        "tasks": [(name, periodic.get(task), runs.get(task)) for task, name in tasks.items()],
        "undelivered": Notification.objects.filter(
            emailed_at__isnull=True, email_attempts__gte=MAX_EMAIL_ATTEMPTS
        )
        .exclude(email_error="No email address")
        .count(),
        "digests_undelivered": DigestDelivery.objects.filter(
            sent_at__isnull=True, attempts__gte=MAX_EMAIL_ATTEMPTS
        ).count(),
    }
