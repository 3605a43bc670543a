# ruff: noqa: E501 - the demo's tables read best one record to a line
"""The initiatives module's part of the Lakeland demo.

A vision in two versions with five goals (the fifth, family partnership, served by no
initiative) and one goal retired; affirmations, the last 14 months ago so the cabinet is
warned; 25 initiatives across the eight divisions, some overlapping, some serving no goal,
some reviews overdue; funding for last, this and next fiscal year (July start); the four
innovations of the cascade's state teams with stages in every unit below them, the
Transformation Zone ahead of the rest; the Hexagon tool's six indicators as a demo
protocol; and two candidates under selection with four raters who disagree on some
indicators. Records are found by their demo keys, so a second load adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from meetings.models import Meeting
from meetings.services import decision_record
from teams.demo.lakeland import CHANGE_REASON
from teams.models import Division, Level, Team, User
from teams.registry import DemoPart

from .models import (
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
    next_review_after,
)
from .protocols import read_protocol
from .services import refresh_review_dates

SEED = 16
PROTOCOL_FILES = Path(__file__).parent / "protocol_files"

VISIONS = (
    (
        1100,
        "Every Lakeland student reads, reasons and belongs.",
        "The Department builds the capacity of regions, districts and schools to use "
        "effective practices well.",
        "",
    ),
    (
        420,
        "Every Lakeland student reads, reasons and belongs, and leaves school ready for the "
        "life they choose.",
        "The Department builds, with families and communities, the capacity of regions, "
        "districts and schools to select, implement and sustain effective practices.",
        "Readiness for life after school and partnership with families added after the "
        "statewide listening tour.",
    ),
)
# (number, title, adopted under version, retired on the day of version)
GOALS = (
    (1, "Every child reads proficiently by the end of grade 3", 0, None),
    (2, "Students with disabilities learn and succeed alongside their peers", 0, None),
    (3, "Every student graduates ready for college, career and community", 0, None),
    (4, "Great teachers and leaders in every school", 0, None),
    (5, "Every family a partner in learning", 1, None),
    (6, "Reduce the time spent on state testing", 0, 1),
)
AFFIRMATIONS = ((1090, "Affirmed with the first vision."), (790, ""), (440, "At the retreat."))


@dataclass(frozen=True)
class Planned:
    name: str
    division: str
    status: str
    goals: tuple[tuple[int, str], ...]
    started_years: float
    population: str
    grades: str = ""
    innovation: bool = False
    # Days since the last review and its decision (None: never reviewed).
    reviewed: tuple[int, str] | None = None
    dollars: int = 0
    fte: float = 0
    source: str = "state"


P, C = "primary", "contributing"
INITIATIVES = (
    Planned("Structured Literacy K-3", "academics", "active", ((1, P), (4, C)), 4, "K-3 students", "K-3", True, (300, "continue"), 4_200_000, 9),
    Planned("Lakeland Reads Summer Bridge", "academics", "active", ((1, P),), 6, "Rising K-3 readers below benchmark", "K-3", False, (520, "continue"), 1_100_000, 2),
    Planned("Explicit Mathematics Instruction", "academics", "scaling", ((3, P),), 3, "Students in grades K-8", "K-8", True, (200, "expand"), 2_600_000, 6),
    Planned("School-wide Positive Behavior Support", "special", "active", ((2, C), (3, C)), 5, "All students", "K-12", True, (250, "continue"), 1_900_000, 5, "federal"),
    Planned("Inclusive Practices Network", "special", "active", ((2, P),), 4, "Students with disabilities", "K-12", False, (150, "modify"), 1_400_000, 4, "federal"),
    Planned("Co-Teaching Academy", "special", "under_review", ((2, P), (4, C)), 3, "General and special educators", "K-12", False, (410, "continue"), 600_000, 2, "federal"),
    Planned("Early Literacy Screening", "assessment", "active", ((1, C),), 2.2, "K-3 students", "K-3", False, None, 750_000, 1.5),
    Planned("Balanced Assessment Pilot", "assessment", "proposed", (), 0.3, "Districts piloting interim assessments", "3-8", False, None, 300_000, 1),
    Planned("Title I Schoolwide Support", "federal", "active", ((3, C),), 8, "Students in Title I schools", "K-12", False, (90, "continue"), 8_500_000, 12, "federal"),
    Planned("21st Century After-School Centers", "federal", "active", ((3, C),), 7, "Students in high-poverty schools", "K-12", False, (470, "continue"), 5_200_000, 4, "federal"),
    Planned("English Learner Success", "federal", "active", ((3, C), (2, C)), 4, "English learners", "K-12", False, (330, "continue"), 2_300_000, 3, "federal"),
    Planned("Tutoring Corps", "federal", "sunsetting", ((1, C),), 3, "K-3 readers below benchmark", "K-3", False, (200, "sunset"), 900_000, 1, "grant"),
    Planned("New Teacher Induction and Mentoring", "educators", "active", ((4, P),), 6, "Teachers in their first three years", "", False, (120, "continue"), 1_300_000, 3),
    Planned("Principal Pipeline", "educators", "active", ((4, P),), 5, "Aspiring and new principals", "", False, (300, "continue"), 800_000, 2),
    Planned("Coaching for Coaches", "educators", "scaling", ((4, P), (1, C)), 2, "Instructional coaches", "", False, (160, "expand"), 650_000, 3),
    Planned("Grow Your Own Teachers", "educators", "proposed", ((4, P),), 0.2, "Paraprofessionals and high-school students", "", False, None, 400_000, 1, "grant"),
    Planned("Data Dashboard Modernisation", "finance", "active", (), 2, "Department and district staff", "", False, (120, "modify"), 1_200_000, 4),
    Planned("School Transportation Efficiency", "finance", "active", (), 3, "Districts' transportation offices", "", False, None, 350_000, 1),
    Planned("Comprehensive School Improvement Support", "improvement", "active", ((3, P), (1, C)), 5, "Schools identified for comprehensive support", "K-12", False, (440, "continue"), 6_100_000, 8, "federal"),
    Planned("Turnaround Leadership Institute", "improvement", "active", ((4, C),), 3, "Principals of turnaround schools", "", False, (200, "continue"), 500_000, 1.5),
    Planned("Transformation Zone Implementation Support", "improvement", "scaling", ((1, C), (2, C), (4, C)), 2.5, "Teams in the Transformation Zone", "K-12", False, (100, "expand"), 1_500_000, 6),
    Planned("Play-based Pre-K", "early", "active", ((1, C),), 4, "Four-year-olds in state pre-K", "PK", True, (280, "continue"), 3_300_000, 4),
    Planned("Kindergarten Readiness Assessment", "early", "active", ((1, C),), 3, "Entering kindergarteners", "K", False, (340, "continue"), 450_000, 1),
    Planned("Early Intervention Transitions", "early", "active", ((2, C),), 4, "Children moving from Part C to Part B", "PK", False, (230, "continue"), 700_000, 2, "federal"),
    Planned("Career Pathways Grants", "academics", "ended", ((3, P),), 6, "High-school students", "9-12", False, (700, "sunset"), 0, 0, "grant"),
)  # fmt: skip
# (one, other, population, outcome, staff, note)
OVERLAPS = (
    ("Structured Literacy K-3", "Lakeland Reads Summer Bridge", True, True, False, "Both serve K-3 readers below benchmark, with different materials."),
    ("Lakeland Reads Summer Bridge", "Tutoring Corps", True, True, False, "The same students are tutored in summer and in the year, by different providers."),
    ("Inclusive Practices Network", "Co-Teaching Academy", False, True, True, "The same specialists deliver both; districts see them as one program."),
    ("New Teacher Induction and Mentoring", "Coaching for Coaches", False, False, True, "Mentors and coaches are often the same people."),
    ("Principal Pipeline", "Turnaround Leadership Institute", True, False, False, "Both train principals of the same schools."),
    ("Early Literacy Screening", "Kindergarten Readiness Assessment", True, True, False, "Two screeners given to kindergarteners in the same month."),
)  # fmt: skip
RATIONALES = {
    "continue": "Results are on track and it serves the goals it claims; keep it as it is.",
    "expand": "Strong results in the Zone; the SMT adds regions in the next fiscal year.",
    "modify": "It serves the goal but costs more than it returns; narrow it to what works.",
    "sunset": "Its results did not justify the cost; end it as the grant closes.",
}
# The innovation each state team's branch implements.
BRANCH_INNOVATIONS = {
    "State Literacy Implementation Team": "Structured Literacy K-3",
    "State Mathematics Implementation Team": "Explicit Mathematics Instruction",
    "State Behavior Support Implementation Team": "School-wide Positive Behavior Support",
    "State Early Learning Implementation Team": "Play-based Pre-K",
}
STAGES = ("exploration", "installation", "initial", "full", "sustainment")
EVIDENCE = {
    "exploration": "The team studied the innovation's fit and need, and chose to prepare for it.",
    "installation": "Staff selected and trained; coaching schedule and data routines set up.",
    "initial": "First teachers use the practice with coaching; early fidelity checks under way.",
    "full": "Most teachers use the practice with fidelity at or above threshold.",
    "sustainment": "Fidelity held for two years; the practice is funded from the district budget.",
}
RATERS = ("deputy", "smt", "sponsor", "grace.lee")
# Candidates: name, division, description, population, outcomes, checklist, scores per rater
# (need, fit, resources, evidence, readiness, capacity), in RATERS order.
CANDIDATES = (
    (
        "Check & Connect",
        "special",
        "A structured mentoring program: a mentor checks each student's attendance, "
        "behavior and grades and connects with the student and family for two years.",
        "Students with disabilities at risk of dropping out, grades 7-12",
        "Higher attendance and graduation for students with disabilities.",
        ("present", "present", "partial", "present"),
        ((5, 4, 3, 4, 4, 3), (5, 2, 2, 4, 4, 2), (4, 5, 3, 5, 4, 4), (5, 3, 2, 4, 3, 3)),
    ),
    (
        "Tiered Family Engagement Model",
        "improvement",
        "Schools partner with families in three tiers: welcoming all, two-way conferences "
        "on data, and home visits for the families schools have not reached.",
        "Families of K-8 students in Title I schools",
        "Families as partners in learning; attendance and reading growth.",
        ("present", "partial", "absent", "absent"),
        ((5, 4, 2, 2, 2, 3), (4, 4, 3, 5, 2, 3), (5, 5, 2, 1, 4, 2), (4, 3, 2, 3, 1, 4)),
    ),
)


def load(run) -> int:
    return DemoLoader(run).load()


class DemoLoader:
    def __init__(self, run) -> None:
        self.run = run
        self.day: date = run.day
        self.rng = random.Random(SEED)
        self.written = 0

    def ago(self, days: float) -> date:
        return self.day - timedelta(days=round(days))

    def load(self) -> int:
        InventorySettings.objects.get_or_create(singleton=True)
        self.divisions = {
            key.removeprefix("division:"): division
            for key, division in self.run.find(
                Division,
                [
                    f"division:{k}"
                    for k in (
                        "academics",
                        "special",
                        "federal",
                        "assessment",
                        "educators",
                        "finance",
                        "improvement",
                        "early",
                    )
                ],  # fmt: skip
            ).items()
        }
        if len(self.divisions) < 8:
            return 0  # the base's part did not load its divisions: nothing to hang from
        self.people = {
            u.username: u for u in User.objects.filter(username__in=[*RATERS, "csso", "sts"])
        }
        self.csso = self.people["csso"]
        self.smt_meetings = sorted(
            Meeting.objects.filter(team__is_management_team=True, status="held"),
            key=lambda m: m.starts_at,
        )
        self._vision()
        self._initiatives()
        self._overlaps()
        self._stages()
        self._selection()
        return self.written

    def meeting_near(self, day: date) -> Meeting | None:
        """The SMT meeting held closest to `day`, within three weeks (the demo's dates are
        planned in days ago; the record moves to the meeting's own day)."""
        near = min(self.smt_meetings, key=lambda m: abs((m.held_on - day).days), default=None)
        return near if near and abs((near.held_on - day).days) <= 21 else None

    # The vision

    def _vision(self) -> None:
        keys = [f"vision:{n}" for n in range(len(VISIONS))]
        found = self.run.find(VisionVersion, keys)
        versions = []
        for key, (days, vision, mission, note) in zip(keys, VISIONS, strict=True):
            version = found.get(key)
            if version is None:
                version = VisionVersion.objects.create(
                    vision=vision,
                    mission=mission,
                    note=note,
                    adopted_on=self.ago(days),
                    adopted_by=self.csso,
                )
                self.written += 1
            versions.append(version)
        self.run.remember(dict(zip(keys, versions, strict=True)))
        goal_keys = [f"goal:{number}" for number, *_ in GOALS]
        found_goals = self.run.find(StrategicGoal, goal_keys)
        self.goals = {}
        for key, (number, title, adopted, retired) in zip(goal_keys, GOALS, strict=True):
            goal = found_goals.get(key)
            if goal is None:
                goal = StrategicGoal.objects.create(
                    number=number,
                    title=title,
                    adopted_in=versions[adopted],
                    retired_on=versions[retired].adopted_on if retired is not None else None,
                )
                self.written += 1
            self.goals[number] = goal
        self.run.remember({k: self.goals[n] for k, (n, *_) in zip(goal_keys, GOALS, strict=True)})
        if not Affirmation.objects.exists():
            for days, note in AFFIRMATIONS:
                meeting = self.meeting_near(self.ago(days))
                day = meeting.held_on if meeting else self.ago(days)
                Affirmation.objects.create(
                    affirmed_on=day,
                    meeting=meeting,
                    vision=VisionVersion.current(day) or versions[0],
                    recorded_by=self.csso,
                    note=note,
                )
                self.written += 1

    # The inventory

    def _initiatives(self) -> None:
        keys = {f"initiative:{p.name}": p for p in INITIATIVES}
        found = self.run.find(Initiative, list(keys))
        heads = dict(
            Division.objects.filter(pk__in=[d.pk for d in self.divisions.values()]).values_list(
                "pk", "head"
            )
        )
        config = InventorySettings.current()
        now = config.fiscal_year(self.day)
        self.initiatives: dict[str, Initiative] = {}
        funding: list[Funding] = []
        for key, plan in keys.items():
            initiative = found.get(key)
            if initiative is not None:
                self.initiatives[plan.name] = initiative
                continue
            division = self.divisions[plan.division]
            started = self.ago(plan.started_years * 365)
            initiative = Initiative.objects.create(
                name=plan.name,
                division=division,
                lead_id=heads.get(division.pk),
                purpose=f"Improves the outcomes of {_lower(plan.population)}: the agency funds it to "
                "meet the goals it serves.",
                target_population=plan.population,
                grades=plan.grades,
                intended_outcomes=self._outcomes(plan),
                evidence_base="Rated with the Hexagon tool before adoption; see the review notes."
                if plan.innovation
                else "",
                started_on=started,
                planned_end_on=add_months(started, 12 * 6) if plan.status == "sunsetting" else None,
                status=plan.status,
                is_innovation=plan.innovation,
            )
            self.written += 1
            for number, strength in plan.goals:
                GoalAlignment.objects.create(
                    initiative=initiative, goal=self.goals[number], strength=strength
                )
                self.written += 1
            if plan.reviewed:
                days, decision = plan.reviewed
                held = max(self.ago(days), started + timedelta(days=30))
                meeting = self.meeting_near(held)
                held = meeting.held_on if meeting else held
                review = Review.objects.create(
                    initiative=initiative,
                    held_on=held,
                    alignment_notes="Serves the goals it names; reviewed against the current vision.",
                    results_notes="Results reported by the division; the data system will hold them.",
                    resources_notes="Staffed as planned.",
                    decision=decision,
                    rationale=RATIONALES[decision],
                    next_review_on=next_review_after(
                        decision, held, initiative.review_cycle_months
                    ),
                    meeting=meeting,
                    recorded_by=self.csso,
                )
                self.written += 1
                if meeting is not None:
                    # Into the SMT meeting's decision register, as its chair records it.
                    review.recorded_decision = decision_record(
                        meeting=meeting,
                        by=self.csso,
                        text=f"{initiative}: {review.get_decision_display().lower()}. "
                        f"Next review by {review.next_review_on:%-d %B %Y}.",
                        rationale=review.rationale,
                        review_on=review.next_review_on,
                        evidence=[review],
                    )
                    review.save(update_fields=["recorded_decision"])
                    self.written += 1
            refresh_review_dates(initiative)
            if plan.dollars:
                for year, factor in (
                    (now - 1, Decimal("0.95")),
                    (now, Decimal("1")),
                    (now + 1, Decimal("1.04")),
                ):
                    if plan.status == "sunsetting" and year > now:
                        continue
                    if plan.status == "proposed" and year < now:
                        continue
                    amount = (Decimal(plan.dollars) * factor).quantize(Decimal("1000"))
                    funding.append(
                        Funding(
                            initiative=initiative,
                            fiscal_year=year,
                            source=plan.source,
                            amount=amount,
                            fte=Decimal(str(plan.fte)),
                        )
                    )
            self.initiatives[plan.name] = initiative
        if funding:
            bulk_create_with_history(
                funding, Funding, batch_size=500, default_change_reason=CHANGE_REASON
            )
            self.written += len(funding)
        self.run.remember({f"initiative:{n}": i for n, i in self.initiatives.items()})

    @staticmethod
    def _outcomes(plan: Planned) -> str:
        if not plan.goals:
            return "Operational savings and better information for decisions."
        return f"Progress on goal {plan.goals[0][0]} for {_lower(plan.population)}."

    def _overlaps(self) -> None:
        if Overlap.objects.exists():
            return
        for one, other, population, outcome, staff, note in OVERLAPS:
            first, second = sorted(
                (self.initiatives[one], self.initiatives[other]), key=lambda i: i.pk
            )
            Overlap.objects.create(
                first=first,
                second=second,
                shares_population=population,
                shares_outcome=outcome,
                shares_staff=staff,
                note=note,
                recorded_by=self.csso,
            )
            self.written += 1

    # Stages: every unit below a state team implements that branch's innovation; the
    # Zone started earlier and moved faster.

    def _stages(self) -> None:
        innovations = {
            team_name: self.initiatives[name] for team_name, name in BRANCH_INNOVATIONS.items()
        }
        if StageRecord.objects.filter(innovation__in=innovations.values()).exists():
            return
        state_teams = {
            t.pk: innovations[t.name]
            for t in Team.objects.filter(
                level=Level.STATE, is_management_team=False, name__in=list(innovations)
            )
        }
        sts = self.people.get("sts") or self.csso
        records: list[StageRecord] = []
        teams = Team.objects.filter(state_team__in=list(state_teams)).order_by(
            "cascade_rank", "name", "pk"
        )
        for team in teams:
            innovation = state_teams[team.state_team_id]
            zone = team.in_zone(self.day)
            steps = self._steps(team.level, zone)
            for number, (stage, days) in enumerate(steps):
                records.append(
                    StageRecord(
                        innovation=innovation,
                        team=team,
                        stage=stage,
                        entered_on=self.ago(days),
                        evidence=EVIDENCE[stage],
                        recorded_by=sts,
                        is_current=number == len(steps) - 1,
                    )
                )
        bulk_create_with_history(
            records, StageRecord, batch_size=500, default_change_reason=CHANGE_REASON
        )
        self.written += len(records)
        # Where each innovation is implemented: its state team and the regions below it.
        for team in Team.objects.filter(pk__in=list(state_teams)):
            regions = Team.objects.filter(state_team=team, level=Level.REGIONAL)
            state_teams[team.pk].teams.add(team, *regions)

    def _steps(self, level: str, zone: bool) -> list[tuple[str, int]]:
        """The stages a unit went through and the days ago it entered each."""
        rng = self.rng
        if zone:
            reached = (
                rng.choice((3, 3, 4, 4, 4, 5)) if level != Level.BUILDING else rng.choice((3, 4, 4))
            )
            start = rng.randint(900, 1100)
        else:
            reached = rng.choice((1, 1, 2, 2, 2, 3))
            start = rng.randint(200, 600)
        steps, days = [], start
        for stage in STAGES[:reached]:
            steps.append((stage, days))
            days = max(10, days - rng.randint(120, 260))
        return steps

    # Selection

    def _selection(self) -> None:
        protocol = self.run.find_one(SelectionProtocol, "protocol:hexagon")
        if protocol is None:
            definition = read_protocol(
                (PROTOCOL_FILES / "hexagon_demo.yaml").read_bytes(), "hexagon_demo.yaml"
            )
            protocol = SelectionProtocol.objects.filter(name=definition["name"]).first()
            if protocol is None:
                protocol = SelectionProtocol.objects.create(
                    name=definition["name"],
                    description=definition["description"],
                    scale_min=definition["scale"]["min"],
                    scale_max=definition["scale"]["max"],
                    scale_labels=definition["scale"]["labels"],
                )
                for order, item in enumerate(definition["indicators"], start=1):
                    Indicator.objects.create(protocol=protocol, order=order, **item)
                self.written += 1 + len(definition["indicators"])
            self.run.remember({"protocol:hexagon": protocol})
        indicators = list(protocol.indicators.order_by("order"))
        raters = [self.people[name] for name in RATERS if name in self.people]
        keys = [f"candidate:{c[0]}" for c in CANDIDATES]
        found = self.run.find(Candidate, keys)
        kept = {}
        for key, (name, division, description, population, outcomes, checklist, scores) in zip(
            keys, CANDIDATES, strict=True
        ):
            candidate = found.get(key)
            if candidate is None:
                candidate = Candidate.objects.create(
                    name=name,
                    description=description,
                    target_population=population,
                    intended_outcomes=outcomes,
                    division=self.divisions[division],
                    protocol=protocol,
                    proposed_by=self.csso,
                    clear_description=checklist[0],
                    essential_functions=checklist[1],
                    operational_definitions=checklist[2],
                    fidelity_assessment=checklist[3],
                )
                candidate.raters.set(raters)
                submitted = timezone.now() - timedelta(days=self.rng.randint(3, 20))
                for rater, row in zip(raters, scores, strict=False):
                    sheet = RatingSheet.objects.create(
                        candidate=candidate, rater=rater, submitted_at=submitted
                    )
                    for indicator, score in zip(indicators, row, strict=False):
                        SelectionRating.objects.create(
                            sheet=sheet,
                            indicator=indicator,
                            score=score,
                            note=self._note(indicator.key, score),
                        )
                self.written += 1 + len(raters) * (1 + len(indicators))
            kept[key] = candidate
        self.run.remember(kept)

    @staticmethod
    def _note(key: str, score: int) -> str:
        if score <= 2:
            return f"Weak on {key}: we would need to see more before committing."
        if score >= 5:
            return f"Strong on {key}."
        return ""


def _lower(text: str) -> str:
    """ "All students" reads "all students" mid-sentence; "K-3 students" keeps its capital."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def describe() -> list[str]:
    overdue = Initiative.objects.overdue().count()
    return [
        f"Initiatives: {Initiative.objects.count()} in the inventory ({overdue} reviews overdue), "
        f"{StageRecord.objects.filter(is_current=True).count()} units with a stage, "
        f"{Candidate.objects.open().count()} candidates under selection.",
    ]


DEMO_PART = DemoPart("initiatives", load=load, describe=describe, order=40)
