"""The data system's part of the benchmark state (`make bench`).

A capacity instrument per level of 48 items in six sections (the size of the longer real
instruments), four completed administrations per team over two years with every item
scored (about 2 million scores at full scale), their participants, and training and
coaching for every team, and the outcome values (`bench_outcomes`). Written with
`state.copy` (PostgreSQL COPY) after the cascade, reading the teams and seats the base's
part wrote. The audit history is not written for these rows, as the base's part does not
write it for its own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from meetings.models import ActionItem, ActionStatus
from teams.models import Level, Membership, Team, TeamRole
from teams.registry import BenchJob, BenchPart

from . import bench_outcomes
from .importers import DEFAULT_RUBRIC, InstrumentDefinition, ItemDefinition, SectionDefinition
from .models import (
    Administration,
    CoachingSession,
    ItemScore,
    Status,
    TrainingEvent,
)
from .services import instrument_from_definition

ROUNDS_DAYS_AGO = (720, 540, 360, 180)
SECTIONS = ("Leadership", "Teaming", "Competency", "Organisation", "Data", "Communication")
ITEMS_PER_SECTION = 8
LEVELS = {
    "bench-state-capacity": [Level.STATE, Level.REGIONAL],
    "bench-district-capacity": [Level.DISTRICT],
    "bench-building-capacity": [Level.BUILDING],
}
INNOVATIONS = ("structured literacy in grades K-3", "explicit, tiered mathematics instruction")


def _definition(key: str, levels: list[str]) -> InstrumentDefinition:
    return InstrumentDefinition(
        key=key,
        name=f"{key.removeprefix('bench-').replace('-', ' ').title()} (benchmark)",
        kind="capacity",
        description="Generated for the benchmark state.",
        levels=list(levels),
        due_every_days=182,
        innovation="",
        threshold=None,
        is_demo=True,
        sections=[
            SectionDefinition(
                title.lower(),
                title,
                [
                    ItemDefinition(
                        f"{title.lower()}-{n}",
                        f"{title}: the team has practice {n} of its infrastructure in place.",
                        DEFAULT_RUBRIC,
                    )
                    for n in range(1, ITEMS_PER_SECTION + 1)
                ],
            )
            for title in SECTIONS
        ],
    )


def build(state: Any) -> None:
    versions = {}
    for key, levels in LEVELS.items():
        instrument, _ = instrument_from_definition(definition=_definition(key, levels), by=None)
        version = instrument.latest_version()
        items = list(version.items.values_list("pk", "max_score"))
        for level in levels:
            versions[level] = (instrument.pk, version.pk, items)
    seats: dict[int, list[int]] = defaultdict(list)
    leads: dict[int, int] = {}
    for team_id, person_id, role in (
        Membership.objects.current()
        .order_by("team_id", "pk")
        .values_list("team_id", "person_id", "role")
    ):
        seats[team_id].append(person_id)
        if role == TeamRole.LEAD:
            leads.setdefault(team_id, person_id)
    teams = list(
        Team.objects.filter(is_management_team=False)
        .order_by("pk")
        .values_list("pk", "level", "zone_entered_on")
    )
    writer = Writer(state, versions, seats, leads, teams)
    writer.write()
    bench_outcomes.build(state)


class Writer:
    def __init__(self, state, versions, seats, leads, teams) -> None:
        self.state = state
        self.rng = state.rng("datasystem")
        self.versions = versions
        self.seats = seats
        self.leads = leads
        self.teams = [t for t in teams if seats.get(t[0])]
        self.day = state.day

    def write(self) -> None:
        count = len(self.teams) * len(ROUNDS_DAYS_AGO)
        self.ids = iter(self.state.ids(Administration, count))
        self.planned: list[tuple[int, int, list[int], float]] = []
        self.state.copy(Administration, self._administrations())
        through = Administration.participants.through
        self.state.copy(through, self._participants(through))
        self.score_ids = iter(self.state.ids(ItemScore, sum(len(p[2]) for p in self.planned)))
        self.low_scores: list[tuple[int, int, int]] = []
        self.state.copy(ItemScore, self._scores())
        # Low items of each team's latest administration: some planned (action items from
        # them, as the demo has), the rest red without a plan.
        self.state.copy(ActionItem, self._plans())
        events = self._events()
        self.state.copy(TrainingEvent, (row for row, _ in events))
        attendees = TrainingEvent.attendees.through
        self.state.copy(
            attendees,
            (
                {"trainingevent_id": row["id"], "user_id": person}
                for row, people in events
                for person in people
            ),
        )
        self.state.copy(CoachingSession, self._coaching())

    def _administrations(self):
        for team_id, level, zone in self.teams:
            instrument_id, version_id, items = self.versions[level]
            facilitator = self.leads.get(team_id, self.seats[team_id][0])
            start = self.rng.uniform(0.25, 0.5)
            growth = self.rng.uniform(0.08, 0.14) if zone else self.rng.uniform(0.0, 0.05)
            for n, days in enumerate(ROUNDS_DAYS_AGO):
                pk = next(self.ids)
                share = min(0.95, start + growth * n)
                scores = [
                    2
                    if (roll := self.rng.random()) < share * share
                    else (1 if roll < share + 0.3 else 0)
                    for _ in items
                ]
                possible = sum(max_score for _, max_score in items)
                held_on = self.day - timedelta(days=days + self.rng.randint(0, 20))
                self.planned.append((pk, team_id, scores, facilitator))
                yield {
                    "id": pk,
                    "team_id": team_id,
                    "instrument_id": instrument_id,
                    "version_id": version_id,
                    "held_on": held_on,
                    "facilitator_id": facilitator,
                    "started_by_id": facilitator,
                    "status": Status.COMPLETED,
                    "completed_on": held_on,
                    "total_percent": (Decimal(100) * sum(scores) / possible).quantize(
                        Decimal("0.1")
                    ),
                }

    def _participants(self, through):
        for pk, team_id, _, _ in self.planned:
            for person in self.seats[team_id][:6]:
                yield {"administration_id": pk, "user_id": person}

    def _scores(self):
        level_of = {team_id: level for team_id, level, _ in self.teams}
        latest = {team_id: pk for pk, team_id, _, _ in self.planned}
        for pk, team_id, scores, facilitator in self.planned:
            items = self.versions[level_of[team_id]][2]
            for (item_id, _), score in zip(items, scores, strict=True):
                score_id = next(self.score_ids)
                if score == 0 and latest[team_id] == pk:
                    self.low_scores.append((score_id, team_id, facilitator))
                yield {
                    "id": score_id,
                    "administration_id": pk,
                    "item_id": item_id,
                    "score": score,
                    "not_applicable": False,
                    "note": "",
                    "spread": {},
                    "recorded_by_id": facilitator,
                }

    def _plans(self):
        origin_type = ContentType.objects.get_for_model(ItemScore).pk
        planned: dict[int, int] = defaultdict(int)
        for score_id, team_id, lead in self.low_scores:
            if planned[team_id] >= 2:
                continue
            planned[team_id] += 1
            yield {
                "team_id": team_id,
                "what": "Put in place the practice the capacity assessment found missing.",
                "owner_id": lead,
                "due_on": self.day + timedelta(days=self.rng.randint(10, 90)),
                "status": ActionStatus.OPEN,
                "drop_reason": "",
                "origin_type_id": origin_type,
                "origin_id": score_id,
                "created_by_id": lead,
            }

    def _events(self) -> list[tuple[dict, list[int]]]:
        events = []
        ids = iter(self.state.ids(TrainingEvent, len(self.teams) * 2))
        for team_id, _, _ in self.teams:
            people = self.seats[team_id]
            recorder = self.leads.get(team_id, people[0])
            for n in range(2):
                attended = people[: max(1, len(people) - self.rng.randint(0, 2))]
                events.append(
                    (
                        {
                            "id": next(ids),
                            "team_id": team_id,
                            "innovation": INNOVATIONS[team_id % 2],
                            "held_on": self.day - timedelta(days=500 - n * 200),
                            "trainer": "Regional trainers",
                            "hours": Decimal(6),
                            "covered_essential_functions": n == 0,
                            "recorded_by_id": recorder,
                        },
                        attended,
                    )
                )
        return events

    def _coaching(self):
        for team_id, _, _ in self.teams:
            people = self.seats[team_id]
            coach = self.leads.get(team_id, people[0])
            for month in range(6):
                yield {
                    "team_id": team_id,
                    "coach_id": coach,
                    "coachee_id": self.rng.choice(people),
                    "held_on": self.day - timedelta(days=month * 60 + self.rng.randint(0, 20)),
                    "innovation": INNOVATIONS[team_id % 2],
                    "focus": "small-group instruction",
                    "minutes": 45,
                    "recorded_by_id": coach,
                }


# --- The pages measured -------------------------------------------------------------------


def _district_team(state: Any) -> int:
    seat = (
        Membership.objects.current()
        .filter(person__username="district", role=TeamRole.LEAD, team__level=Level.DISTRICT)
        .order_by("team_id")
        .first()
    )
    if seat is None:
        raise LookupError("The district login leads no district team in this state.")
    return seat.team_id


def team_page(state: Any) -> str:
    return reverse("datasystem:team", args=[_district_team(state)])


def results_page(state: Any) -> str:
    latest = (
        Administration.objects.filter(team_id=_district_team(state), status=Status.COMPLETED)
        .order_by("-held_on")
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("datasystem:administration", args=[latest])


def implementation_page(state: Any) -> str:
    return reverse("datasystem:team-implementation", args=[_district_team(state)])


def team_dashboard(state: Any) -> str:
    return reverse("datasystem:team-dashboard", args=[_district_team(state)])


def team_detail(state: Any) -> str:
    return reverse("datasystem:team-detail", args=[_district_team(state)])


def pages(state: Any) -> list[tuple[str, str, Any]]:
    return [
        ("/data/detail/", "smt", "/data/detail/"),
        ("/data/detail/?level=building", "csso", "/data/detail/?level=building&page=3"),
        ("/data/charts/<outcome>.csv", "smt", "/data/charts/outcome-reading-proficiency.csv"),
        ("/data/teams/<district>/dashboard/", "district", team_dashboard),
        ("/data/teams/<district>/dashboard/detail/", "district", team_detail),
        ("/data/outcomes/", "admin", "/data/outcomes/"),
        ("/data/teams/<district>/", "district", team_page),
        ("/data/assessments/<latest of district>/", "district", results_page),
        ("/data/implementation/", "sts", "/data/implementation/"),
        ("/data/implementation/", "smt", "/data/implementation/"),
        ("/data/teams/<district>/implementation/", "district", implementation_page),
        ("/data/training/", "smt", "/data/training/"),
        ("/data/instruments/", "admin", "/data/instruments/"),
    ]


BENCH_PART = BenchPart(
    "datasystem",
    build=build,
    pages=pages,
    order=60,
    version=3,
    jobs=(
        BenchJob(
            "outcome-import",
            "outcome CSV import (a new school year for every unit)",
            bench_outcomes.measure_import,
            max_seconds=30,
            max_megabytes=500,
        ),
    ),
)
