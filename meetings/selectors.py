from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from teams.models import LEVEL_RANK, Cadence, Team, today


def teams_by_cadence(*, quiet_only: bool = False) -> QuerySet[Team]:
    """Teams with their cadence and whether an update has come within it."""
    teams = (
        Team.objects.with_glance()
        .select_related("parent")
        .annotate(level_rank=LEVEL_RANK)
        .order_by("cadence", "level_rank", "name")
    )
    if quiet_only:
        # Quiet: no update within one cadence. One condition per cadence keeps the date
        # arithmetic in Python, which every database understands.
        day = today()
        overdue = reduce(
            or_,
            (Q(cadence=c, last_update_on__lt=day - timedelta(days=c)) for c in Cadence.values),
        )
        teams = teams.filter(Q(last_update_on__isnull=True) | overdue)
    return teams
