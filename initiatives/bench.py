# ruff: noqa: E501 - rows planned one to a line read best
"""The initiatives module's part of the benchmark state: a vision in two versions with eight
goals (one served by nothing), affirmations, 300 initiatives across the divisions with
funding for three fiscal years, alignments, overlaps and a history of reviews, the stages
of the four innovations of the state teams in every unit below them (the Zone ahead), and
two candidates rated on the six-indicator protocol.

Planned from the divisions, people and teams the base's part wrote (read back in a few
queries) and written with COPY, like the other parts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from teams.models import Division, Level, Team, User
from teams.registry import BenchPart

from .models import (
    DECISION_EFFECTS,
    RUNNING,
    Affirmation,
    Candidate,
    Funding,
    GoalAlignment,
    Indicator,
    Initiative,
    InventorySettings,
    Overlap,
    RatingSheet,
    Review,
    SelectionProtocol,
    SelectionRating,
    StageRecord,
    StrategicGoal,
    VisionVersion,
    add_months,
    fiscal_year_of,
    next_review_after,
)

INITIATIVES = 300
INNOVATIONS = 40
GOALS = (
    "Every child reads proficiently by the end of grade 3",
    "Students with disabilities learn and succeed alongside their peers",
    "Every student graduates ready for college, career and community",
    "Great teachers and leaders in every school",
    "Safe, healthy and engaged students",
    "Every English learner reaches proficiency",
    "Strong districts that sustain what works",
    "Every family a partner in learning",  # served by none: the gap
)
SUBJECTS = (
    "Literacy", "Mathematics", "Behavior Support", "Early Learning", "Inclusion", "Coaching",
    "Leadership", "Attendance", "Graduation", "Career Pathways", "English Learners", "Data Use",
    "Family Engagement", "Tutoring", "Assessment", "Wellness", "Recruitment", "Induction",
)  # fmt: skip
KINDS = ("Network", "Grant", "Academy", "Initiative", "Pilot", "Partnership", "Program", "Fund")
STATUSES = (
    ("active", 60), ("scaling", 10), ("under_review", 8), ("proposed", 8),
    ("sunsetting", 7), ("ended", 7),
)  # fmt: skip
DECISIONS = ("continue", "continue", "continue", "expand", "modify", "sunset")
STAGES = ("exploration", "installation", "initial", "full", "sustainment")
INDICATORS = (
    ("need", "Need"), ("fit", "Fit"), ("resources", "Resource availability"),
    ("evidence", "Evidence"), ("readiness", "Readiness for replication"),
    ("capacity", "Capacity to implement"),
)  # fmt: skip


def build(state: Any) -> None:
    InitiativesWriter(state).write()


class InitiativesWriter:
    def __init__(self, state: Any) -> None:
        self.state = state
        self.day: date = state.day
        self.rng = state.rng("initiatives")
        self.divisions = list(Division.objects.order_by("pk").values_list("pk", flat=True))
        self.csso = User.objects.filter(username="csso").values_list("pk", flat=True).first()
        self.raters = list(
            User.objects.filter(username__in=("csso", "deputy", "smt", "sponsor"))
            .order_by("username")
            .values_list("pk", flat=True)
        )
        self.now_fy = fiscal_year_of(self.day, InventorySettings().fiscal_year_start_month)

    def ago(self, days: int) -> date:
        return self.day - timedelta(days=days)

    def write(self) -> None:
        if not self.divisions or self.csso is None:
            return
        copy, ids = self.state.copy, self.state.ids
        versions = list(ids(VisionVersion, 2))
        copy(
            VisionVersion,
            (
                {
                    "id": pk,
                    "vision": "Every student reads, reasons and belongs.",
                    "mission": "We build the capacity to use effective practices well.",
                    "adopted_on": self.ago(days),
                    "adopted_by_id": self.csso,
                }
                for pk, days in zip(versions, (1100, 420), strict=True)
            ),
        )
        goals = list(ids(StrategicGoal, len(GOALS)))
        copy(
            StrategicGoal,
            (
                {"id": pk, "number": n, "title": title, "adopted_in_id": versions[n > 6]}
                for n, (pk, title) in enumerate(zip(goals, GOALS, strict=True), start=1)
            ),
        )
        copy(
            Affirmation,
            (
                {
                    "affirmed_on": self.ago(days),
                    "vision_id": versions[days < 420],
                    "recorded_by_id": self.csso,
                }
                for days in (1090, 790, 440)
            ),
        )
        self._initiatives(goals)
        self._stages()
        self._selection()

    # The inventory

    def _initiatives(self, goals: list[int]) -> None:
        rng, copy = self.rng, self.state.copy
        self.ids = list(self.state.ids(Initiative, INITIATIVES))
        statuses = [s for s, weight in STATUSES for _ in range(weight)]
        initiatives, funding, alignments, reviews = [], [], [], []
        for index, pk in enumerate(self.ids):
            innovation = index < INNOVATIONS
            status = "active" if innovation else rng.choice(statuses)
            started = self.ago(rng.randint(120, 3000))
            cycle = rng.choice((12, 12, 12, 24, 6))
            last, decision = None, None
            held = started
            for _ in range(rng.randint(0, 4)):
                held = held + timedelta(days=rng.randint(200, 500))
                if held >= self.day:
                    break
                decision = rng.choice(DECISIONS)
                reviews.append(
                    {
                        "initiative_id": pk,
                        "held_on": held,
                        "decision": decision,
                        "rationale": "Reviewed against the current goals and results.",
                        "next_review_on": next_review_after(decision, held, cycle),
                        "recorded_by_id": self.csso,
                    }
                )
                last = held
            if decision and status != "ended" and not innovation:
                status = DECISION_EFFECTS[decision][0]
            following = (
                next_review_after(decision, last, cycle) if last else add_months(started, cycle)
            )
            subject = SUBJECTS[index % len(SUBJECTS)]
            initiatives.append(
                {
                    "id": pk,
                    "name": f"{subject} {KINDS[index // len(SUBJECTS) % len(KINDS)]} {index + 1}",
                    "division_id": self.divisions[index % len(self.divisions)],
                    "purpose": f"Improves {subject.lower()} across the state's schools.",
                    "target_population": rng.choice(
                        (
                            "All students",
                            "K-3 students",
                            "Teachers",
                            "Schools identified for support",
                        )
                    ),
                    "grades": rng.choice(("", "K-3", "K-12", "6-8", "9-12")),
                    "intended_outcomes": f"Progress on {subject.lower()} measures.",
                    "started_on": started,
                    "status": status,
                    "is_innovation": innovation,
                    "review_cycle_months": cycle,
                    "last_reviewed_on": last,
                    "next_review_on": None if status == "ended" else following,
                }
            )
            served = rng.sample(goals[:7], rng.choice((0, 1, 1, 2, 2, 3)))
            for number, goal in enumerate(served):
                alignments.append(
                    {
                        "initiative_id": pk,
                        "goal_id": goal,
                        "strength": "primary" if number == 0 else "contributing",
                    }
                )
            if status in RUNNING:
                base = rng.randint(50, 5000) * 1000
                for year in (self.now_fy - 1, self.now_fy, self.now_fy + 1):
                    funding.append(
                        {
                            "initiative_id": pk,
                            "fiscal_year": year,
                            "source": rng.choice(("state", "federal", "grant")),
                            "amount": Decimal(base + rng.randint(0, 50) * 1000),
                            "fte": Decimal(rng.randint(0, 40)) / 4,
                        }
                    )
        copy(Initiative, initiatives)
        copy(GoalAlignment, alignments)
        copy(Review, reviews)
        copy(Funding, funding)
        pairs = {tuple(sorted(rng.sample(self.ids, 2))) for _ in range(150)}
        copy(
            Overlap,
            (
                {
                    "first_id": a,
                    "second_id": b,
                    "shares_population": True,
                    "note": "Same students.",
                    "recorded_by_id": self.csso,
                }
                for a, b in sorted(pairs)
            ),
        )

    # Stages: every unit below a state team implements its branch's innovation.

    def _stages(self) -> None:
        rng = self.rng
        state_teams = list(
            Team.objects.filter(level=Level.STATE, is_management_team=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        innovation_of = {pk: self.ids[i % INNOVATIONS] for i, pk in enumerate(state_teams)}
        day = self.day
        rows = []
        for pk, state_team, entered, left in (
            Team.objects.filter(state_team__isnull=False)
            .order_by("pk")
            .values_list("pk", "state_team", "zone_entered_on", "zone_left_on")
            .iterator(chunk_size=5000)
        ):
            zone = entered is not None and entered <= day and (left is None or left > day)
            reached = rng.choice((3, 4, 4, 5)) if zone else rng.choice((1, 1, 2, 2, 3))
            days = rng.randint(800, 1100) if zone else rng.randint(200, 600)
            for number, stage in enumerate(STAGES[:reached]):
                rows.append(
                    {
                        "innovation_id": innovation_of[state_team],
                        "team_id": pk,
                        "stage": stage,
                        "entered_on": self.ago(days),
                        "evidence": "Recorded by the team's STS.",
                        "recorded_by_id": self.csso,
                        "is_current": number == reached - 1,
                    }
                )
                days = max(5, days - rng.randint(120, 260))
        self.state.copy(StageRecord, rows)

    # Selection

    def _selection(self) -> None:
        copy, ids, rng = self.state.copy, self.state.ids, self.rng
        protocol = ids(SelectionProtocol, 1).start
        copy(
            SelectionProtocol,
            [
                {
                    "id": protocol,
                    "name": "Hexagon (six indicators, demo wording)",
                    "scale_min": 1,
                    "scale_max": 5,
                }
            ],
        )
        indicators = list(ids(Indicator, len(INDICATORS)))
        copy(
            Indicator,
            (
                {
                    "id": pk,
                    "protocol_id": protocol,
                    "order": n,
                    "key": key,
                    "name": name,
                    "prompt": f"How strong is the {name.lower()}?",
                }
                for n, (pk, (key, name)) in enumerate(
                    zip(indicators, INDICATORS, strict=True), start=1
                )
            ),
        )
        candidates = list(ids(Candidate, 2))
        copy(
            Candidate,
            (
                {
                    "id": pk,
                    "name": name,
                    "description": "A practice under selection.",
                    "division_id": self.divisions[0],
                    "protocol_id": protocol,
                    "proposed_by_id": self.csso,
                }
                for pk, name in zip(
                    candidates, ("Check & Connect", "Tiered Family Engagement Model"), strict=True
                )
            ),
        )
        through = Candidate.raters.through
        copy(through, ({"candidate_id": c, "user_id": u} for c in candidates for u in self.raters))
        sheets = list(ids(RatingSheet, len(candidates) * len(self.raters)))
        submitted = timezone.make_aware(datetime.combine(self.ago(5), time(10)))
        pairs = [(c, u) for c in candidates for u in self.raters]
        copy(
            RatingSheet,
            (
                {"id": pk, "candidate_id": c, "rater_id": u, "submitted_at": submitted}
                for pk, (c, u) in zip(sheets, pairs, strict=True)
            ),
        )
        copy(
            SelectionRating,
            (
                {"sheet_id": sheet, "indicator_id": indicator, "score": rng.randint(1, 5)}
                for sheet in sheets
                for indicator in indicators
            ),
        )


# --- The pages measured -----------------------------------------------------------------------


def _innovation(state: Any) -> str:
    first = Initiative.objects.filter(is_innovation=True).order_by("pk").first()
    return reverse("initiatives:initiative", args=[first.pk])


def _candidate(state: Any) -> str:
    return reverse("initiatives:candidate", args=[Candidate.objects.order_by("pk").first().pk])


def pages(state: Any) -> list[tuple[str, str, Any]]:
    rows = [
        (path, role, path)
        for path in (
            "/initiatives/alignment/",
            "/initiatives/resources/",
            "/initiatives/reviews/",
            "/initiatives/stages/",
        )
        for role in ("csso", "smt", "sts")
    ]
    rows += [
        ("/initiatives/?review=overdue", "smt", "/initiatives/?review=overdue"),
        ("/initiatives/stages/?zone=in", "smt", "/initiatives/stages/?zone=in"),
        ("/initiatives/vision/", "smt", "/initiatives/vision/"),
        ("/initiatives/selection/compare/", "smt", "/initiatives/selection/compare/"),
        ("/initiatives/<innovation>/", "smt", _innovation),
        ("/initiatives/selection/<candidate>/", "smt", _candidate),
    ]
    return rows


BENCH_PART = BenchPart("initiatives", build=build, pages=pages, order=40, version=1)
