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

from teams.models import Team, TeamRole, below_teams_in_hand, smt_id
from teams.rules import (
    followed_team_ids,
    holds_appointing_role,
    is_admin,
    is_cabinet,
    is_sponsor,
    signed_in,
    sits_on_team,
    supports_team,
)
from teams.standing import standing


def readable_meeting_parts(user, path: str = "team") -> list[Q]:
    """Rule: whose meetings (and their records) a person reads, as the ways a record may be
    readable: `path` leads from the filtered model to the meeting's team ("team" on Meeting,
    Decision, ActionItem). Lists read each part on its own index, as updates do."""
    person = standing(user)
    if person.reads_whole_cascade:
        return [Q()]
    parts = []
    if person.own_team_ids:
        parts.append(Q(**{f"{path}__in": followed_team_ids(user)}))
    if person.is_specialist:
        # The STSs carry the SMT's work to the teams: they read its meetings.
        smt = smt_id()
        if smt:
            parts.append(Q(**{f"{path}": smt}))
    return parts or [Q(pk__in=[])]


def readable_meetings(user, path: str = "team") -> Q:
    """All the parts of the rule in one filter, for one record or a short list."""
    parts = readable_meeting_parts(user, path)
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


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


def teams_run_by(user) -> set[int]:
    """`runs_team` as the set of teams it holds for: those the person leads or supports,
    and the SMT for its chairs. For lists over an STS's 150 teams, where asking the rule of
    each team in turn cost 3 ms; tests hold the two to the same answer."""
    person = standing(user)
    run = {team for team, seat in person.team_roles if seat == TeamRole.LEAD}
    run |= person.supported_team_ids
    smt = smt_id()
    if smt and holds_appointing_role(user):
        run.add(smt)
    return run


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
# The minute taker records the decisions with the minutes.
rules.add_perm("meetings.record_decision", (prepares_meeting | takes_notes) & meeting_is_open)
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


# --- The practice-policy cycle ------------------------------------------------------------------
#
# Anyone on a team (or supporting it) raises a barrier for it; only the team that holds a
# barrier (its members and supporting STSs) resolves, passes up or answers it; the raising
# team confirms the answer. Sponsors and the cabinet read every barrier; others read those of
# their teams and the teams below, and those their teams hold.


def readable_barriers(user, *, joined: bool = False) -> Q:
    """`joined` tests the raising team's place on its own row, joined: for a list read in an
    index's order until a page is full, which looks at a few teams, where the subquery of
    every team the person follows (thousands, for an STS) is computed whole first."""
    person = standing(user)
    if person.reads_whole_cascade:
        return Q()
    parts = Q(pk__in=[])
    if person.own_team_ids:
        if joined:
            own = Team.objects.filter(pk__in=person.own_team_ids).values_list("pk", "level")
            raised = below_teams_in_hand(list(own), "team__")
        else:
            raised = Q(team__in=followed_team_ids(user))
        parts |= raised | Q(holder__in=person.own_team_ids)
    return parts


@rules.predicate
def on_or_supports(user, team) -> bool:
    return team is not None and (sits_on_team(user, team) or supports_team(user, team))


@rules.predicate
def holds_barrier(user, barrier) -> bool:
    return barrier is not None and on_or_supports(user, barrier.holder)


@rules.predicate
def raised_barrier(user, barrier) -> bool:
    return barrier is not None and on_or_supports(user, barrier.team)


@rules.predicate
def reads_barrier(user, barrier) -> bool:
    if barrier is None:
        return False
    person = standing(user)
    if person.reads_whole_cascade or barrier.holder_id in person.own_team_ids:
        return True
    return follows_team(user, barrier.team)


def _stage_is(*stages):
    @rules.predicate
    def at_stage(user, barrier) -> bool:
        return barrier is not None and barrier.stage in stages

    return at_stage


@rules.predicate
def is_specialist(user) -> bool:
    return standing(user).is_specialist


@rules.predicate
def answers_request(user, request) -> bool:
    return request is not None and request.sponsor_id == user.pk


@rules.predicate
def asked_request(user, request) -> bool:
    return request is not None and request.specialist_id == user.pk


@rules.predicate
def request_is_open(user, request) -> bool:
    return request is not None and request.closed_at is None


@rules.predicate
def runs_either_side(user, protocol) -> bool:
    return protocol is not None and (
        runs_team(user, protocol.from_team) or runs_team(user, protocol.to_team)
    )


@rules.predicate
def reads_whole_cascade(user) -> bool:
    return standing(user).reads_whole_cascade


rules.add_perm("meetings.read_barriers", signed_in)
rules.add_perm("meetings.raise_barrier", on_or_supports)


@rules.predicate
def has_teams_below_the_smt(user) -> bool:
    """The SMT has nobody above it to raise a barrier to."""
    return bool(standing(user).own_team_ids - {smt_id()})


rules.add_perm("meetings.raise_some_barrier", has_teams_below_the_smt)
rules.add_perm("meetings.view_barrier", reads_barrier)
rules.add_perm("meetings.escalate_barrier", holds_barrier & _stage_is("open"))
rules.add_perm("meetings.answer_barrier", holds_barrier & _stage_is("open"))
rules.add_perm("meetings.pass_answer_down", holds_barrier & _stage_is("answered"))
rules.add_perm("meetings.confirm_barrier", raised_barrier & _stage_is("returned"))
rules.add_perm("meetings.place_barrier_on_agenda", holds_barrier & _stage_is("open"))
# The sponsors and the cabinet follow every item through; an STS, the items of their teams.
rules.add_perm("meetings.follow_through", reads_whole_cascade | is_specialist)
# The SMT records the changes it makes to the system; the cabinet and sponsors read them
# with everyone else.
rules.add_perm("meetings.record_systemic_change", is_cabinet)
rules.add_perm("meetings.read_systemic_changes", signed_in)

rules.add_perm("meetings.read_protocols", signed_in)
rules.add_perm("meetings.keep_protocol", runs_either_side)
rules.add_perm("meetings.add_protocol", runs_team)

rules.add_perm("meetings.ask_support", is_specialist)
rules.add_perm("meetings.view_support", asked_request | answers_request | holds_appointing_role)
rules.add_perm("meetings.answer_support", answers_request & request_is_open)
rules.add_perm("meetings.reply_support", (asked_request | answers_request) & request_is_open)
rules.add_perm("meetings.close_support", (asked_request | answers_request) & request_is_open)
rules.add_perm("meetings.read_support_times", is_sponsor | holds_appointing_role | is_specialist)
# The support pages: for those who ask, answer or oversee support, and the admins who keep
# the agency's holidays.
rules.add_perm(
    "meetings.open_support", is_sponsor | holds_appointing_role | is_specialist | is_admin
)
rules.add_perm("meetings.share_with_smt", is_specialist | is_sponsor)
rules.add_perm("meetings.keep_holidays", is_admin)
