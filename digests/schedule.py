"""The digest's and the notifications' scheduled tasks (written by migration 0002 through
`teams.schedule`). Each tick derives its work from the records, so the interval is
how soon things go out, not whether they do."""

from teams import schedule

SCHEDULE: list[schedule.Entry] = [
    ("digests.derive_notifications", "Notifications and reminders: derive what is due", 5),
    ("digests.send_notification_emails", "Notifications: send the emails due", 5),
    ("digests.send_weekly_roundups", "Notifications: weekly roundups", 60),
    ("digests.run_monthly_digest", "The CSSO's monthly digest", 30),
]


def ensure_schedule(apps, schema_editor=None) -> None:
    schedule.write(apps, SCHEDULE)


def remove_schedule(apps, schema_editor=None) -> None:
    schedule.remove(apps, SCHEDULE)
