from django.db.models import QuerySet

from teams.models import Team


def teams_by_cadence(*, quiet_only: bool = False) -> QuerySet[Team]:
    """Teams with their cadence and whether anything was recorded within it."""
    teams = (
        Team.objects.with_glance()
        .with_quiet()
        .select_related("parent")
        .order_by("cadence", "cascade_rank", "name")
    )
    return teams.quiet() if quiet_only else teams
