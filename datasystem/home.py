"""The data system's panel on the home page: the live sessions the person takes part in,
and the low items of their teams' latest assessments that have no plan yet."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.http import HttpRequest

from meetings.models import ActionItem
from teams.freshness import hashed, kept_until_changed
from teams.models import today
from teams.registry import HomePanel
from teams.standing import CABINET_SEAT, standing

from .models import Administration, ItemScore, Status


def without_plan(team_ids) -> list[dict]:
    """Per latest completed assessment (of the last year) of these teams: how many low
    items no action item came from. One grouped query."""
    latest = (
        Administration.objects.completed()
        .filter(team_id=OuterRef("administration__team_id"))
        .filter(instrument_id=OuterRef("administration__instrument_id"))
        .order_by("-held_on", "-pk")
        .values("pk")[:1]
    )
    # The content type by its names, joined in the query: no lookup of its own.
    planned = ActionItem.objects.filter(
        origin_type__app_label=ItemScore._meta.app_label,
        origin_type__model=ItemScore._meta.model_name,
        origin_id=OuterRef("pk"),
    )
    return list(
        ItemScore.objects.filter(
            administration__team_id__in=list(team_ids),
            administration__status=Status.COMPLETED,
            administration__held_on__gte=today() - timedelta(days=365),
            not_applicable=False,
        )
        .alias(twice=F("score") * 2)
        .filter(twice__lt=F("item__max_score"))
        .filter(administration_id=Subquery(latest))
        .exclude(Exists(planned))
        .values("administration_id", "administration__team__name", "administration__held_on")
        .annotate(low=Count("pk"))
        .order_by("-low", "administration__team__name")[:5]
    )


def _assessments(request: HttpRequest) -> dict | None:
    user = request.user
    person = standing(user)
    # The teams the person sits on by membership or supports: a cabinet role's seat on the
    # SMT is not a team that gives assessments, so the cabinet's home stays as it was.
    own = {team for team, seat in person.team_roles if seat != CABINET_SEAT}
    own |= person.supported_team_ids
    if not own:
        return None
    live = list(
        Administration.objects.filter(status=Status.IN_PROGRESS)
        .filter(
            Q(facilitator=user)
            | Q(
                pk__in=Administration.participants.through.objects.filter(user=user).values(
                    "administration_id"
                )
            )
        )
        .order_by("-held_on", "-pk")[:3]
    )
    return {"live": live, "without_plan": without_plan_kept(own)}


def without_plan_kept(team_ids) -> list[dict]:
    """`without_plan`, kept until an assessment, a score or an action item changes (their
    newest history rows) or the day turns: an STS's teams hold thousands of scores."""
    ids = sorted(team_ids)
    return kept_until_changed(
        f"without-plan:{hashed(ids)}",
        (Administration, ItemScore, ActionItem),
        lambda: without_plan(ids),
    )


PANEL = HomePanel(
    "assessments", "datasystem/home_panel.html", _assessments, column="side", order=14
)
