from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from teams.freshness import remembered
from teams.models import Team
from teams.standing import standing

from ..selectors import capacity_by_period, development_by_level


def overview(request: HttpRequest) -> HttpResponse:
    """The data system's front page for those who follow some teams (the SMT's dashboard
    is for those who read the whole cascade): capacity in and out of the Transformation
    Zone, the cascade's development, and the way to each team's own data and dashboard."""
    # The same for everyone: kept until a review is recorded or the cascade changes.
    rows = remembered("development-by-level", ("development", "cascade"), development_by_level)
    periods = capacity_by_period()
    own = standing(request.user).own_team_ids
    teams = list(Team.objects.filter(pk__in=own).in_cascade_order()[:12]) if own else []
    return render(
        request,
        "datasystem/index.html",
        {"rows": rows, "periods": periods, "teams": teams, "chart": _zone_chart(periods)},
    )


def _zone_chart(periods: list[dict]) -> dict:
    return {
        "type": "line",
        "labels": [p["label"] for p in periods],
        "series": [
            {"label": "Transformation Zone", "data": [p["zone"] for p in periods]},
            {"label": "Rest of the state", "data": [p["rest"] for p in periods]},
        ],
        "max": 100,
    }
