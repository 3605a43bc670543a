"""Fetch one meetings record for the signed-in person: 404 when it does not exist or is not
theirs to read, 403 when it is not theirs to act on (the rules live in meetings/rules.py)."""

from __future__ import annotations

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from teams.models import User
from teams.rules import require
from teams.views.access import team_for

from ..models import (
    ActionItem,
    AgendaItem,
    Barrier,
    Decision,
    LinkProtocol,
    Meeting,
    Problem,
    Solution,
    SupportRequest,
)

__all__ = [
    "action_for",
    "barrier_for",
    "protocol_for",
    "support_for",
    "decision_for",
    "item_for",
    "meeting_for",
    "problem_for",
    "require",
    "solution_for",
    "team_for",
]


def _readable(user, queryset, pk: int, view: str, what: str):
    """The record, if it exists and the person may read it (the rule `view`, decided on the
    record in hand and its team's ancestry). Filtering by the readable teams instead adds
    their subquery to a join of six tables, which PostgreSQL took 7 ms to plan. Someone who
    may not read it gets the same answer as for one that does not exist."""
    record = get_object_or_404(queryset, pk=pk)
    if not rules.has_perm(view, user, record):
        raise Http404(f"No such {what}.")
    return record


def meeting_for(user, pk: int, perm: str | None = None) -> Meeting:
    meeting = _readable(
        user,
        Meeting.objects.select_related("series", "team"),
        pk,
        "meetings.view_meeting",
        "meeting",
    )
    _with_roles(meeting)
    if perm:
        require(user, perm, meeting)
    return meeting


ROLES = ("facilitator", "note_taker", "data_analyst")


def _with_roles(meeting: Meeting) -> None:
    """The people in the meeting's roles, in one query by their keys: joined to the meeting
    with its series and team, their three joins tripled the time PostgreSQL took to plan
    the page's first query."""
    ids = {getattr(meeting, f"{role}_id") for role in ROLES} - {None}
    people = User.objects.in_bulk(ids) if ids else {}
    for role in ROLES:
        Meeting._meta.get_field(role).set_cached_value(
            meeting, people.get(getattr(meeting, f"{role}_id"))
        )


def item_for(user, meeting: Meeting, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk, meeting=meeting)
    item.meeting = meeting
    return item


def decision_for(user, pk: int, perm: str | None = None) -> Decision:
    decision = _readable(
        user,
        Decision.objects.select_related("team", "meeting", "recorded_by", "agenda_item"),
        pk,
        "meetings.view_decision",
        "decision",
    )
    if perm:
        require(user, perm, decision)
    return decision


def action_for(user, pk: int, perm: str = "meetings.view_action") -> ActionItem:
    action = _readable(
        user,
        ActionItem.objects.select_related("team", "owner", "meeting", "created_by"),
        pk,
        "meetings.view_action",
        "action item",
    )
    require(user, perm, action)
    return action


def problem_for(user, meeting: Meeting, pk: int) -> Problem:
    return get_object_or_404(Problem.objects.select_related("meeting"), pk=pk, team=meeting.team)


def solution_for(user, meeting: Meeting, pk: int) -> Solution:
    return get_object_or_404(
        Solution.objects.select_related("problem"), pk=pk, problem__team=meeting.team
    )


def barrier_for(user, pk: int, perm: str | None = None) -> Barrier:
    barrier = _readable(
        user,
        Barrier.objects.select_related(
            "team__parent", "holder__parent", "raised_by", "answered_by_team", "merged_into"
        ),
        pk,
        "meetings.view_barrier",
        "barrier",
    )
    if perm:
        require(user, perm, barrier)
    return barrier


def protocol_for(user, pk: int, perm: str = "meetings.read_protocols") -> LinkProtocol:
    protocol = get_object_or_404(
        LinkProtocol.objects.select_related(
            "from_team", "to_team", "responsible_from", "responsible_to"
        ),
        pk=pk,
    )
    require(user, perm, protocol)
    return protocol


def support_for(user, pk: int, perm: str = "meetings.view_support") -> SupportRequest:
    request = _readable(
        user,
        SupportRequest.objects.select_related("specialist", "sponsor"),
        pk,
        "meetings.view_support",
        "support request",
    )
    require(user, perm, request)
    return request
