"""The meetings in the test world: the SMT's next meeting (the `csso` facilitates, the `smt`
member takes the minutes) with an agenda, a held SMT meeting with a decision and an action
item owned by the `sponsor`, and the district's structured problem-solving meeting with a
problem and a solution. Built once per world, on first use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Decision,
    Format,
    Meeting,
    MeetingSeries,
    Problem,
    Solution,
)
from teams.models import today

from .world import World


@dataclass
class MeetingsWorld:
    smt_series: MeetingSeries
    smt_next: Meeting
    smt_item: AgendaItem
    smt_held: Meeting
    decision: Decision
    action: ActionItem
    district_series: MeetingSeries
    district_meeting: Meeting
    district_item: AgendaItem
    district_action: ActionItem
    problem: Problem
    solution: Solution
    feed: CalendarFeed


def at(days: int, hour: int = 9):
    return timezone.make_aware(datetime.combine(today() + timedelta(days=days), time(hour)))


def meetings_of(world: World) -> MeetingsWorld:
    found = getattr(world, "_meetings", None)
    if found is not None and Meeting.objects.filter(pk=found.smt_next.pk).exists():
        return found
    users = world.users
    smt_series = MeetingSeries.objects.create(team=world.smt, name="SMT monthly")
    smt_held = Meeting.objects.create(
        series=smt_series,
        team=world.smt,
        starts_at=at(-30),
        facilitator=users["csso"],
        status="held",
    )
    decision = Decision.objects.create(
        team=world.smt,
        meeting=smt_held,
        text="Fund two coaching positions for the Northern Region.",
        decided_on=smt_held.held_on,
        review_on=today() + timedelta(days=60),
        recorded_by=users["csso"],
    )
    action = ActionItem.objects.create(
        team=world.smt,
        what="Bring options for substitute coverage",
        owner=users["sponsor"],
        due_on=today() + timedelta(days=10),
        meeting=smt_held,
        created_by=users["csso"],
    )
    smt_next = Meeting.objects.create(
        series=smt_series,
        team=world.smt,
        starts_at=at(7),
        facilitator=users["csso"],
        note_taker=users["smt"],
    )
    smt_item = AgendaItem.objects.create(meeting=smt_next, title="Data review", allotted=20)
    district_series = MeetingSeries.objects.create(
        team=world.district, name="Cedar Falls meetings", format=Format.PROBLEM_SOLVING
    )
    district_meeting = Meeting.objects.create(
        series=district_series,
        team=world.district,
        starts_at=at(-2, 15),
        facilitator=users["district"],
        status="held",
    )
    district_earlier = Meeting.objects.create(
        series=district_series,
        team=world.district,
        starts_at=at(-30, 15),
        facilitator=users["district"],
        status="held",
    )
    district_item = AgendaItem.objects.create(
        meeting=district_meeting, title="Coaching data", allotted=15
    )
    district_action = ActionItem.objects.create(
        team=world.district,
        what="Share the coaching calendar",
        owner=users["district"],
        due_on=today() - timedelta(days=3),
        meeting=district_meeting,
        created_by=users["district"],
    )
    # Defined at the meeting before, so this one checks its effectiveness.
    problem = Problem.objects.create(
        team=world.district,
        meeting=district_earlier,
        what="Referrals rose at lunch.",
        who="Grade 4",
        where="Cafeteria",
        when="11:30",
        why="Thin supervision.",
        goal="Half the referrals in eight weeks.",
        recorded_by=users["district"],
    )
    solution = Solution.objects.create(
        problem=problem,
        action="Reteach expectations",
        owner=users["district"],
        due_on=today() + timedelta(days=14),
    )
    feed = CalendarFeed.objects.create(person=users["district"])
    world._meetings = MeetingsWorld(
        smt_series=smt_series,
        smt_next=smt_next,
        smt_item=smt_item,
        smt_held=smt_held,
        decision=decision,
        action=action,
        district_series=district_series,
        district_meeting=district_meeting,
        district_item=district_item,
        district_action=district_action,
        problem=problem,
        solution=solution,
        feed=feed,
    )
    return world._meetings
