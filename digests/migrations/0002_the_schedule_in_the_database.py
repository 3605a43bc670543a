"""The scheduled tasks, written into django-celery-beat's tables (digests/schedule.py):
beat reads them from the database, and a second run of this changes nothing."""

from django.db import migrations

from digests.schedule import ensure_schedule, remove_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_notifications_reminders_digest"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(ensure_schedule, remove_schedule)]
