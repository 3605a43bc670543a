"""Reads: each decides its page's query shape once, and adds up in the database."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    IntegerField,
    Max,
    Min,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from teams.freshness import hashed, kept_until_changed, remembered
from teams.models import Division, Team, today

from .models import (
    IN_PLACE,
    RUNNING,
    STAGE_RANK,
    Affirmation,
    Candidate,
    Funding,
    GoalAlignment,
    Indicator,
    Initiative,
    InventorySettings,
    Overlap,
    RatingSheet,
    SelectionRating,
    StageRecord,
    StrategicGoal,
    Strength,
    VisionVersion,
    add_months,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))

# --- The inventory -------------------------------------------------------------------------

SORTS = {
    "name": ("name", "pk"),
    "division": ("division__name", "name", "pk"),
    "status": ("status", "name", "pk"),
    "review": ("next_review_on", "name", "pk"),
}


def inventory(
    *,
    words: str = "",
    division=None,
    goal=None,
    status: str = "",
    review: str = "",
    innovations: bool = False,
    sort: str = "name",
):
    """Initiatives as the inventory's filters ask, in the order asked."""
    found = Initiative.objects.for_list()
    if words:
        for word in words.split()[:8]:
            found = found.filter(
                Q(name__icontains=word)
                | Q(purpose__icontains=word)
                | Q(target_population__icontains=word)
                | Q(intended_outcomes__icontains=word)
            )
    if division is not None:
        found = found.filter(division=division)
    if goal is not None:
        found = found.filter(alignments__goal=goal)
    if status:
        found = found.filter(status=status)
    if review == "overdue":
        found = found.overdue()
    elif review == "due":
        found = found.review_due()
    if innovations:
        found = found.innovations()
    return found.order_by(*SORTS.get(sort, SORTS["name"]))


def with_alignments(initiatives: list[Initiative]) -> list[Initiative]:
    """Each initiative of a page given its goals (`served`), in one query."""
    by_initiative: dict[int, list[GoalAlignment]] = {}
    for alignment in GoalAlignment.objects.filter(
        initiative__in=[i.pk for i in initiatives]
    ).select_related("goal"):
        by_initiative.setdefault(alignment.initiative_id, []).append(alignment)
    for initiative in initiatives:
        initiative.served = by_initiative.get(initiative.pk, [])
    return initiatives


def overlaps_of(initiative: Initiative) -> list[Overlap]:
    return list(
        Overlap.objects.filter(Q(first=initiative) | Q(second=initiative)).select_related(
            "first", "second"
        )
    )


# --- The vision and affirmations -------------------------------------------------------------


@dataclass(frozen=True)
class AffirmationState:
    last_on: date | None
    interval_months: int

    @property
    def due_on(self) -> date | None:
        return add_months(self.last_on, self.interval_months) if self.last_on else None

    @property
    def overdue(self) -> bool:
        return self.due_on is None or self.due_on < today()

    @property
    def days_since(self) -> int | None:
        return (today() - self.last_on).days if self.last_on else None

    @property
    def months_since(self) -> int | None:
        if self.last_on is None:
            return None
        day, then = today(), self.last_on
        months = (day.year - then.year) * 12 + day.month - then.month
        return months - (day.day < then.day)


def last_affirmed_on() -> Subquery:
    return Subquery(Affirmation.objects.order_by("-affirmed_on").values("affirmed_on")[:1])


def affirmation_interval() -> Subquery:
    return Subquery(InventorySettings.objects.values("affirmation_interval_months")[:1])


def affirmation_state() -> AffirmationState:
    """The last affirmation and when the next is due, in one query."""
    found = VisionVersion.objects.annotate(
        last_on=last_affirmed_on(), interval=affirmation_interval()
    ).values("last_on", "interval")[:1]
    found = list(found)
    if found:
        return state_from(found[0]["last_on"], found[0]["interval"])
    # No vision yet, so no affirmation either.
    return state_from(None, InventorySettings.current().affirmation_interval_months)


def state_from(last_on: date | None, interval: int | None) -> AffirmationState:
    default = InventorySettings._meta.get_field("affirmation_interval_months").default
    return AffirmationState(last_on=last_on, interval_months=interval or default)


def vision_with_goals(version: VisionVersion | None) -> list[StrategicGoal]:
    if version is None:
        return []
    return list(StrategicGoal.objects.as_of(version))


# --- The alignment matrix -------------------------------------------------------------------


@dataclass
class GoalColumn:
    goal: StrategicGoal
    primary: int = 0
    contributing: int = 0

    @property
    def total(self) -> int:
        return self.primary + self.contributing


def matrix_columns(*, statuses=RUNNING) -> list[GoalColumn]:
    """The current goals, each with how many running initiatives serve it and how."""
    counts = {
        row["goal"]: row
        for row in GoalAlignment.objects.filter(initiative__status__in=statuses)
        .values("goal")
        .annotate(
            primary=Count("pk", filter=Q(strength=Strength.PRIMARY)),
            contributing=Count("pk", filter=Q(strength=Strength.CONTRIBUTING)),
        )
        .order_by()
    }
    return [
        GoalColumn(
            goal,
            counts.get(goal.pk, {}).get("primary", 0),
            counts.get(goal.pk, {}).get("contributing", 0),
        )
        for goal in StrategicGoal.objects.current()
    ]


def matrix_rows(initiatives: list[Initiative], columns: list[GoalColumn]) -> list[dict]:
    """Each initiative of the page with its cell per goal and its row total."""
    cells: dict[tuple[int, int], str] = {
        (initiative_id, goal_id): strength
        for initiative_id, goal_id, strength in GoalAlignment.objects.filter(
            initiative__in=[i.pk for i in initiatives]
        ).values_list("initiative_id", "goal_id", "strength")
    }
    current_goals = {column.goal.pk for column in columns}
    rows = []
    for initiative in initiatives:
        row_cells = [cells.get((initiative.pk, column.goal.pk), "") for column in columns]
        served = [g for (i, g) in cells if i == initiative.pk and g in current_goals]
        rows.append({"initiative": initiative, "cells": row_cells, "total": len(served)})
    return rows


def matrix_initiatives():
    """Running initiatives, with how many current goals each serves (no goal first)."""
    return (
        Initiative.objects.running()
        .select_related("division")
        .only("name", "status", "division__name", "division__short_name")
        .annotate(
            goal_count=Count("alignments", filter=Q(alignments__goal__retired_on__isnull=True))
        )
        .order_by("goal_count", "name", "pk")
    )


def matrix_totals() -> dict:
    running = Initiative.objects.running()
    return running.aggregate(
        initiatives=Count("pk", distinct=True),
        unaligned=Count(
            "pk",
            distinct=True,
            filter=~Q(
                pk__in=GoalAlignment.objects.filter(goal__retired_on__isnull=True).values(
                    "initiative"
                )
            ),
        ),
    ) | {
        "alignments": GoalAlignment.objects.filter(
            initiative__status__in=RUNNING, goal__retired_on__isnull=True
        ).count()
    }


@dataclass
class MatrixSummary:
    columns: list[GoalColumn]
    totals: dict
    overlaps: list[Overlap]
    overlap_count: int
    running: int


def matrix_summary() -> MatrixSummary:
    """What the alignment matrix shows whatever its page: the goals with their counts, the
    totals, the overlaps, and how many running initiatives there are. Kept until an
    initiative, an alignment, a goal, an overlap or a division changes."""

    def compute() -> MatrixSummary:
        overlaps, overlap_count = overlap_list()
        return MatrixSummary(
            columns=matrix_columns(),
            totals=matrix_totals(),
            overlaps=overlaps,
            overlap_count=overlap_count,
            running=matrix_initiatives().order_by().count(),
        )

    return kept_until_changed(
        "alignment-matrix",
        (Initiative, GoalAlignment, StrategicGoal, Overlap, Division),
        compute,
        topics=(),
    )


def overlap_list(limit: int = 12) -> tuple[list[Overlap], int]:
    overlaps = Overlap.objects.filter(
        first__status__in=RUNNING, second__status__in=RUNNING
    ).select_related("first", "second")
    return list(overlaps[:limit]), overlaps.count()


# --- Resources -----------------------------------------------------------------------------


@dataclass
class Money:
    amount_now: Decimal = Decimal("0")
    fte_now: Decimal = Decimal("0")
    amount_next: Decimal = Decimal("0")
    fte_next: Decimal = Decimal("0")

    def as_row(self) -> list[Decimal]:
        return [self.amount_now, self.fte_now, self.amount_next, self.fte_next]


def _sums(prefix: str, now: int, following: int) -> dict:
    def of(column: str, year: int):
        return Coalesce(Sum(f"{prefix}{column}", filter=Q(**{f"{prefix}fiscal_year": year})), ZERO)

    return {
        "amount_now": of("amount", now),
        "fte_now": of("fte", now),
        "amount_next": of("amount", following),
        "fte_next": of("fte", following),
    }


@dataclass
class ResourceView:
    now: int
    following: int
    label_now: str
    label_next: str
    total: Money
    by_division: list[tuple[str, Money]]
    by_goal: list[tuple[StrategicGoal | None, str, Money]]
    initiatives: object = None  # a queryset of initiatives with their sums
    notes: list[str] = field(default_factory=list)


def _resource_sums(now: int, following: int) -> tuple:
    funding = Funding.objects.filter(
        fiscal_year__in=(now, following), initiative__status__in=RUNNING
    )
    total = Money(**funding.aggregate(**_sums("", now, following)))
    by_division = [
        (row.pop("initiative__division__name"), Money(**row))
        for row in funding.values("initiative__division__name")
        .annotate(**_sums("", now, following))
        .order_by("initiative__division__name")
    ]
    goal_rows = {
        (row.pop("goal"), row.pop("strength")): Money(**row)
        for row in GoalAlignment.objects.filter(
            goal__retired_on__isnull=True, initiative__status__in=RUNNING
        )
        .values("goal", "strength")
        .annotate(**_sums("initiative__funding__", now, following))
        .order_by()
    }
    unserved = Money(
        **funding.exclude(
            initiative__in=GoalAlignment.objects.filter(goal__retired_on__isnull=True).values(
                "initiative"
            )
        ).aggregate(**_sums("", now, following))
    )
    by_goal: list[tuple[StrategicGoal | None, str, Money]] = []
    for goal in StrategicGoal.objects.current():
        for strength in Strength:
            by_goal.append(
                (goal, strength.label, goal_rows.get((goal.pk, strength.value), Money()))
            )
    by_goal.append((None, "Serving no current goal", unserved))
    return total, by_division, by_goal


def resource_view(day: date | None = None) -> ResourceView:
    """Money and FTE of running initiatives for the current and next fiscal year: in
    total, by division, by goal (an initiative counts under each goal it serves, by its
    strength) and by initiative."""
    config = InventorySettings.current()
    now = config.fiscal_year(day)
    following = now + 1
    # The sums change only when an initiative, its money, its goals or a division does.
    total, by_division, by_goal = kept_until_changed(
        f"initiative-resources:{now}",
        (Funding, Initiative, GoalAlignment, StrategicGoal, Division),
        lambda: _resource_sums(now, following),
        topics=(),
    )
    initiatives = (
        Initiative.objects.running()
        .select_related("division")
        .only("name", "division__name")
        .annotate(**_sums("funding__", now, following))
        .order_by("division__name", "name", "pk")
    )
    return ResourceView(
        now=now,
        following=following,
        label_now=config.label(now),
        label_next=config.label(following),
        total=total,
        by_division=by_division,
        by_goal=by_goal,
        initiatives=initiatives,
    )


def money_of(initiative) -> Money:
    return Money(
        initiative.amount_now, initiative.fte_now, initiative.amount_next, initiative.fte_next
    )


# --- Reviews -------------------------------------------------------------------------------


def reviews_due(day: date | None = None):
    return (
        Initiative.objects.review_due(day)
        .select_related("division")
        .only("name", "status", "next_review_on", "last_reviewed_on", "division__name")
        .order_by("next_review_on", "name", "pk")
    )


def reviews_for_agenda(meeting) -> list[Initiative]:
    """The initiatives whose review is due within 60 days or overdue, offered for the SMT's
    meetings still to be held (soonest first, a short list)."""
    if not meeting.team.is_management_team or meeting.status != "scheduled":
        return []
    return list(
        Initiative.objects.review_due(meeting.held_on)
        .only("name", "next_review_on")
        .order_by("next_review_on", "name", "pk")[:12]
    )


# --- Stages --------------------------------------------------------------------------------

STAGE_RANK_EXPRESSION = Case(
    *(When(stage=stage, then=Value(rank)) for stage, rank in STAGE_RANK.items()),
    output_field=IntegerField(),
)


def in_zone_q(day: date, prefix: str = "team__") -> Q:
    return Q(**{f"{prefix}zone_entered_on__lte": day}) & (
        Q(**{f"{prefix}zone_left_on__isnull": True}) | Q(**{f"{prefix}zone_left_on__gt": day})
    )


def heatmap_teams(*, region=None, level: str = "", zone: str = "", innovation=None):
    """The units with any current stage of an innovation, filtered, in cascade order."""
    current = StageRecord.objects.filter(is_current=True)
    if innovation is not None:
        current = current.filter(innovation=innovation)
    teams = Team.objects.filter(pk__in=current.values("team")).only(
        "name",
        "level",
        "is_management_team",
        "zone_entered_on",
        "zone_left_on",
        "cascade_rank",
        "region_team",
    )
    if region is not None:
        teams = teams.filter(Q(pk=region.pk) | Q(region_team=region))
    if level:
        teams = teams.filter(level=level)
    day = today()
    if zone == "in":
        teams = teams.filter(in_zone_q(day, ""))
    elif zone == "out":
        teams = teams.exclude(in_zone_q(day, ""))
    return teams.in_cascade_order("name", "pk")


def heatmap_count(*, region=None, level: str = "", zone: str = "", innovation=None) -> int:
    """How many units `heatmap_teams` finds, kept until a stage is recorded or the cascade
    changes: counting them reads every current stage of a large state."""
    asked = [getattr(region, "pk", None), level, zone, getattr(innovation, "pk", None)]
    return remembered(
        f"heatmap-count:{hashed(asked)}",
        ("cascade", "stages"),
        lambda: (
            heatmap_teams(region=region, level=level, zone=zone, innovation=innovation)
            .order_by()
            .count()
        ),
    )


def heatmap_columns(innovation=None) -> list[Initiative]:
    innovations = Initiative.objects.innovations().filter(
        pk__in=StageRecord.objects.filter(is_current=True).values("innovation")
    )
    if innovation is not None:
        innovations = innovations.filter(pk=innovation.pk)
    return list(innovations.only("name").order_by("name", "pk"))


def heatmap_rows(teams: list[Team], columns: list[Initiative]) -> list[dict]:
    day = today()
    found = {
        (record.team_id, record.innovation_id): record
        for record in StageRecord.objects.filter(
            is_current=True, team__in=[t.pk for t in teams], innovation__in=columns
        ).only("team", "innovation", "stage", "entered_on")
    }
    rows = []
    for team in teams:
        cells = []
        for innovation in columns:
            record = found.get((team.pk, innovation.pk))
            if record is not None:
                record.days = (day - record.entered_on).days
            cells.append(record)
        rows.append({"team": team, "cells": cells})
    return rows


@dataclass
class ZoneComparison:
    innovation: str
    zone_units: int
    zone_in_place: int
    zone_mean_rank: float | None
    other_units: int
    other_in_place: int
    other_mean_rank: float | None

    @staticmethod
    def percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def zone_percent(self) -> int | None:
        return self.percent(self.zone_in_place, self.zone_units)

    @property
    def other_percent(self) -> int | None:
        return self.percent(self.other_in_place, self.other_units)


def zone_comparison(columns: list[Initiative]) -> list[ZoneComparison]:
    """Per innovation: units in the Zone against the rest, how many are in place (full
    implementation or sustainment) and their mean stage, added up in the database and
    kept until a stage is recorded or the Zone changes: it reads every current stage of
    every unit, the same for everyone."""
    return remembered(
        f"zone-stages:{hashed([c.pk for c in columns])}",
        ("cascade", "stages"),
        lambda: _zone_comparison(columns),
    )


def _zone_comparison(columns: list[Initiative]) -> list[ZoneComparison]:
    day = today()
    zone = in_zone_q(day)
    placed = Q(stage__in=IN_PLACE)
    # De-implementation is not a step forward: it is left out of the mean stage.
    forward = ~Q(stage="deimplementation")
    rows = (
        StageRecord.objects.filter(is_current=True, innovation__in=columns)
        .values("innovation")
        .annotate(
            zone_units=Count("pk", filter=zone),
            zone_in_place=Count("pk", filter=zone & placed),
            zone_mean=Avg(STAGE_RANK_EXPRESSION, filter=zone & forward),
            other_units=Count("pk", filter=~zone),
            other_in_place=Count("pk", filter=~zone & placed),
            other_mean=Avg(STAGE_RANK_EXPRESSION, filter=~zone & forward),
        )
        .order_by()
    )
    by_innovation = {row["innovation"]: row for row in rows}
    result = []
    for innovation in columns:
        row = by_innovation.get(innovation.pk)
        if row is None:
            continue
        result.append(
            ZoneComparison(
                innovation.name,
                row["zone_units"],
                row["zone_in_place"],
                row["zone_mean"],
                row["other_units"],
                row["other_in_place"],
                row["other_mean"],
            )
        )
    return result


def stages_of_team(team: Team) -> tuple[list[StageRecord], list[StageRecord]]:
    """A team's current stage of each innovation, and its dated history."""
    records = list(
        StageRecord.objects.filter(team=team)
        .select_related("innovation", "recorded_by")
        .order_by("innovation__name", "-entered_on", "-pk")[:200]
    )
    day = today()
    current = [r for r in records if r.is_current]
    for record in current:
        record.days = (day - record.entered_on).days
    return current, records


# --- Selection -----------------------------------------------------------------------------


@dataclass
class IndicatorSummary:
    indicator: object
    scores: list[int | None]
    mean: float | None
    low: int | None
    high: int | None
    count: int

    @property
    def spread(self) -> int | None:
        """The range of the scores: where raters disagree most, to discuss first."""
        return None if self.low is None else self.high - self.low

    @property
    def deviation(self) -> float | None:
        given = [s for s in self.scores if s is not None]
        return statistics.pstdev(given) if len(given) > 1 else None


@dataclass
class SelectionSummary:
    candidate: Candidate
    sheets: list
    indicators: list[IndicatorSummary]
    submitted: int
    chosen: int

    @property
    def mean(self) -> float | None:
        """The mean of the indicators' means: each indicator weighs the same."""
        means = [i.mean for i in self.indicators if i.mean is not None]
        return sum(means) / len(means) if means else None

    @property
    def total(self) -> float | None:
        means = [i.mean for i in self.indicators if i.mean is not None]
        return sum(means) if means else None

    @property
    def most_disputed(self) -> list[IndicatorSummary]:
        rated = [i for i in self.indicators if i.spread is not None and i.count > 1]
        return sorted(rated, key=lambda i: (-i.spread, -(i.deviation or 0), i.indicator.order))


def selection_summary(candidate: Candidate) -> SelectionSummary:
    return selection_summaries([candidate])[0]


def selection_summaries(candidates: list[Candidate]) -> list[SelectionSummary]:
    """The submitted ratings of these candidates: each rater's scores, and per indicator
    the mean, lowest, highest and spread, added up in the database; the same five queries
    for one candidate or several."""
    ids = [c.pk for c in candidates]
    indicators: dict[int, list] = {}
    for indicator in Indicator.objects.filter(
        protocol__in={c.protocol_id for c in candidates}
    ).order_by("order", "pk"):
        indicators.setdefault(indicator.protocol_id, []).append(indicator)
    sheets: dict[int, list] = {}
    for sheet in (
        RatingSheet.objects.filter(candidate__in=ids, submitted_at__isnull=False)
        .select_related("rater")
        .order_by("rater__last_name", "rater__first_name", "pk")
    ):
        sheets.setdefault(sheet.candidate_id, []).append(sheet)
    submitted = SelectionRating.objects.filter(
        sheet__candidate__in=ids, sheet__submitted_at__isnull=False
    )
    stats = {
        (row["sheet__candidate"], row["indicator"]): row
        for row in submitted.values("sheet__candidate", "indicator")
        .annotate(mean=Avg("score"), low=Min("score"), high=Max("score"), count=Count("pk"))
        .order_by()
    }
    # With their indicators: the raters' notes are shown under the indicator's name.
    grid = {(r.sheet_id, r.indicator_id): r for r in submitted.select_related("indicator")}
    chosen = dict(
        Candidate.raters.through.objects.filter(candidate__in=ids)
        .values("candidate")
        .annotate(n=Count("pk"))
        .values_list("candidate", "n")
    )
    result = []
    for candidate in candidates:
        own = indicators.get(candidate.protocol_id, [])
        own_sheets = sheets.get(candidate.pk, [])
        for sheet in own_sheets:
            sheet.row = [grid.get((sheet.pk, i.pk)) for i in own]
        summaries = []
        for indicator in own:
            row = stats.get((candidate.pk, indicator.pk), {})
            scores = [
                grid[(s.pk, indicator.pk)].score if (s.pk, indicator.pk) in grid else None
                for s in own_sheets
            ]
            summaries.append(
                IndicatorSummary(
                    indicator,
                    scores,
                    float(row["mean"]) if row.get("mean") is not None else None,
                    row.get("low"),
                    row.get("high"),
                    row.get("count", 0),
                )
            )
        result.append(
            SelectionSummary(
                candidate=candidate,
                sheets=own_sheets,
                indicators=summaries,
                submitted=len(own_sheets),
                chosen=chosen.get(candidate.pk, 0),
            )
        )
    return result


def candidates_with_progress():
    return (
        Candidate.objects.select_related("division", "protocol", "initiative")
        .annotate(
            chosen=Count("raters", distinct=True),
            submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False), distinct=True),
        )
        .order_by("outcome", "name", "pk")
    )


def review_window(day: date | None = None) -> date:
    from .models import REVIEW_NOTICE_DAYS

    return (day or today()) + timedelta(days=REVIEW_NOTICE_DAYS)
