from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from teams.freshness import remembered
from teams.models import Team
from teams.paging import paginate


@login_required
@require_safe
def transformation_zone(request: HttpRequest) -> HttpResponse:
    """The Transformation Zone: where the agency's innovations are installed and proven first."""
    teams = Team.objects.in_zone().select_related("parent").in_cascade_order("name")
    # Who is in the Zone changes with a team's dates (and so the cascade) or the day.
    count = remembered("zone-count", ("cascade",), teams.count)
    return render(
        request, "initiatives/zone.html", {"page": paginate(request, teams, 50, count=count)}
    )
