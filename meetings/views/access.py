"""Fetch one meetings record for the signed-in person: 404 when it does not exist or is not
theirs to read, 403 when it is not theirs to act on (the rules live in meetings/rules.py)."""

from __future__ import annotations

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from teams.rules import require
from teams.views.access import team_for

from ..models import ActionItem, AgendaItem, Decision, Meeting, Problem, Solution
from ..rules import readable_meetings

__all__ = [
    "action_for",
    "decision_for",
    "item_for",
    "meeting_for",
    "problem_for",
    "require",
    "solution_for",
    "team_for",
]


def meeting_for(user, pk: int, perm: str | None = None) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.filter(readable_meetings(user)).select_related(
            "series", "team__parent", "facilitator", "note_taker", "data_analyst"
        ),
        pk=pk,
    )
    if perm:
        require(user, perm, meeting)
    return meeting


def item_for(user, meeting: Meeting, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk, meeting=meeting)
    item.meeting = meeting
    return item


def decision_for(user, pk: int, perm: str | None = None) -> Decision:
    decision = get_object_or_404(
        Decision.objects.filter(readable_meetings(user)).select_related(
            "team", "meeting", "recorded_by", "agenda_item"
        ),
        pk=pk,
    )
    if perm:
        require(user, perm, decision)
    return decision


def action_for(user, pk: int, perm: str = "meetings.view_action") -> ActionItem:
    action = get_object_or_404(
        ActionItem.objects.select_related("team", "owner", "meeting", "created_by"), pk=pk
    )
    # Someone who may not read it gets the same answer as for one that does not exist.
    if not rules.has_perm("meetings.view_action", user, action):
        raise Http404("No such action item.")
    require(user, perm, action)
    return action


def problem_for(user, meeting: Meeting, pk: int) -> Problem:
    return get_object_or_404(Problem.objects.select_related("meeting"), pk=pk, team=meeting.team)


def solution_for(user, meeting: Meeting, pk: int) -> Solution:
    return get_object_or_404(
        Solution.objects.select_related("problem"), pk=pk, problem__team=meeting.team
    )
