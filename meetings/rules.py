"""Who may do what with meetings: one place, asked by views, services, templates and tests.

Team members read their own team's meetings and those of the teams below, as they read
updates; the SMT's meetings are read by the cabinet, sponsors and every STS. The meeting's
facilitator, the team's leads and the STSs who support the team prepare agendas, record
attendance, minutes, decisions and action items (for the SMT, its chair: the CSSO or a
Deputy); an action item's owner marks it done. Nobody else edits.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from teams.models import TeamRole
from teams.rules import (
    followed_team_ids,
    holds_appointing_role,
    signed_in,
    sits_on_team,
    supports_team,
)
from teams.standing import standing


def readable_meetings(user, path: str = "team") -> Q:
    """The records of the meetings the person may read, as a filter: `path` leads from the
    filtered model to the meeting's team ("team" on Meeting, Decision, ActionItem)."""
    person = standing(user)
    if person.reads_whole_cascade:
        return Q()
    parts = Q(pk__in=[])
    if person.own_team_ids:
        parts |= Q(**{f"{path}__in": followed_team_ids(user)})
    if person.is_specialist:
        # The STSs carry the SMT's work to the teams: they read its meetings.
        parts |= Q(**{f"{path}__is_management_team": True})
    return parts


def _team_of(record):
    return getattr(record, "team", record)


@rules.predicate
def follows_team(user, record) -> bool:
    if record is None:
        return False
    team = _team_of(record)
    person = standing(user)
    if person.reads_whole_cascade:
        return True
    if team.is_management_team and person.is_specialist:
        return True
    if not person.own_team_ids:
        return False
    if team.pk in person.own_team_ids:
        return True
    above = {team.state_team_id, team.region_team_id, team.district_team_id, team.parent_id}
    return bool(above & person.own_team_ids)


@rules.predicate
def leads_team(user, record) -> bool:
    if record is None:
        return False
    team = _team_of(record)
    return standing(user).team_role(team.pk) == TeamRole.LEAD


@rules.predicate
def supports_records_team(user, record) -> bool:
    return record is not None and supports_team(user, _team_of(record))


@rules.predicate
def chairs_smt(user, record) -> bool:
    """The CSSO and the Deputies chair the SMT's meetings."""
    return (
        record is not None and _team_of(record).is_management_team and holds_appointing_role(user)
    )


@rules.predicate
def facilitates(user, meeting) -> bool:
    return meeting is not None and meeting.facilitator_id == user.pk


@rules.predicate
def takes_notes(user, meeting) -> bool:
    return meeting is not None and meeting.note_taker_id == user.pk


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def meeting_is_open(user, meeting) -> bool:
    return meeting is not None and meeting.is_open


@rules.predicate
def action_is_open(user, action) -> bool:
    return action is not None and action.status == "open"


# Those who run a team's meetings: its leads, the STSs who support it, and the SMT's chair.
runs_team = leads_team | supports_records_team | chairs_smt
# ...and, for one meeting, its facilitator too.
prepares_meeting = runs_team | facilitates

rules.add_perm("meetings.read_meetings", signed_in)
rules.add_perm("meetings.read_team_meetings", follows_team)
rules.add_perm("meetings.view_meeting", follows_team)
rules.add_perm("meetings.change_series", runs_team)
rules.add_perm("meetings.schedule_meeting", runs_team)
rules.add_perm("meetings.change_meeting", prepares_meeting)
rules.add_perm("meetings.prepare_agenda", prepares_meeting & meeting_is_open)
rules.add_perm("meetings.write_minutes", (prepares_meeting | takes_notes) & meeting_is_open)
rules.add_perm("meetings.record_attendance", prepares_meeting & meeting_is_open)
rules.add_perm("meetings.record_decision", prepares_meeting & meeting_is_open)
rules.add_perm("meetings.add_action", prepares_meeting & meeting_is_open)
rules.add_perm("meetings.solve_problems", prepares_meeting & meeting_is_open)

rules.add_perm("meetings.view_decision", follows_team)
rules.add_perm("meetings.change_decision", runs_team)

rules.add_perm("meetings.view_action", follows_team | owns_action)
rules.add_perm("meetings.complete_action", (owns_action | runs_team) & action_is_open)
rules.add_perm("meetings.drop_action", (owns_action | runs_team) & action_is_open)
rules.add_perm("meetings.see_team_actions", runs_team)
# Outside a meeting (an assessment item turned into an action, a barrier's next step): the
# team's own members, the STSs who support it, and the SMT's chair.
rules.add_perm(
    "meetings.add_team_action",
    rules.predicate(lambda user, team: team is not None and sits_on_team(user, team))
    | supports_records_team
    | chairs_smt,
)

rules.add_perm("meetings.view_problem", follows_team)
rules.add_perm("meetings.change_problem", runs_team)

rules.add_perm("meetings.keep_calendar_feed", signed_in)
