"""Implementation data: training events and coaching sessions, their entry forms and CSV
imports, and the summaries per team and per innovation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from teams.models import Team, User
from teams.paging import paginate_newest
from teams.views.submit import DONE_NOTHING, submitted

from .. import selectors, services
from ..forms import CoachingForm, CsvImportForm, TrainingForm
from ..importers import COACHING_COLUMNS, TRAINING_COLUMNS
from ..rules import recordable_teams
from .access import require, team_for


def _people_for(team: Team, user: User):
    """Who may be named on a team's training or coaching: its people and the recorder."""
    return User.objects.filter(
        Q(pk__in=services.eligible_people(team).values("pk")) | Q(pk=user.pk)
    ).order_by("last_name", "first_name")


@login_required
@require_safe
def implementation(request: HttpRequest) -> HttpResponse:
    """Training and coaching across the teams the person follows, per innovation."""
    summary = selectors.implementation_summary(request.user)
    return render(
        request,
        "datasystem/implementation.html",
        {
            "innovations": summary["innovations"],
            "untrained": summary["untrained"],
            "teams": Team.objects.filter(recordable_teams(request.user)).in_cascade_order()[:30]
            if request.user.has_perm("datasystem.record_some_implementation")
            else [],
        },
    )


@login_required
@require_safe
def training_list(request: HttpRequest) -> HttpResponse:
    page = paginate_newest(request, selectors.training_list(request.user), per_page=20)
    page.object_list = selectors.with_attendee_counts(page.object_list)
    return render(request, "datasystem/training_list.html", {"page": page})


@login_required
@require_safe
def coaching_list(request: HttpRequest) -> HttpResponse:
    page = paginate_newest(request, selectors.coaching_list(request.user), per_page=20)
    return render(request, "datasystem/coaching_list.html", {"page": page})


@login_required
@require_safe
def team_implementation(request: HttpRequest, pk: int) -> HttpResponse:
    """Who on the team has been trained (and who not yet), and its coaching dose."""
    team = team_for(request.user, pk, "datasystem.read_team_data")
    members = selectors.team_training(team)
    return render(
        request,
        "datasystem/team_implementation.html",
        {
            "team": team,
            "members": members,
            "untrained": [m for m in members if not m.trainings],
            "months": selectors.coaching_by_month(team),
            "events": selectors.with_attendee_counts(
                selectors.training_list(request.user).filter(team=team)[:10]
            ),
            "sessions": selectors.coaching_list(request.user).filter(team=team)[:10],
        },
    )


@login_required
def training_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "datasystem.record_implementation")
    form = TrainingForm(request.POST or None, people=_people_for(team, request.user))

    def record():
        event = form.save(commit=False)
        event.team = team
        return services.training_record(
            event=event, attendees=list(form.cleaned_data["attendees"]), by=request.user
        )

    if submitted(request, form, record, success=f"The training for {team} is recorded."):
        return redirect("datasystem:team-implementation", team.pk)
    return render(
        request,
        "datasystem/implementation_form.html",
        {"form": form, "team": team, "what": "training"},
    )


@login_required
def coaching_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "datasystem.record_implementation")
    form = CoachingForm(
        request.POST or None,
        people=_people_for(team, request.user),
        initial={"coach": request.user.pk},
    )

    def record():
        session = form.save(commit=False)
        session.team = team
        return services.coaching_record(session=session, by=request.user)

    if submitted(request, form, record, success=f"The coaching of {team} is recorded."):
        return redirect("datasystem:team-implementation", team.pk)
    return render(
        request,
        "datasystem/implementation_form.html",
        {"form": form, "team": team, "what": "coaching"},
    )


def _import(request: HttpRequest, *, what: str, columns: list[str], service) -> HttpResponse:
    require(
        request.user,
        "datasystem.record_some_implementation",
        message="Only admins and STSs, for the teams they support, record training and coaching.",
    )
    form = CsvImportForm(request.POST or None, request.FILES or None)
    saved = submitted(
        request,
        form,
        lambda: service(text=form.cleaned_data["content"], by=request.user),
        success=lambda rows: f"{len(rows)} {what} record{'s' if len(rows) != 1 else ''} imported.",
    )
    if saved is not DONE_NOTHING:
        return redirect(f"datasystem:{what}")
    return render(
        request,
        "datasystem/csv_import.html",
        {"form": form, "what": what, "columns": columns},
    )


@login_required
def training_import(request: HttpRequest) -> HttpResponse:
    return _import(
        request, what="training", columns=TRAINING_COLUMNS, service=services.training_import
    )


@login_required
def coaching_import(request: HttpRequest) -> HttpResponse:
    return _import(
        request, what="coaching", columns=COACHING_COLUMNS, service=services.coaching_import
    )
