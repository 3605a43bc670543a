from datetime import timedelta

from django.db.models import DateField, ExpressionWrapper, F, Q, QuerySet

from teams.models import Team, today


def teams_by_cadence(*, quiet_only: bool = False) -> QuerySet[Team]:
    """Teams with their cadence and whether an update has come within it."""
    teams = Team.objects.with_glance().select_related("parent").order_by("cadence", "level", "name")
    if quiet_only:
        # A team is quiet when its last update is older than one cadence (or never came).
        teams = teams.annotate(
            due_by=ExpressionWrapper(
                F("last_update_on") + F("cadence") * timedelta(days=1), output_field=DateField()
            )
        ).filter(Q(last_update_on__isnull=True) | Q(due_by__lt=today()))
    return teams
