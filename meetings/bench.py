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

from teams.models import CABINET_ROLES, Membership, Role, RoleAssignment, Team, TeamRole
from teams.registry import BenchPart

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    EffectivenessCheck,
    Meeting,
    MeetingSeries,
    Problem,
    SelfCheck,
    Solution,
)
from .services import bring_forward

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
# Decisions are as varied as the teams' work, so a search finds a few among many, as it
# would in a real register (four texts repeated would make every word match a quarter).
DECISION_VERBS = (
    "Adopt", "Pilot", "Fund", "Pause", "Extend", "Review", "Schedule", "Share",
    "Protect", "Revise", "Train staff on", "Ask the district about",
)  # fmt: skip
DECISION_OBJECTS = (
    "the coaching calendar", "the fidelity walkthrough form", "release time for the data lead",
    "the screening schedule", "small-group intervention", "the practice profile",
    "the behaviour expectations matrix", "family engagement nights", "the literacy block",
    "the mathematics pacing guide", "substitute coverage", "the new-teacher induction",
    "the attendance protocol", "peer observation rounds", "the data wall",
    "the tiered support plan", "summer training", "the bus schedule change",
    "the progress monitoring tool", "classroom walkthroughs",
)  # fmt: skip
DECISION_WHEN = (
    "this term", "for the rest of the year", "from January", "in two buildings first",
    "until the next review", "with the team above", "after the spring screening",
    "for grades K-3",
)  # fmt: skip
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
        # The SMT's table is the cabinet, which sits by role, not by seat: as in the demo, the
        # CSSO leads (facilitates) and the `smt` login takes the minutes.
        cabinet = sorted(
            RoleAssignment.objects.filter(role__in=CABINET_ROLES)
            .current(self.day)
            .values_list("person_id", "role", "person__username"),
            key=lambda row: (row[1] != Role.CSSO, row[2] != "smt", row[0]),
        )
        for pk, _, smt, _ in self.teams:
            if smt:
                seated = {p for p, _ in seats[pk]}
                seats[pk] += [
                    (p, TeamRole.LEAD if role == Role.CSSO else TeamRole.MEMBER)
                    for p, role, _ in cabinet
                    if p not in seated
                ]
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
        state.reset_sequences()
        Team.objects.refresh_activity()
        self._as_in_the_demo()

    def _as_in_the_demo(self) -> None:
        """The pages measured have the demo's shape: the SMT's next meeting prepared with
        what it carries forward, and the `district` login's team solving problems in the
        structured format, with a problem, its solutions, a check and a self-check."""
        smt_next = Meeting.objects.of_smt().filter(status="scheduled").order_by("starts_at")
        if smt_next.exists():
            # As in the demo, one of the SMT's decisions comes due for review at it.
            due = (
                Decision.objects.filter(team__is_management_team=True, reviewed_on__isnull=True)
                .order_by("-decided_on", "-pk")
                .first()
            )
            if due is not None:
                Decision.objects.filter(pk=due.pk).update(review_on=self.day - timedelta(days=3))
            bring_forward(meeting=smt_next.first())
        seat = (
            Membership.objects.current(self.day)
            .filter(person__username="district", role=TeamRole.LEAD, team__level="district")
            .order_by("team_id")
            .first()
        )
        if seat is None:
            return
        MeetingSeries.objects.filter(team_id=seat.team_id).update(format="problem_solving")
        held = list(
            Meeting.objects.filter(team_id=seat.team_id, status="held").order_by("-starts_at")[:2]
        )
        if len(held) < 2:
            return
        latest, earlier = held
        lead = latest.facilitator_id
        problem = Problem.objects.create(
            team_id=seat.team_id,
            meeting=earlier,
            what="Referrals for disruption rose in the second half of the term.",
            who="Grade 4 and 5 students",
            where="Hallways and the cafeteria",
            when="Between 11:30 and 12:30",
            why="Supervision is thin during lunch transitions.",
            goal="Referrals from lunch transitions fall by half within eight weeks.",
            recorded_by_id=lead,
        )
        Solution.objects.create(
            problem=problem,
            action="Reteach expectations for transitions in every class",
            owner_id=lead,
            due_on=latest.held_on,
            fidelity="partly",
        )
        EffectivenessCheck.objects.create(
            problem=problem, meeting=latest, effect="improved", recorded_by_id=lead
        )
        SelfCheck.objects.create(meeting=latest, started_on_time=True, roles_filled=True)

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
                        "text": f"{rng.choice(DECISION_VERBS)} {rng.choice(DECISION_OBJECTS)} "
                        f"{rng.choice(DECISION_WHEN)}.",
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


# The open action items the demo's logins own, by where each came from (None: a meeting), as
# meetings/demo.py and datasystem/demo.py give them: each login's list of action items has
# the demo's shape in the benchmark state too, whatever the generators gave the logins.
DEMO_OWNED = {
    "deputy": [None],
    "sponsor": [None],
    "building": [None],
    "district": ["assessment-item"],
}


def build_logins_items(state: Any) -> None:
    from teams.demo import DEMO_USERNAMES
    from teams.models import User

    from .registry import linkables

    state.reset_sequences()  # the parts before wrote their own keys with COPY
    smt = Team.objects.filter(is_management_team=True).values_list("pk", flat=True).first()
    logins = User.objects.filter(username__in=DEMO_USERNAMES)
    ActionItem.objects.filter(owner__in=logins, status="open").update(
        status="done", done_on=state.day
    )
    for person in logins.filter(username__in=DEMO_OWNED):
        seat = (
            Membership.objects.current(state.day).filter(person=person).order_by("team_id").first()
        )
        team_id = seat.team_id if seat else smt  # the cabinet sits on the SMT by its roles
        for kind in DEMO_OWNED[person.username]:
            origin = None
            if kind is not None:
                origin = linkables.get(kind).model._default_manager.order_by("pk").first()
            ActionItem.objects.create(
                team_id=team_id,
                what="Bring the coaching calendar to the next meeting.",
                owner=person,
                due_on=state.day + timedelta(days=10),
                origin=origin,
                created_by=person,
            )

    # The specialist's list of their teams' items shows, as in the demo, an assessment
    # item's plan among the overdue ones.
    sts = logins.filter(username="sts").first()
    team = Team.objects.filter(specialists=sts).order_by("pk").first() if sts else None
    seat = Membership.objects.current(state.day).filter(team=team).exclude(person=sts).first()
    if seat is not None:
        ActionItem.objects.create(
            team=team,
            what="Put in place the practice the capacity assessment found missing.",
            owner_id=seat.person_id,
            due_on=state.day - timedelta(days=800),
            origin=linkables.get("assessment-item").model._default_manager.order_by("pk").first(),
            created_by_id=seat.person_id,
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
        ("/meetings/decisions/?q=", "smt", "/meetings/decisions/?q=walkthrough"),
        ("/meetings/<SMT next>/", "csso", _smt_next),
        ("/meetings/<SMT next>/", "smt", _smt_next),
        ("/meetings/<SMT next>/", "sts", _smt_next),
        ("/meetings/<SMT next>/offers/", "csso", lambda state: _smt_next(state) + "offers/"),
        ("/meetings/team/<district>/", "district", _district_meetings),
        ("/meetings/<district latest>/", "district", _latest_district_meeting),
    ]
    return rows


BENCH_PART = BenchPart("meetings", build=build, pages=pages, order=20, version=3)
# After every part that writes action items (the data system's plans among them).
LOGINS_PART = BenchPart("meetings-logins", build=build_logins_items, order=90, version=2)
