"""The scheduled tasks, as django-celery-beat keeps them in the database.

Written by a data migration (0002), idempotently: beat (`make beat`) reads them from
the database, and an admin may pause one in Django's admin without a deploy. Each tick
derives its work from the records, so the interval is how soon things go out, not
whether they do.
"""

# (task, name shown in the admin, every N minutes)
SCHEDULE = [
    ("digests.derive_notifications", "Notifications and reminders: derive what is due", 5),
    ("digests.send_notification_emails", "Notifications: send the emails due", 5),
    ("digests.send_weekly_roundups", "Notifications: weekly roundups", 60),
    ("digests.run_monthly_digest", "The CSSO's monthly digest", 30),
]


def ensure_schedule(apps, schema_editor=None) -> None:
    """Create or correct the periodic tasks; running it again changes nothing."""
    from django.utils import timezone

    interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    changes = apps.get_model("django_celery_beat", "PeriodicTasks")
    for task, name, minutes in SCHEDULE:
        every, _ = interval.objects.get_or_create(every=minutes, period="minutes")
        periodic.objects.update_or_create(
            task=task, defaults={"name": name, "interval": every, "enabled": True}
        )
    # Tell a running beat to read the schedule again.
    changes.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor=None) -> None:
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    periodic.objects.filter(task__in=[task for task, _, _ in SCHEDULE]).delete()
