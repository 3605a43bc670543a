from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .. import selectors, services
from ..forms import TeamUpdateForm, UpdateFilterForm
from .access import require, team_for, update_for
from .submit import submitted


@login_required
@require_safe
def update_list(request: HttpRequest) -> HttpResponse:
    filters = UpdateFilterForm(request.GET or None)
    narrow = Q()
    if filters.is_valid():
        if filters.cleaned_data["attention"]:
            narrow &= Q(for_smt_attention=True)
        if filters.cleaned_data["level"]:
            narrow &= Q(team__level=filters.cleaned_data["level"])
    page = selectors.update_page(request, request.user, narrow=narrow, per_page=20)
    return render(request, "teams/update_list.html", {"filters": filters, "page": page})


@login_required
@require_safe
def update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    update = update_for(request.user, pk)
    return render(request, "teams/update_detail.html", {"update": update})


@login_required
def update_log(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Log an update from a team's page, or from anywhere with the team chosen."""
    team, teams = None, None
    if pk is not None:
        team = team_for(request.user, pk, "teams.log_update")
    else:
        require(
            request.user,
            "teams.log_some_update",
            message="You support or sit on no team to log an update for.",
        )
        teams = selectors.teams_for_logging(request.user)
    initial = {"team": request.GET.get("team")} if teams is not None else {}
    form = TeamUpdateForm(request.POST or None, teams=teams, initial=initial)

    def log():
        update = form.save(commit=False)
        update.author = request.user
        if team is not None:
            update.team = team
        return services.team_update_save(update=update)

    if logged := submitted(
        request, form, log, success=lambda u: f"Your update for {u.team} is logged."
    ):
        return redirect(logged.team)
    return render(request, "teams/update_form.html", {"form": form, "team": team})


@login_required
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = update_for(request.user, pk, "teams.change_update")
    form = TeamUpdateForm(request.POST or None, instance=update)
    if submitted(
        request,
        form,
        lambda: services.team_update_save(update=form.save(commit=False)),
        success=f"Your update for {update.team} is saved.",
    ):
        return redirect(update.team)
    return render(
        request, "teams/update_form.html", {"form": form, "team": update.team, "update": update}
    )
