"""The pages people read: their meetings, a team's series, a meeting, the registers."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from teams.paging import paginate, paginate_newest, paginate_newest_of

from .. import selectors
from ..forms import ActionFilterForm, DecisionFilterForm
from ..models import MeetingSeries
from .access import action_for, decision_for, meeting_for, team_for


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The person's meetings: what is coming up in the teams they sit on or support, and
    what was held."""
    user = request.user
    past, parts = selectors.my_past_meetings(user)
    return render(
        request,
        "meetings/index.html",
        {
            "upcoming": selectors.my_upcoming_meetings(user)[:10],
            "page": paginate_newest_of(
                request, past, parts, order=("-starts_at", "-pk"), per_page=20
            ),
            "smt_next": selectors.smt_next_visible(user),
            "my_actions": selectors.my_action_items(user)[:5],
        },
    )


@login_required
@require_safe
def team(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "meetings.read_team_meetings")
    series = MeetingSeries.objects.filter(team=team).first()
    return render(
        request,
        "meetings/team.html",
        {
            "team": team,
            "series": series,
            "next": selectors.next_meeting(team),
            "page": paginate_newest(request, selectors.team_meetings(team), 20),
        },
    )


@login_required
@require_safe
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.view_meeting")
    return render(
        request,
        "meetings/meeting.html",
        {
            "meeting": meeting,
            "view": selectors.meeting_page(meeting, with_offers=False),
            "sees_offers": _sees_offers(request.user, meeting),
        },
    )


def _sees_offers(user, meeting) -> bool:
    # What is offered for the agenda is shown to those who prepare it, and to those who
    # read every team's work (the cabinet and sponsors); only the former add it.
    return rules.has_perm("meetings.prepare_agenda", user, meeting) or rules.has_perm(
        "teams.read_whole_cascade", user
    )


@login_required
@require_safe
def offers(request: HttpRequest, pk: int) -> HttpResponse:
    """What is offered for a meeting's agenda: loaded after the meeting's page (htmx), or
    as a page of its own without scripts."""
    meeting = meeting_for(request.user, pk, "meetings.view_meeting")
    if not _sees_offers(request.user, meeting):
        raise PermissionDenied("The meeting's facilitator and the cabinet see what is offered.")
    template = "meetings/_offers.html" if request.htmx else "meetings/offers.html"
    return render(
        request,
        template,
        {"meeting": meeting, "offers": selectors.offers_for(meeting)},
    )


@login_required
@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    filters = DecisionFilterForm(request.GET or None)
    found = {}
    if filters.is_valid():
        data = filters.cleaned_data
        found = {
            "team": data["team"],
            "words": data["q"],
            "since": data["since"],
            "until": data["until"],
        }
    return render(
        request,
        "meetings/decisions.html",
        {"filters": filters, "page": selectors.decision_page(request, request.user, **found)},
    )


@login_required
@require_safe
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decision_for(request.user, pk, "meetings.view_decision")
    return render(
        request,
        "meetings/decision.html",
        {"decision": decision, "evidence": selectors.decision_evidence(decision)},
    )


@login_required
@require_safe
def actions(request: HttpRequest) -> HttpResponse:
    """Each person's action items across teams, overdue first; and, for those who run
    teams, their teams' items."""
    filters = ActionFilterForm(request.GET or None)
    closed = filters.is_valid() and filters.cleaned_data["closed"]
    mine = paginate(request, selectors.my_action_items(request.user, show_closed=closed), 25)
    selectors.origins_of(list(mine.object_list))
    led = selectors.led_team_ids(request.user)
    teams_items = []
    if led:
        teams_items = selectors.first_team_action_items(led, excluding=request.user)
        selectors.origins_of(teams_items)
    return render(
        request,
        "meetings/actions.html",
        {"filters": filters, "page": mine, "team_items": teams_items, "leads": bool(led)},
    )


@login_required
@require_safe
def action(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk)
    selectors.origins_of([action])
    return render(request, "meetings/action.html", {"action": action})
