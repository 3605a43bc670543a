"""The sweep that resumes interrupted outcome imports, written into django-celery-beat's
tables (datasystem/schedule.py); a second run of this changes nothing."""

from django.db import migrations

from datasystem.schedule import ensure_schedule, remove_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("datasystem", "0002_outcomes_suppression_and_imports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(ensure_schedule, remove_schedule)]
