"""Periodic tasks, as django-celery-beat keeps them in the database.

Each app that runs on a schedule lists its tasks and writes them from a data migration
with `write`: beat (`make beat`) reads them from the database, an admin may pause one in
Django's admin without a deploy, and running the migration again changes nothing.
"""

from __future__ import annotations

# (task name, name shown in the admin, every N minutes)
Entry = tuple[str, str, int]


def write(apps, entries: list[Entry]) -> None:
    """Create or correct the periodic tasks; running it again changes nothing."""
    from django.utils import timezone

    interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    changes = apps.get_model("django_celery_beat", "PeriodicTasks")
    for task, name, minutes in entries:
        every, _ = interval.objects.get_or_create(every=minutes, period="minutes")
        periodic.objects.update_or_create(
            task=task, defaults={"name": name, "interval": every, "enabled": True}
        )
    # Tell a running beat to read the schedule again.
    changes.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, entries: list[Entry]) -> None:
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    periodic.objects.filter(task__in=[task for task, _, _ in entries]).delete()
