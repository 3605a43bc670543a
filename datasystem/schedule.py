"""The data system's scheduled task (written by migration 0003 through
`teams.schedule`): an import whose task was lost (the broker was down when it was
queued) or whose worker died is started again, since nothing else would."""

from teams import schedule

SCHEDULE: list[schedule.Entry] = [
    ("datasystem.resume_interrupted_imports", "Outcome imports: resume any interrupted", 10),
]


def ensure_schedule(apps, schema_editor=None) -> None:
    schedule.write(apps, SCHEDULE)


def remove_schedule(apps, schema_editor=None) -> None:
    schedule.remove(apps, SCHEDULE)
