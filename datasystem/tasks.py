"""The data system's background work: thin wrappers around its services, each safe to run
twice (an import is claimed in the database before it runs; deciding a table again that is
up to date changes nothing)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True)
def import_outcomes(job_id: int) -> str:
    """Import an outcome file the portal received (`services.import_start`)."""
    from .models import ImportJob
    from .outcome_import import run

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "no such import"
    return run(job).status


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True)
def decide_tables() -> int:
    """Decide again every outcome table that is out of date (the minimum cell size, a
    measure's groups or the Transformation Zone changed)."""
    from .outcome_tables import decide_stale

    return decide_stale()


@shared_task(name="datasystem.resume_interrupted_imports", acks_late=True)
def resume_interrupted_imports() -> int:
    """Queue again each import that will not finish by itself (datasystem/schedule.py runs
    this every few minutes); the import's claim makes a second delivery harmless."""
    from .outcome_import import interrupted

    jobs = list(interrupted().values_list("pk", flat=True))
    for job_id in jobs:
        import_outcomes.delay(job_id)
    return len(jobs)
