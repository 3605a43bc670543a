"""The dashboards: the SMT's at /data/ (the state's story in one screen, detail below) and a
team's (the team and the teams below it), each chart with its table, summary, CSV and PNG.

The detail below a dashboard (the heat-map, stages, fidelity, reach) is a page of its own,
which the dashboard loads into itself with htmx, so each request stays within its queries;
without scripts it is one link away.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from initiatives.models import StageRecord
from meetings.models import Barrier
from teams.exports import neutralised
from teams.freshness import newest_changes
from teams.models import today

from .. import dashboards
from ..dashboards import Chart, Scope
from ..forms import HeatmapLevelForm
from ..models import Administration, CoachingSession, TrainingEvent
from .access import require, team_for
from .overview import overview


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The SMT's dashboard for those who read the whole cascade; for everyone else, the
    data system's front page with their own teams' dashboards."""
    if not request.user.has_perm("datasystem.read_state_dashboard"):
        return overview(request)
    return render(request, "datasystem/dashboard.html", _main(request, Scope()))


@login_required
@require_safe
def team_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "datasystem.read_team_data")
    return render(request, "datasystem/team_dashboard.html", _main(request, Scope(team)))


@login_required
@require_safe
def detail(request: HttpRequest) -> HttpResponse:
    require(request.user, "datasystem.read_state_dashboard")
    return _detail(request, Scope())


@login_required
@require_safe
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "datasystem.read_team_data")
    return _detail(request, Scope(team))


@login_required
@require_safe
def chart_csv(request: HttpRequest, key: str) -> StreamingHttpResponse:
    require(request.user, "datasystem.read_state_dashboard")
    return _csv(_chart(request, Scope(), key), "state")


@login_required
@require_safe
def team_chart_csv(request: HttpRequest, pk: int, key: str) -> StreamingHttpResponse:
    team = team_for(request.user, pk, "datasystem.read_team_data")
    return _csv(_chart(request, Scope(team), key), team.code or f"team-{team.pk}")


# --- What each page holds ----------------------------------------------------------------------


def _main(request: HttpRequest, scope: Scope) -> dict:
    assessments, barriers = newest_changes(Administration, Barrier)
    level_chart, zone_chart = dashboards.capacity_charts(scope, assessments)
    frame = dashboards.outcome_frame()
    context = {
        "scope": scope,
        "team": scope.team,
        "frame": frame,
        "capacity": level_chart,
        "capacity_zone": zone_chart,
        "waiting": dashboards.waiting(scope, with_reviews=scope.team is None, version=barriers),
        "today": today(),
    }
    if scope.team is None:
        context["outcomes"] = dashboards.zone_outcomes(frame)
    else:
        context["own_outcomes"], context["units_below"] = dashboards.team_outcomes(
            frame, scope.team
        )
    return context


@dataclass
class Detail:
    heatmap: Chart
    stages: Chart
    fidelity: Chart
    reach: Chart
    level_form: HeatmapLevelForm | None


def _detail_of(request: HttpRequest, scope: Scope) -> Detail:
    assessments, stages, training, coaching = newest_changes(
        Administration, StageRecord, TrainingEvent, CoachingSession
    )
    level_form = None
    level = ""
    if scope.team is None:
        level_form = HeatmapLevelForm(request.GET or None)
        level = level_form.cleaned_data.get("level", "") if level_form.is_valid() else ""
    return Detail(
        heatmap=dashboards.heatmap(
            scope, assessments, level=level, page_number=request.GET.get("page", 1)
        ),
        stages=dashboards.stages(scope, stages),
        fidelity=dashboards.fidelity(scope, assessments),
        reach=dashboards.reach(scope, (training, coaching)),
        level_form=level_form,
    )


def _detail(request: HttpRequest, scope: Scope) -> HttpResponse:
    detail = _detail_of(request, scope)
    page = detail.heatmap.page
    context = {
        "scope": scope,
        "team": scope.team,
        "detail": detail,
        # The heat-map's level: the page's filters.
        "filters": detail.level_form,
        # The heat-map's CSV is of the teams the page shows.
        "heatmap_query": (
            f"?level={detail.heatmap.extra['level']}&page={page.number}" if page else ""
        ),
    }
    # Loaded into the dashboard by htmx: the part alone; otherwise a page of its own.
    fragment = request.headers.get("HX-Request") == "true"
    template = f"datasystem/{'_' if fragment else ''}dashboard_detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _chart(request: HttpRequest, scope: Scope, key: str) -> Chart:
    """One chart of a dashboard, by its key, computed as its page computes it."""
    if key in ("capacity-by-level", "capacity-zone"):
        (assessments,) = newest_changes(Administration)
        level_chart, zone_chart = dashboards.capacity_charts(scope, assessments)
        return level_chart if key == "capacity-by-level" else zone_chart
    if key in ("capacity-heatmap", "stages", "fidelity", "reach"):
        detail = _detail_of(request, scope)
        return {
            "capacity-heatmap": detail.heatmap,
            "stages": detail.stages,
            "fidelity": detail.fidelity,
            "reach": detail.reach,
        }[key]
    frame = dashboards.outcome_frame()
    if scope.team is None:
        charts = [chart for pair in dashboards.zone_outcomes(frame) for chart in pair]
    else:
        own, below = dashboards.team_outcomes(frame, scope.team)
        charts = [*own, *([below] if below else [])]
    for chart in charts:
        if chart.key == key:
            return chart
    raise Http404("No such chart.")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(chart: Chart, where: str) -> StreamingHttpResponse:
    """The chart's table, as the page shows it: hidden values stay hidden."""
    writer = csv.writer(_Echo())
    rows = chart.csv_rows()
    if chart.has_hidden:
        rows += [[], *([label, meaning] for label, meaning in dashboards.legend())]
    response = StreamingHttpResponse(
        (writer.writerow([neutralised(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{where}-{chart.key}.csv"'
    return response
