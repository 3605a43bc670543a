"""The meetings' part of the benchmark state: 18 months of meetings for every team on its
cadence, with agendas and minutes, attendance, decisions and action items (about a million
rows), and each team's next meeting scheduled with what it carries forward.

Planned from the teams and seats the base's part wrote (read back in a few queries) and
written with COPY, like the base's part. Attendance is recorded for a sample of seats,
enough for quorum and the pages' shape.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from teams.models import Membership, Team, TeamRole
from teams.registry import BenchPart

from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, MeetingSeries

MONTHS = 18
AGENDA = (
    ("Review of last meeting's actions", "information", 10),
    ("Data: coaching and fidelity", "discussion", 20),
    ("Barriers and what to pass up", "discussion", 15),
)
MINUTES = (
    "Most actions are done; the rest carry forward to the next meeting.",
    "Coaching logs show two sessions per teacher this month; fidelity checks come next.",
    "Substitute coverage is still short; the linking member takes it to the team above.",
)
DECISIONS = (
    "Meet weekly during the first month of coaching.",
    "Pass the coaching schedule barrier to the team above.",
    "Adopt the practice profile's walkthrough form for fidelity checks.",
    "Ask the district for release time for the data lead.",
)
ACTIONS = (
    "Bring options for substitute coverage during coaching days",
    "Share this month's coaching logs with the team above",
    "Schedule fidelity observations for the new teachers",
    "Update the team's terms of reference",
)


def build(state: Any) -> None:
    MeetingsWriter(state).write()


class MeetingsWriter:
    def __init__(self, state: Any) -> None:
        self.state = state
        self.day: date = state.day
        self.rng = state.rng("meetings:history")
        self.teams = list(
            Team.objects.order_by("pk").values_list("pk", "cadence", "is_management_team", "name")
        )
        seats: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for team_id, person_id, role in Membership.objects.current(self.day).values_list(
            "team_id", "person_id", "role"
        ):
            seats[team_id].append((person_id, role))
        self.seats = seats
        self.action_type = ContentType.objects.get_for_model(ActionItem).pk

    def write(self) -> None:
        state = self.state
        series_ids = state.ids(MeetingSeries, len(self.teams))
        self.series = dict(zip((t[0] for t in self.teams), series_ids, strict=True))
        state.copy(
            MeetingSeries,
            (
                {
                    "id": self.series[pk],
                    "team_id": pk,
                    "name": "SMT monthly" if smt else f"{name} meetings"[:200],
                    "usual_place": "Board Room" if smt else "District office",
                    "usual_length": 120 if smt else 60,
                }
                for pk, _, smt, name in self.teams
            ),
        )
        meetings, agenda, attendance, decisions, actions = [], [], [], [], []
        for pk, cadence, smt, _ in self.teams:
            self._team(pk, cadence, smt, meetings, agenda, attendance, decisions, actions)
        state.copy(Meeting, meetings)
        state.copy(AgendaItem, agenda)
        state.copy(Attendance, attendance)
        state.copy(Decision, decisions)
        state.copy(ActionItem, actions)
        Team.objects.refresh_activity()

    def _moment(self, day: date, hour: int = 15) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, 30)))

    def _team(self, pk, cadence, smt, meetings, agenda, attendance, decisions, actions) -> None:
        rng = self.rng
        seats = self.seats.get(pk, [])
        people = [p for p, _ in seats]
        lead = next(
            (p for p, role in seats if role == TeamRole.LEAD), people[0] if people else None
        )
        step = 30 if smt else max(cadence, 7)
        # Weekly teams would be 78 meetings in 18 months: keep each team's rows comparable by
        # sampling every other meeting of the fastest cadences.
        step = max(step, 14)
        days_ago = list(range(MONTHS * 30 - rng.randint(0, step - 1), 0, -step))
        ids = self.state.ids(Meeting, len(days_ago) + 1)
        for n, ago in enumerate(days_ago):
            meeting_id = ids[n]
            day = self.day - timedelta(days=ago)
            held = rng.random() > 0.05
            present = 0
            if held and people:
                for person in people[:4]:
                    came = rng.random() < 0.82
                    present += came
                    attendance.append(
                        {
                            "meeting_id": meeting_id,
                            "person_id": person,
                            "presence": "present" if came else "absent",
                        }
                    )
            meetings.append(
                {
                    "id": meeting_id,
                    "series_id": self.series[pk],
                    "team_id": pk,
                    "starts_at": self._moment(day, 9 if smt else 15),
                    "length": 120 if smt else 60,
                    "facilitator_id": lead,
                    "note_taker_id": people[1] if len(people) > 1 else lead,
                    "status": "held" if held else "cancelled",
                    "quorum_met": (present >= max(1, (min(len(people), 4) + 1) // 2))
                    if held and people
                    else None,
                    "present_count": present,
                    "member_count": min(len(people), 4),
                }
            )
            if not held:
                continue
            item_ids = self.state.ids(AgendaItem, 2)
            for position in range(2):
                title, kind, allotted = AGENDA[(n + position) % len(AGENDA)]
                agenda.append(
                    {
                        "id": item_ids[position],
                        "meeting_id": meeting_id,
                        "position": position,
                        "title": title,
                        "kind": kind,
                        "allotted": allotted,
                        "minutes": MINUTES[(n + position) % len(MINUTES)],
                        "minutes_by_id": lead,
                        "minutes_at": self._moment(day, 17),
                    }
                )
            if n % 3 == 0 and lead is not None:
                review = day + timedelta(days=rng.choice((60, 90, 180)))
                decisions.append(
                    {
                        "team_id": pk,
                        "meeting_id": meeting_id,
                        "agenda_item_id": item_ids[1],
                        "text": DECISIONS[n % len(DECISIONS)],
                        "rationale": "The team weighed this month's data.",
                        "decided_on": day,
                        "review_on": review,
                        "reviewed_on": review if review < self.day - timedelta(days=20) else None,
                        "recorded_by_id": lead,
                        "recorded_at": self._moment(day, 17),
                    }
                )
            if people:
                due = day + timedelta(days=rng.choice((14, 21, 30)))
                open_ = due > self.day - timedelta(days=30) and rng.random() < 0.6
                actions.append(
                    {
                        "team_id": pk,
                        "what": ACTIONS[n % len(ACTIONS)],
                        "owner_id": people[n % len(people)],
                        "due_on": due,
                        "status": "open" if open_ else "done",
                        "done_on": None if open_ else min(due, self.day),
                        "meeting_id": meeting_id,
                        "created_by_id": lead,
                        "created_at": self._moment(day, 17),
                    }
                )
        # The next meeting, scheduled.
        soon = self.day + timedelta(days=rng.randint(2, 20))
        meetings.append(
            {
                "id": ids[len(days_ago)],
                "series_id": self.series[pk],
                "team_id": pk,
                "starts_at": self._moment(soon, 9 if smt else 15),
                "length": 120 if smt else 60,
                "facilitator_id": lead,
                "status": "scheduled",
            }
        )


# --- The pages measured -----------------------------------------------------------------------


def _smt_next(state: Any) -> str:
    meeting = Meeting.objects.of_smt().filter(status="scheduled").order_by("starts_at").first()
    return reverse("meetings:meeting", args=[meeting.pk])


def _district_meetings(state: Any) -> str:
    seat = (
        Membership.objects.current()
        .filter(person__username="district", role=TeamRole.LEAD, team__level="district")
        .order_by("team_id")
        .first()
    )
    return reverse("meetings:team", args=[seat.team_id])


def _latest_district_meeting(state: Any) -> str:
    seat = (
        Membership.objects.current()
        .filter(person__username="district", role=TeamRole.LEAD, team__level="district")
        .order_by("team_id")
        .first()
    )
    meeting = Meeting.objects.filter(team_id=seat.team_id, status="held").order_by("-starts_at")
    return reverse("meetings:meeting", args=[meeting.first().pk])


def pages(state: Any) -> list[tuple[str, str, Any]]:
    from teams.demo import DEMO_USERNAMES

    rows = [("/meetings/", role, "/meetings/") for role in DEMO_USERNAMES]
    rows += [("/meetings/actions/", role, "/meetings/actions/") for role in DEMO_USERNAMES]
    rows += [
        ("/meetings/decisions/", role, "/meetings/decisions/")
        for role in ("csso", "smt", "sts", "district")
    ]
    rows += [
        ("/meetings/decisions/?q=", "smt", "/meetings/decisions/?q=coaching"),
        ("/meetings/<SMT next>/", "csso", _smt_next),
        ("/meetings/<SMT next>/", "smt", _smt_next),
        ("/meetings/<SMT next>/", "sts", _smt_next),
        ("/meetings/team/<district>/", "district", _district_meetings),
        ("/meetings/<district latest>/", "district", _latest_district_meeting),
    ]
    return rows


BENCH_PART = BenchPart("meetings", build=build, pages=pages, order=20, version=1)
