from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from teams.paging import paginate

from .selectors import teams_by_cadence


@login_required
@require_safe
def cadences(request: HttpRequest) -> HttpResponse:
    """Every team's meeting cadence, and the teams that have gone quiet for longer than it."""
    quiet_only = request.GET.get("quiet") == "1"
    teams = teams_by_cadence(quiet_only=quiet_only)
    return render(
        request,
        "meetings/cadences.html",
        {"page": paginate(request, teams, 50), "quiet_only": quiet_only},
    )
