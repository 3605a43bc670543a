"""Stages of implementation: the heat-map, a team's innovations, and recording a move."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from teams.models import Team, today
from teams.paging import paginate
from teams.standing import standing
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import HeatmapFilterForm, StageForm
from ..models import Stage, StageRecord
from .access import require, team_for


@login_required
@require_safe
def heatmap(request: HttpRequest) -> HttpResponse:
    """Units by innovation, each cell the unit's current stage (in words and colour) and
    how long it has sat there; the Zone against the rest beneath."""
    require(request.user, "initiatives.read")
    filters = HeatmapFilterForm(request.GET or None)
    asked = filters.cleaned_data if filters.is_valid() else {}
    innovation = asked.get("innovation")
    columns = selectors.heatmap_columns(innovation)
    chosen = {
        "region": asked.get("region"),
        "level": asked.get("level", ""),
        "zone": asked.get("zone", ""),
        "innovation": innovation,
    }
    teams = selectors.heatmap_teams(**chosen)
    page = paginate(request, teams, 25, count=selectors.heatmap_count(**chosen))
    return render(
        request,
        "initiatives/heatmap.html",
        {
            "filters": filters,
            "columns": columns,
            "rows": selectors.heatmap_rows(list(page.object_list), columns),
            "page": page,
            "stages": Stage.choices,
            "zone": selectors.zone_comparison(columns),
            "may_record": rules.has_perm("initiatives.record_some_stage", request.user),
        },
    )


@login_required
@require_safe
def team_stages(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk)
    current, history = selectors.stages_of_team(team)
    return render(
        request,
        "initiatives/team_stages.html",
        {
            "team": team,
            "current": current,
            "history": history,
            "may_record": rules.has_perm("initiatives.record_stage", request.user, team),
        },
    )


@login_required
def stage_new(request: HttpRequest) -> HttpResponse:
    require(
        request.user,
        "initiatives.record_some_stage",
        message="Stages are recorded by the STSs who support the teams.",
    )
    teams = Team.objects.filter(pk__in=standing(request.user).supported_team_ids)
    initial = {"entered_on": today()}
    for name in ("team", "innovation"):
        raw = request.GET.get(name, "")
        if raw.isdecimal() and raw.isascii() and len(raw) < 12:
            initial[name] = int(raw)
    form = StageForm(
        request.POST or None,
        instance=StageRecord(recorded_by=request.user),
        teams=teams,
        initial=initial,
    )
    if saved := submitted(
        request,
        form,
        lambda: services.stage_record(record=form.save(commit=False), by=request.user),
        success=lambda r: f"{r.team} is in {r.get_stage_display().lower()} of {r.innovation}.",
    ):
        return redirect("initiatives:team-stages", saved.team_id)
    return render(request, "initiatives/stage_form.html", {"form": form})
