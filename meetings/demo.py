"""The meetings' part of the Lakeland demo.

Every team gets its series. The SMT has 18 months of monthly meetings held (agendas,
attendance, minutes, decisions, action items) and its next meeting scheduled and prepared;
the state teams and the Transformation Zone have six months of their own; the `district`
login's district and two of its buildings use the structured problem-solving format with
a few months of problems, solutions, effectiveness and self-checks. Written once: a team
that already has meetings is left as it is, so a second load adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from teams.demo import DemoRun
from teams.models import Team, TeamRole, User
from teams.registry import DemoPart

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    EffectivenessCheck,
    Format,
    Meeting,
    MeetingSeries,
    Problem,
    SelfCheck,
    Solution,
)
from .selectors import members_of
from .services import carry_forward

REASON = "Loaded the Lakeland demo"
SEED = 20_261_124

SMT_AGENDA = [
    ("Data review: capacity and outcomes", "discussion", 20),
    ("STS report from the Transformation Zone", "information", 15),
    ("Barriers escalated to the SMT", "discussion", 25),
    ("Initiative alignment", "decision", 20),
    ("Successes and adaptive challenges", "information", 10),
]
SMT_MINUTES = [
    "The data team walked through the latest capacity results; the Zone districts moved "
    "faster than the rest on leadership and data use.",
    "The STS described how the Northern Region's district teams now meet on cadence and "
    "pass their updates up each month.",
    "Two barriers about substitute coverage for coaching were discussed; Finance will "
    "bring options to the next meeting.",
    "The cabinet agreed to hold new literacy initiatives until the alignment review.",
    "Cedar Falls shared its first month of coaching logs; attendance at team meetings is up.",
]
SMT_DECISIONS = [
    (
        "Fund two more coaching positions for the Northern Region from Title II.",
        "Coaching dose in the Zone is the strongest predictor of fidelity so far.",
    ),
    (
        "Pause new literacy initiatives until the alignment review is complete.",
        "Three initiatives overlap on the same K-3 population.",
    ),
    (
        "Adopt the monthly practice-to-policy report from each regional team.",
        "Barriers were reaching the SMT months late.",
    ),
    (
        "Ask Federal Programs to align the school improvement plan template with the "
        "district implementation plan.",
        "Districts in the Zone fill in two plans that ask the same questions.",
    ),
    (
        "Publish a one-page summary of the Transformation Zone's progress each quarter.",
        "Visible promotion of capacity development is a duty of the SMT.",
    ),
]
ACTIONS = [
    "Bring options for substitute coverage during coaching days",
    "Draft the quarterly Transformation Zone summary",
    "Meet the Northern Region team about its linking member",
    "Send the alignment review schedule to division heads",
    "Check Title II carry-over available for coaching",
    "Share the data-use protocol with the Southern Region",
]
TEAM_AGENDA = [
    ("Review of last meeting's actions", "information", 10),
    ("Data: coaching and fidelity this month", "discussion", 20),
    ("Barriers and what to pass up", "discussion", 15),
    ("Next steps", "decision", 10),
]
PROBLEMS = [
    (
        "Office referrals for disruption rose in the second half of the term.",
        "Grade 4 and 5 students",
        "Hallways and the cafeteria",
        "Between 11:30 and 12:30",
        "Supervision is thin during lunch transitions and expectations were not retaught.",
        "Referrals from lunch transitions fall by half within eight weeks.",
    ),
    (
        "Too few grade 2 students reach the winter reading benchmark.",
        "Grade 2 students in two classrooms",
        "Core reading block",
        "Since October",
        "The intervention block starts late and small groups are not formed from data.",
        "80% of grade 2 students at benchmark by spring screening.",
    ),
]


def load_meetings(run: DemoRun) -> int:
    loader = MeetingsDemo(run)
    loader.load()
    return loader.rows


def describe() -> list[str]:
    smt_held = Meeting.objects.of_smt().held().count()
    return [
        f"Meetings: {Meeting.objects.count()} across {MeetingSeries.objects.count()} series; "
        f"the SMT's {smt_held} held and its next one prepared; "
        f"{Decision.objects.count()} decisions, "
        f"{ActionItem.objects.open().count()} open action items "
        f"({ActionItem.objects.overdue().count()} overdue).",
    ]


DEMO_PART = DemoPart("meetings", load=load_meetings, describe=describe, order=20)


class MeetingsDemo:
    def __init__(self, run: DemoRun) -> None:
        self.run = run
        self.rng = random.Random(SEED)
        self.rows = 0
        self.people = {u.username: u for u in User.objects.filter(username__in=_LOGINS)}

    def load(self) -> None:
        teams = list(Team.objects.select_related("parent").order_by("cascade_rank", "name"))
        self._series(teams)
        series = {s.team_id: s for s in MeetingSeries.objects.select_related("team")}
        if Meeting.objects.exists():
            return
        smt = next((t for t in teams if t.is_management_team), None)
        if smt is None:
            return
        tips = self._problem_solving_teams()
        for team in teams:
            if team.is_management_team:
                self._history(series[team.pk], months=18, per_month=1)
            elif team.level == "state" or team.in_zone(self.run.day):
                self._history(series[team.pk], months=6, per_month=None)
            else:
                self._next_only(series[team.pk])
        for team in tips:
            self._problem_solving(series[team.pk])
        Team.objects.refresh_activity()

    # --- Series ----------------------------------------------------------------------------

    def _series(self, teams: list[Team]) -> None:
        have = set(MeetingSeries.objects.values_list("team_id", flat=True))
        tips = {t.pk for t in self._problem_solving_teams()}
        new = [
            MeetingSeries(
                team=team,
                name=f"{team.name} meetings" if not team.is_management_team else "SMT monthly",
                format=Format.PROBLEM_SOLVING if team.pk in tips else Format.PLAIN,
                quorum_kind="share",
                quorum_value=50,
                usual_place="Board Room, State Education Building"
                if team.is_management_team
                else f"{team.unit_name or team.name} office",
                usual_start=time(9, 0) if team.cascade_rank <= 2 else time(15, 30),
                usual_length=120 if team.is_management_team else 60,
            )
            for team in teams
            if team.pk not in have
        ]
        self._bulk(MeetingSeries, new)

    def _problem_solving_teams(self) -> list[Team]:
        district = self.people.get("district")
        if district is None:
            return []
        team = Team.objects.filter(
            memberships__person=district, memberships__role=TeamRole.LEAD, level="district"
        ).first()
        if team is None:
            return []
        buildings = list(team.children.order_by("name")[:2])
        return [team, *buildings]

    # --- Meetings --------------------------------------------------------------------------

    def _starts(self, series: MeetingSeries, day: date) -> datetime:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, series.usual_start))

    def _history(self, series: MeetingSeries, *, months: int, per_month: int | None) -> None:
        team = series.team
        members = members_of(team)
        if not members:
            self._next_only(series)
            return
        step = 30 if per_month else max(team.cadence, 7)
        days = list(range(step, months * 30 + 1, step))
        facilitator = self._facilitator(team, members)
        note_taker = next((m for m in members if m != facilitator), facilitator)
        if team.is_management_team and "smt" in self.people:
            # The `smt` login takes the SMT's minutes, and records its decisions with them.
            note_taker = self.people["smt"]
        meetings = [
            Meeting(
                series=series,
                team=team,
                starts_at=self._starts(series, self.run.ago(ago)),
                length=series.usual_length,
                place=series.usual_place,
                facilitator=facilitator,
                note_taker=note_taker,
                status="held" if self.rng.random() > 0.04 else "cancelled",
            )
            for ago in sorted(days, reverse=True)
        ]
        self._bulk(Meeting, meetings)
        held = [m for m in meetings if m.status == "held"]
        self._agendas(held, team)
        self._attendance(held, members)
        self._decisions_and_actions(held, team, members)
        self._next(series, facilitator, note_taker)

    def _facilitator(self, team: Team, members: list[User]) -> User:
        if team.is_management_team and "csso" in self.people:
            return self.people["csso"]
        lead = (
            User.objects.filter(
                memberships__team=team, memberships__role=TeamRole.LEAD, is_active=True
            )
            .filter(Q(memberships__ended_on__isnull=True))
            .first()
        )
        return lead or members[0]

    def _next_only(self, series: MeetingSeries) -> None:
        members = members_of(series.team)
        facilitator = self._facilitator(series.team, members) if members else None
        self._next(series, facilitator, None)

    def _next(self, series: MeetingSeries, facilitator, note_taker) -> None:
        team = series.team
        soon = self.rng.randint(3, max(4, min(team.cadence, 21)))
        meeting = Meeting(
            series=series,
            team=team,
            starts_at=self._starts(series, self.run.day + timedelta(days=soon)),
            length=series.usual_length,
            place=series.usual_place,
            facilitator=facilitator,
            note_taker=note_taker,
        )
        meeting._change_reason = REASON
        meeting.save()
        self.rows += 1
        if team.is_management_team and facilitator is not None:
            # The SMT's next agenda is being prepared: its standing items, then what it owes.
            self._bulk(
                AgendaItem,
                [
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=title,
                        kind=kind,
                        allotted=allotted,
                        presenter=facilitator if position == 0 else None,
                    )
                    for position, (title, kind, allotted) in enumerate(SMT_AGENDA)
                ],
            )
            carry_forward(meeting=meeting, by=facilitator)

    def _agendas(self, held: list[Meeting], team: Team) -> None:
        plan = SMT_AGENDA if team.is_management_team else TEAM_AGENDA
        minutes = SMT_MINUTES if team.is_management_team else None
        items = []
        for meeting in held:
            for position, (title, kind, allotted) in enumerate(plan):
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=title,
                        kind=kind,
                        allotted=allotted,
                        presenter=meeting.facilitator if position == 0 else None,
                        minutes=(minutes[position] if minutes else _team_minute(title)),
                        minutes_by=meeting.note_taker,
                        minutes_at=meeting.starts_at + timedelta(hours=2),
                    )
                )
        self._bulk(AgendaItem, items)

    def _attendance(self, held: list[Meeting], members: list[User]) -> None:
        rows = []
        for meeting in held:
            present = 0
            for person in members:
                roll = self.rng.random()
                presence = "present" if roll < 0.8 else ("absent" if roll < 0.93 else "represented")
                deputy = None
                if presence == "represented":
                    deputy = next((m for m in members if m != person), None)
                    if deputy is None:
                        presence = "absent"
                present += presence != "absent"
                rows.append(
                    Attendance(
                        meeting=meeting, person=person, presence=presence, represented_by=deputy
                    )
                )
            meeting.present_count = present
            meeting.member_count = len(members)
            meeting.quorum_met = present >= meeting.series.quorum_needed(len(members))
        self._bulk(Attendance, rows)
        Meeting.objects.bulk_update(held, ["present_count", "member_count", "quorum_met"])

    def _decisions_and_actions(self, held: list[Meeting], team: Team, members: list[User]) -> None:
        decisions, actions = [], []
        texts = (
            SMT_DECISIONS
            if team.is_management_team
            else [
                (
                    "Meet weekly during the first month of coaching.",
                    "Early implementation needs it.",
                ),
                ("Pass the coaching schedule barrier to the team above.", "We cannot fix it here."),
            ]
        )
        owners = members[:]
        if team.is_management_team and "sponsor" in self.people:
            owners.insert(0, self.people["sponsor"])
        every = 3 if team.is_management_team else 4
        for index, meeting in enumerate(held):
            if index % every:
                continue
            text, why = texts[(index // every) % len(texts)]
            day = meeting.held_on
            # The SMT's latest decisions come back for review about now.
            review = day + timedelta(days=self.rng.choice((60, 90, 180)))
            decisions.append(
                Decision(
                    team=team,
                    meeting=meeting,
                    text=text,
                    rationale=why,
                    decided_on=day,
                    review_on=review,
                    reviewed_on=review if review < self.run.ago(30) else None,
                    without_quorum=meeting.quorum_met is False,
                    recorded_by=meeting.facilitator or members[0],
                )
            )
        for index, meeting in enumerate(held):
            for offset in range(2 if team.is_management_team else 1):
                owner = owners[(index + offset) % len(owners)]
                due = meeting.held_on + timedelta(days=self.rng.choice((14, 21, 30, 45)))
                # Most of what fell due is done; some of the latest is still open.
                recent = due > self.run.ago(12)
                status = "open" if recent and self.rng.random() < 0.7 else "done"
                actions.append(
                    ActionItem(
                        team=team,
                        what=ACTIONS[(index + offset) % len(ACTIONS)],
                        owner=owner,
                        due_on=due,
                        status=status,
                        done_on=min(due, self.run.day) if status == "done" else None,
                        meeting=meeting,
                        created_by=meeting.facilitator or owner,
                    )
                )
        if team.is_management_team and "sponsor" in self.people and held:
            # The `sponsor` login's own open item, overdue, for the home page and /actions/.
            actions.append(
                ActionItem(
                    team=team,
                    what="Report back on the Northern Region's coaching schedule barrier",
                    owner=self.people["sponsor"],
                    due_on=self.run.ago(5),
                    meeting=held[-1],
                    created_by=held[-1].facilitator or self.people["sponsor"],
                )
            )
        if team.is_management_team and len(decisions) >= 2:
            # One of the SMT's decisions has come back for review at its next meeting.
            due = decisions[-2]
            due.review_on, due.reviewed_on = self.run.ago(3), None
        self._bulk(Decision, decisions)
        self._bulk(ActionItem, actions)

    # --- Structured problem solving ---------------------------------------------------------

    def _problem_solving(self, series: MeetingSeries) -> None:
        team = series.team
        meetings = list(Meeting.objects.filter(series=series, status="held").order_by("starts_at"))[
            -4:
        ]
        members = members_of(team)
        if len(meetings) < 2 or not members:
            return
        first, *later = meetings
        analyst = members[-1]
        for meeting in meetings:
            meeting.data_analyst = analyst
        Meeting.objects.bulk_update(meetings, ["data_analyst"])
        problems = [
            Problem(
                team=team,
                meeting=first,
                what=what,
                who=who,
                where=where,
                when=when,
                why=why,
                goal=goal,
                recorded_by=first.facilitator or members[0],
            )
            for what, who, where, when, why, goal in PROBLEMS
        ]
        self._bulk(Problem, problems)
        solutions = []
        for index, problem in enumerate(problems):
            solutions += [
                Solution(
                    problem=problem,
                    action="Reteach expectations for transitions in every class"
                    if index == 0
                    else "Form small groups from the winter screening data",
                    owner=members[index % len(members)],
                    due_on=first.held_on + timedelta(days=21),
                    fidelity="with_fidelity",
                ),
                Solution(
                    problem=problem,
                    action="Add a second adult to the lunch transition"
                    if index == 0
                    else "Start the intervention block on time, daily",
                    owner=members[(index + 1) % len(members)],
                    due_on=first.held_on + timedelta(days=30),
                    fidelity="partly",
                ),
            ]
        self._bulk(Solution, solutions)
        effects = ["no_change", "improved", "goal_met"]
        checks = []
        for step, meeting in enumerate(later):
            for index, problem in enumerate(problems):
                effect = (
                    effects[min(step + index, len(effects) - 1)]
                    if index == 0
                    else (effects[min(step, 1)])
                )
                checks.append(
                    EffectivenessCheck(
                        problem=problem,
                        meeting=meeting,
                        effect=effect,
                        note="From this month's referral and screening data.",
                        recorded_by=meeting.facilitator or members[0],
                    )
                )
        self._bulk(EffectivenessCheck, checks)
        if checks and checks[-len(problems)].effect == "goal_met":
            problems[0].status = "solved"
            problems[0].save()
        self._bulk(
            SelfCheck,
            [
                SelfCheck(
                    meeting=meeting,
                    started_on_time=True,
                    roles_filled=True,
                    reviewed_previous=meeting != first,
                    used_data=True,
                    problems_precise=self.rng.random() > 0.3,
                    actions_assigned=True,
                    ended_on_time=self.rng.random() > 0.4,
                )
                for meeting in meetings
            ],
        )

    def _bulk(self, model, objs: list) -> None:
        if objs:
            bulk_create_with_history(objs, model, batch_size=500, default_change_reason=REASON)
            self.rows += len(objs)


_LOGINS = ("csso", "deputy", "smt", "sponsor", "sts", "district", "building", "admin")


def _team_minute(title: str) -> str:
    return {
        "Review of last meeting's actions": "Most actions are done; the rest carry forward.",
        "Data: coaching and fidelity this month": "Coaching logs show two sessions per "
        "teacher this month; fidelity checks are due next month.",
        "Barriers and what to pass up": "Substitute coverage for coaching days is still short; "
        "the linking member will take it to the team above.",
        "Next steps": "Agreed the coaching calendar for the next month.",
    }.get(title, "")
