"""Reads: a person's notifications and preferences, the digest's archive and recipients,
and how the scheduled work stands."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_celery_beat.models import PeriodicTask

from teams.models import User

from .kinds import KINDS
from .models import (
    MAX_EMAIL_ATTEMPTS,
    Digest,
    DigestDelivery,
    DigestRecipient,
    Notification,
    TaskRun,
)
from .schedule import SCHEDULE
from .services import deliveries_for, digest_recipients


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
