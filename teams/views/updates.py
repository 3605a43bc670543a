from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from smt_portal.paging import paginate

from .. import selectors, services
from ..forms import TeamUpdateForm, UpdateFilterForm, add_service_errors
from ..models import TeamUpdate
from .access import team_for, update_for


@login_required
def update_list(request: HttpRequest) -> HttpResponse:
    filters = UpdateFilterForm(request.GET or None)
    updates = selectors.updates_visible_to(request.user)
    if filters.is_valid():
        if filters.cleaned_data["attention"]:
            updates = updates.for_smt_attention()
        if filters.cleaned_data["level"]:
            updates = updates.filter(team__level=filters.cleaned_data["level"])
    return render(
        request,
        "teams/update_list.html",
        {"filters": filters, "page": paginate(request, updates, 20)},
    )


@login_required
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
        teams = selectors.teams_for_logging(request.user)
        if not teams.exists():
            raise PermissionDenied("You support or sit on no team to log an update for.")
    initial = {"team": request.GET.get("team")} if teams is not None else {}
    form = TeamUpdateForm(request.POST or None, teams=teams, initial=initial)
    if form.is_valid():
        update = form.save(commit=False)
        update.author = request.user
        if team is not None:
            update.team = team
        if _saved(request, form, update, "logged"):
            return redirect(update.team)
    return render(request, "teams/update_form.html", {"form": form, "team": team})


@login_required
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = update_for(request.user, pk, "teams.change_update")
    form = TeamUpdateForm(request.POST or None, instance=update)
    if form.is_valid() and _saved(request, form, form.save(commit=False), "saved"):
        return redirect(update.team)
    return render(
        request, "teams/update_form.html", {"form": form, "team": update.team, "update": update}
    )


def _saved(request: HttpRequest, form: TeamUpdateForm, update: TeamUpdate, done: str) -> bool:
    """Save through the service; a refusal goes onto the form, for the caller to show again."""
    try:
        services.team_update_save(update=update)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, f"Your update for {update.team} is {done}.")
    return True
