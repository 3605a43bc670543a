"""The practice-policy cycle's part of the benchmark state: about 40,000 barriers raised by
the buildings and districts over two years, each with its moves up and (for most) the
answer's moves down; a linking protocol for every link of the cascade; and support
requests from every STS to their sponsors. Written with COPY, like the other parts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from teams.models import Division, Level, Membership, SponsorPairing, Team
from teams.registry import BenchPart

from .models import (
    Barrier,
    BarrierMove,
    ChangeKind,
    LinkProtocol,
    SupportReply,
    SupportRequest,
    SystemicChange,
)

BARRIERS = 40_000
TITLES = (
    "Substitute coverage for coaching days",
    "Two improvement plans that ask the same questions",
    "Data lead has no protected time",
    "Screening data arrives six weeks late",
    "Title I funds cannot pay for coaching stipends",
    "New teachers start before training is offered",
    "Bus schedule cuts the intervention block",
    "Fidelity tool not available in Spanish",
)


def build(state: Any) -> None:
    CycleWriter(state).write()


class CycleWriter:
    def __init__(self, state: Any) -> None:
        self.state = state
        self.day: date = state.day
        self.rng = state.rng("meetings:cycle")
        self.teams = {
            pk: (parent, level, smt)
            for pk, parent, level, smt in Team.objects.values_list(
                "pk", "parent_id", "level", "is_management_team"
            )
        }
        seats: dict[int, list[int]] = defaultdict(list)
        for team_id, person_id in Membership.objects.current(self.day).values_list(
            "team_id", "person_id"
        ):
            seats[team_id].append(person_id)
        self.seats = seats

    def at(self, days_ago: float) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.day - timedelta(days=int(days_ago)), time(10))
        )

    def person(self, team: int) -> int:
        people = self.seats.get(team) or self.seats.get(self.teams[team][0]) or [1]
        return self.rng.choice(people)

    def path(self, team: int) -> list[int]:
        chain = [team]
        while self.teams[chain[-1]][0]:
            chain.append(self.teams[chain[-1]][0])
        return chain

    def write(self) -> None:
        raisers = [
            pk for pk, (_, level, _) in self.teams.items() if level in (Level.BUILDING, "district")
        ]
        # About four barriers per building and district a year, at any scale.
        count = max(50, round(BARRIERS * len(raisers) / 10_200))
        ids = iter(self.state.ids(Barrier, count))
        barriers, moves = [], []
        for _ in range(count):
            self._barrier(next(ids), self.rng.choice(raisers), barriers, moves)
        self.state.copy(Barrier, barriers)
        self.state.copy(BarrierMove, moves)
        self._changes([b for b in barriers if b["outcome"] == "systemic"])
        self._protocols()
        self._support()

    def _barrier(self, pk: int, team: int, barriers: list, moves: list) -> None:
        rng = self.rng
        path = self.path(team)
        raised = rng.randint(5, 720)
        top = rng.choice((1, 1, 1, 2, 2, 3, len(path) - 1))
        top = max(1, min(top, len(path) - 1))
        clock = raised
        events = [("raised", path[0], path[1], clock)]
        for level in range(1, top):
            clock = max(1, clock - rng.randint(2, 40))
            events.append(("escalated", path[level], path[level + 1], clock))
        stage, holder, answered_by, heard, helped = "open", path[top], None, None, None
        outcome = ""
        # Most are answered; at the SMT nearly all but the newest, as a real queue is short.
        at_smt = self.teams[path[top]][2]
        if clock > 10 and (rng.random() < 0.75 or (at_smt and (raised > 45 or rng.random() < 0.9))):
            answered_by = path[top]
            outcome = rng.choice(("practice", "practice", "systemic", "not_actionable"))
            clock = max(1, clock - rng.randint(1, 30))
            events.append(("answered", path[top], path[top - 1], clock))
            level = top - 1
            while level > 0 and clock > 3:
                clock = max(1, clock - rng.randint(1, 10))
                events.append(("passed_down", path[level], path[level - 1], clock))
                level -= 1
            holder = path[level]
            stage = "returned" if level == 0 else "answered"
            if level == 0 and clock > 2 and rng.random() < 0.8:
                clock = max(0.5, clock - rng.randint(1, 10))
                events.append(("confirmed", team, team, clock))
                stage, heard, helped = "closed", self.at(clock), True
        reached = any(
            self.teams[t][1] == Level.STATE or self.teams[t][2] for t in path[1 : top + 1]
        )
        barriers.append(
            {
                "id": pk,
                "team_id": team,
                "kind": "barrier",
                "title": rng.choice(TITLES),
                "practice": "What happens in practice, as the team saw it.",
                "effect": "Who it affects, and how much.",
                "would_help": "What would help.",
                "raised_by_id": self.person(team),
                "raised_at": self.at(raised),
                "holder_id": holder,
                "moved_at": self.at(events[-1][3]),
                "stage": stage,
                "answer": "The answer." if answered_by else "",
                "answered_by_team_id": answered_by,
                "outcome": outcome if stage != "open" else "",
                "reached_state": reached,
                "heard_back_at": heard,
                "helped": helped,
            }
        )
        for index, (kind, src, dst, when) in enumerate(events):
            later = events[index + 1][3] if index + 1 < len(events) else None
            moves.append(
                {
                    "barrier_id": pk,
                    "kind": kind,
                    "from_team_id": src,
                    "to_team_id": dst,
                    "by_id": self.person(src),
                    "at": self.at(when),
                    "left_at": self.at(later)
                    if later is not None
                    else (self.at(when) if kind == "confirmed" else None),
                }
            )

    def _changes(self, systemic: list[dict]) -> None:
        """The SMT's log: one systemic change for about every five barriers it resolved so."""
        divisions = list(Division.objects.values_list("pk", flat=True))
        smt = next(pk for pk, (_, _, is_smt) in self.teams.items() if is_smt)
        kinds = list(ChangeKind.values)
        rows, links = [], []
        ids = iter(self.state.ids(SystemicChange, len(systemic) // 5 + 1))
        for start in range(0, len(systemic), 5):
            pk = next(ids)
            behind = systemic[start : start + 5]
            rows.append(
                {
                    "id": pk,
                    "kind": self.rng.choice(kinds),
                    "title": f"{behind[0]['title']}: the rule changed",
                    "description": "What the SMT changed, and for whom.",
                    "division_id": self.rng.choice(divisions),
                    "effective_on": behind[0]["moved_at"].date(),
                    "recorded_by_id": self.person(smt),
                }
            )
            links += [{"systemicchange_id": pk, "barrier_id": b["id"]} for b in behind]
        self.state.copy(SystemicChange, rows)
        self.state.copy(SystemicChange.barriers.through, links)

    def _protocols(self) -> None:
        rows = []
        for pk, (parent, _, smt) in self.teams.items():
            if smt or parent is None:
                continue
            sender = self.person(pk)
            receiver = self.person(parent)
            rows.append(
                {
                    "from_team_id": pk,
                    "to_team_id": parent,
                    "rationale": "So the team above hears what this team learns in practice.",
                    "passes": ["updates", "successes", "challenges", "barriers"],
                    "responsible_from_id": sender,
                    "responsible_to_id": receiver,
                    "every_days": 30,
                    "minutes": 15,
                    "format": "The linking member's report at the team above's meeting",
                    "response_days": 10,
                    "response_format": "Written reply in the portal",
                    "started_on": self.day - timedelta(days=self.rng.randint(30, 400)),
                }
            )
        self.state.copy(LinkProtocol, rows)

    def _support(self) -> None:
        pairings = list(
            SponsorPairing.objects.current(self.day).values_list("specialist_id", "sponsor_id")
        )
        requests, replies = [], []
        ids = iter(self.state.ids(SupportRequest, len(pairings) * 40))
        for specialist, sponsor in pairings:
            for _ in range(40):
                pk = next(ids)
                asked = self.rng.randint(1, 700)
                answered = asked - self.rng.randint(0, 6)
                first = self.at(answered) if answered > 0 else None
                requests.append(
                    {
                        "id": pk,
                        "specialist_id": specialist,
                        "sponsor_id": sponsor,
                        "kind": "resource",
                        "what": "Funding for a second coaching day each month.",
                        "needed_by": self.day - timedelta(days=asked - 14),
                        "urgency": "routine",
                        "asked_at": self.at(asked),
                        "first_answered_at": first,
                        "first_response_days": (asked - answered) * 5 // 7 if first else None,
                        "closed_at": first,
                    }
                )
                if first:
                    replies.append(
                        {"request_id": pk, "by_id": sponsor, "text": "Yes.", "at": first}
                    )
        self.state.copy(SupportRequest, requests)
        self.state.copy(SupportReply, replies)


def _a_lincoln_barrier(state: Any) -> str:
    team = (
        Membership.objects.current()
        .filter(person__username="building")
        .values_list("team_id", flat=True)
        .first()
    )
    barrier = Barrier.objects.filter(team_id=team).order_by("-raised_at").first()
    if barrier is None:
        barrier = Barrier.objects.order_by("-raised_at").first()
    return reverse("barriers:barrier", args=[barrier.pk])


def _building_chain(state: Any) -> str:
    team = (
        Membership.objects.current()
        .filter(person__username="building")
        .values_list("team_id", flat=True)
        .first()
    )
    return reverse("barriers:chain", args=[team])


def _district_protocols(state: Any) -> str:
    team = (
        Membership.objects.current()
        .filter(person__username="district", team__level="district")
        .values_list("team_id", flat=True)
        .first()
    )
    return reverse("barriers:team-protocols", args=[team])


def pages(state: Any) -> list[tuple[str, str, Any]]:
    from teams.demo import DEMO_USERNAMES

    rows = [("/barriers/", role, "/barriers/") for role in DEMO_USERNAMES]
    rows += [
        ("/barriers/smt/", role, "/barriers/smt/") for role in ("csso", "smt", "sponsor", "sts")
    ]
    rows += [
        ("/barriers/follow-through/", role, "/barriers/follow-through/")
        for role in ("csso", "sponsor", "sts")
    ]
    rows += [
        ("/barriers/changes/", "smt", "/barriers/changes/"),
        ("/barriers/support/", "csso", "/barriers/support/"),
        ("/barriers/support/", "sponsor", "/barriers/support/"),
        ("/barriers/support/", "sts", "/barriers/support/"),
        ("/barriers/<building's>/", "building", _a_lincoln_barrier),
        ("/barriers/<building's>/", "sponsor", _a_lincoln_barrier),
        ("/barriers/protocols/chain/<building>/", "building", _building_chain),
        ("/barriers/protocols/team/<district>/", "district", _district_protocols),
    ]
    return rows


BENCH_PART = BenchPart("barriers", build=build, pages=pages, order=30, version=3)
