"""The vision, the initiative inventory, its reviews, stages of implementation and the
selection of usable innovations.

Strategic goals hang from the vision; initiatives align to goals; each initiative is
reviewed on a cycle that ends in a decision; an innovation (an initiative marked as one)
moves through the stages of implementation in each unit of the cascade; candidates for
adoption are rated on a selection protocol (the Hexagon tool's indicators, as data) before
the SMT decides.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from teams.models import NOTE_LIMIT, Division, Team, limited_text, today, within_date_window

# --- Dates and fiscal years ------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fiscal_year_of(day: date, start_month: int) -> int:
    """The fiscal year a day falls in, named by the calendar year it ends in (as most
    states do: with a July start, 1 July 2026 to 30 June 2027 is FY 2027)."""
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_year_bounds(year: int, start_month: int) -> tuple[date, date]:
    """The first and last day of fiscal year `year`."""
    first = date(year if start_month == 1 else year - 1, start_month, 1)
    return first, add_months(first, 12) - timedelta(days=1)


def fiscal_year_label(year: int, start_month: int) -> str:
    if start_month == 1:
        return f"FY {year}"
    return f"FY {year} ({year - 1}–{str(year)[2:]})"


# --- The agency's settings for this module ---------------------------------------------------

SETTINGS_KEY = "initiatives:settings"


class InventorySettings(models.Model):
    """How the agency counts its years and cycles (exactly one row)."""

    fiscal_year_start_month = models.PositiveSmallIntegerField(
        "fiscal year starts in",
        choices=[(number, calendar.month_name[number]) for number in range(1, 13)],
        default=7,
    )
    affirmation_interval_months = models.PositiveSmallIntegerField(
        "affirm the vision at least every (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    review_cycle_months = models.PositiveSmallIntegerField(
        "review each initiative every (months), unless it says otherwise",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    singleton = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "inventory settings"
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="one_inventory_settings"),
            models.CheckConstraint(
                condition=Q(singleton=True), name="inventory_settings_singleton"
            ),
        ]

    def __str__(self) -> str:
        return "Inventory settings"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_KEY)
        transaction.on_commit(lambda: cache.delete(SETTINGS_KEY))

    @classmethod
    def current(cls) -> InventorySettings:
        """The settings, read on many pages: kept in the cache until they are saved. Until
        someone saves them, the defaults (kept the same way, so no page asks again)."""
        found = cache.get(SETTINGS_KEY)
        if found is None:
            found = cls.objects.first() or cls()
            cache.set(SETTINGS_KEY, found, timeout=60 * 60)
        return found

    def fiscal_year(self, day: date | None = None) -> int:
        return fiscal_year_of(day or today(), self.fiscal_year_start_month)

    def label(self, year: int) -> str:
        return fiscal_year_label(year, self.fiscal_year_start_month)


# --- The vision ------------------------------------------------------------------------------


def smt_meeting_field(help_text: str) -> models.ForeignKey:
    """The SMT meeting at which something was decided (meetings sits below: a plain FK)."""
    return models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="SMT meeting",
        help_text=help_text,
    )


class VisionVersionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-adopted_on", "-pk")


class VisionVersion(models.Model):
    """The agency's vision and mission as adopted on a day; earlier versions stay readable."""

    vision = limited_text(help_text="Where the agency is going: the state it works towards.")
    mission = limited_text(help_text="What the agency does to get there.")
    adopted_on = models.DateField(validators=[within_date_window])
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    meeting = smt_meeting_field("The SMT meeting that adopted it.")
    note = limited_text(NOTE_LIMIT, blank=True, help_text="What changed from the last version.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = VisionVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-adopted_on", "-pk"]

    def __str__(self) -> str:
        return f"Vision adopted {self.adopted_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:vision-version", args=[self.pk])

    @classmethod
    def current(cls, day: date | None = None) -> VisionVersion | None:
        return cls.objects.filter(adopted_on__lte=day or today()).newest_first().first()


class StrategicGoalQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_on__isnull=True)

    def as_of(self, version: VisionVersion):
        """The goals that stood under that version of the vision."""
        return self.filter(adopted_in__adopted_on__lte=version.adopted_on).filter(
            Q(retired_on__isnull=True) | Q(retired_on__gt=version.adopted_on)
        )


class StrategicGoal(models.Model):
    """A strategic goal under the vision. Goals outlive versions of the vision's wording:
    one is retired (with a date) rather than deleted, so alignments keep their history."""

    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="The goal's number in the agency's plan (1, 2, 3...).",
    )
    title = models.CharField(max_length=200)
    description = limited_text(NOTE_LIMIT, blank=True)
    adopted_in = models.ForeignKey(
        VisionVersion, on_delete=models.PROTECT, related_name="goals_adopted"
    )
    retired_on = models.DateField(
        null=True,
        blank=True,
        validators=[within_date_window],
        help_text="The day the goal stopped being one of the agency's (leave empty while current).",
    )

    objects = StrategicGoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(retired_on__isnull=True),
                name="one_current_goal_per_number",
                violation_error_message="A current goal already has this number.",
            )
        ]

    def __str__(self) -> str:
        return f"Goal {self.number}: {self.title}"

    @property
    def short(self) -> str:
        return f"G{self.number}"


class Affirmation(models.Model):
    """The SMT affirmed, at a meeting, the vision and implementation science as its means."""

    affirmed_on = models.DateField(validators=[within_date_window])
    vision = models.ForeignKey(VisionVersion, on_delete=models.PROTECT, related_name="affirmations")
    meeting = smt_meeting_field("The SMT meeting at which it was affirmed.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = limited_text(NOTE_LIMIT, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-affirmed_on", "-pk"]
        indexes = [models.Index(fields=["-affirmed_on"], name="affirmations_newest")]

    def __str__(self) -> str:
        return f"Affirmation of {self.affirmed_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:vision")


# --- The inventory ---------------------------------------------------------------------------


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    SCALING = "scaling", "Scaling"
    SUNSETTING = "sunsetting", "Sunsetting"
    ENDED = "ended", "Ended"


# Statuses whose initiatives still draw resources and are reviewed.
RUNNING = (Status.PROPOSED, Status.ACTIVE, Status.UNDER_REVIEW, Status.SCALING, Status.SUNSETTING)
# Reviews due within this many days are offered for the SMT's agenda.
REVIEW_NOTICE_DAYS = 60


class InitiativeQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=RUNNING)

    def innovations(self):
        return self.filter(is_innovation=True)

    def review_due(self, day: date | None = None, within_days: int = REVIEW_NOTICE_DAYS):
        day = day or today()
        return self.running().filter(next_review_on__lte=day + timedelta(days=within_days))

    def overdue(self, day: date | None = None):
        return self.running().filter(next_review_on__lt=day or today())

    def for_list(self):
        return self.select_related("division", "lead").only(
            "name",
            "status",
            "is_innovation",
            "next_review_on",
            "last_reviewed_on",
            "division__name",
            "division__short_name",
            "lead__first_name",
            "lead__last_name",
            "lead__username",
        )


class Initiative(models.Model):
    """Anything the agency funds or runs to improve outcomes."""

    name = models.CharField(max_length=200)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="initiatives")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives_led",
    )
    purpose = limited_text()
    target_population = models.CharField(
        max_length=300, help_text="Who it serves, for example students with disabilities."
    )
    grades = models.CharField(max_length=60, blank=True, help_text="For example PK-3 or 9-12.")
    intended_outcomes = limited_text()
    evidence_base = limited_text(
        blank=True, help_text="The research or local evidence behind it, with links."
    )
    teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="initiatives",
        verbose_name="where it is implemented",
        help_text="The teams that implement it, at any level.",
    )
    started_on = models.DateField(validators=[within_date_window])
    planned_end_on = models.DateField(
        "planned end", null=True, blank=True, validators=[within_date_window]
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PROPOSED)
    is_innovation = models.BooleanField(
        "an innovation",
        default=False,
        help_text="A practice or program implemented in the cascade, moving through the stages.",
    )
    review_cycle_months = models.PositiveSmallIntegerField(
        "review every (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Kept by the services from the reviews (the latest decision) so "review due" is one
    # indexed filter; not decisions themselves, so not in the audit history.
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    next_review_on = models.DateField(null=True, blank=True, editable=False)
    # Checked on save: the second of two people editing at once is refused, not overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[teams], excluded_fields=["last_reviewed_on", "next_review_on", "version"]
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["next_review_on"], name="initiative_review_due"),
            models.Index(fields=["division", "name"], name="initiatives_by_division"),
            models.Index(fields=["status", "name"], name="initiatives_by_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gt=F("started_on")),
                name="initiative_ends_after_start",
                violation_error_message="The planned end must be after the start.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.planned_end_on and self.started_on and self.planned_end_on <= self.started_on:
            raise ValidationError({"planned_end_on": "The planned end must be after the start."})

    def review_state(self, day: date | None = None) -> str:
        """ "overdue", "due" (within the notice), "later" or "none"."""
        day = day or today()
        if self.next_review_on is None or self.status not in RUNNING:
            return "none"
        if self.next_review_on < day:
            return "overdue"
        if self.next_review_on <= day + timedelta(days=REVIEW_NOTICE_DAYS):
            return "due"
        return "later"


class FundingSource(models.TextChoices):
    STATE = "state", "State funds"
    FEDERAL = "federal", "Federal funds"
    GRANT = "grant", "Grant or foundation"
    LOCAL = "local", "Local or partner funds"
    OTHER = "other", "Other"


MAX_AMOUNT = Decimal("999999999999.99")


class Funding(models.Model):
    """Money and staff time from one source for one fiscal year."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="funding")
    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="Named by the year it ends in: FY 2027 runs from July 2026 to June 2027.",
    )
    source = models.CharField(max_length=10, choices=FundingSource.choices)
    source_detail = models.CharField(
        "source detail",
        max_length=150,
        blank=True,
        help_text="For example IDEA Part B or Title II.",
    )
    amount = models.DecimalField(
        "amount (dollars)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )
    fte = models.DecimalField(
        "staff time (FTE)",
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999"))],
        help_text="Full-time equivalents paid from this source.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "source", "pk"]
        indexes = [models.Index(fields=["fiscal_year", "initiative"], name="funding_by_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "fiscal_year", "source", "source_detail"],
                name="one_funding_line_per_source_and_year",
                violation_error_message="This initiative already has a line for this source "
                "and year; change that one instead.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(fte__gte=0), name="funding_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_source_display()} FY {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return self.initiative.get_absolute_url()


class Strength(models.TextChoices):
    PRIMARY = "primary", "Primary"
    CONTRIBUTING = "contributing", "Contributing"


class GoalAlignment(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="alignments")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.PROTECT, related_name="alignments")
    strength = models.CharField(max_length=12, choices=Strength.choices)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "goal"],
                name="one_alignment_per_goal",
                violation_error_message="This initiative is already aligned to this goal.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} serves {self.goal.short} ({self.get_strength_display()})"

    def get_absolute_url(self) -> str:
        return self.initiative.get_absolute_url()


class Overlap(models.Model):
    """Two initiatives that share a population, an outcome or staff: the first is always
    the one with the lower id, so a pair is recorded once."""

    first = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="overlaps_first")
    second = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="overlaps_second")
    shares_population = models.BooleanField("shared population", default=False)
    shares_outcome = models.BooleanField("shared outcome", default=False)
    shares_staff = models.BooleanField("shared staff", default=False)
    note = limited_text(NOTE_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["first__name", "second__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                name="one_overlap_per_pair",
                violation_error_message="This overlap is already recorded.",
            ),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="overlap_pair_ordered"),
            models.CheckConstraint(
                condition=Q(shares_population=True) | Q(shares_outcome=True) | Q(shares_staff=True),
                name="overlap_shares_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} overlaps {self.second}"

    def get_absolute_url(self) -> str:
        return self.first.get_absolute_url()

    @property
    def shared(self) -> list[str]:
        kinds = [
            (self.shares_population, "population"),
            (self.shares_outcome, "outcome"),
            (self.shares_staff, "staff"),
        ]
        return [label for on, label in kinds if on]

    def other(self, initiative: Initiative) -> Initiative:
        return self.second if initiative.pk == self.first_id else self.first


# --- Reviews ---------------------------------------------------------------------------------


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    EXPAND = "expand", "Expand"
    MODIFY = "modify", "Modify"
    CONSOLIDATE = "consolidate", "Consolidate with another"
    SUNSET = "sunset", "Sunset"


# What each decision does to the initiative's status, and when it is reviewed next: a
# changed initiative is looked at again sooner than one that simply continues.
DECISION_EFFECTS: dict[str, tuple[str, int | None]] = {
    Decision.CONTINUE: (Status.ACTIVE, None),  # None: the initiative's own cycle
    Decision.EXPAND: (Status.SCALING, None),
    Decision.MODIFY: (Status.ACTIVE, 6),
    Decision.CONSOLIDATE: (Status.SUNSETTING, 6),
    Decision.SUNSET: (Status.SUNSETTING, 6),
}


def next_review_after(decision: str, held_on: date, cycle_months: int) -> date:
    """The next review date a decision implies, counted from the review."""
    months = DECISION_EFFECTS[decision][1] or cycle_months
    return add_months(held_on, months)


class Review(models.Model):
    """The SMT's formal review of an initiative, ending in a recorded decision."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("reviewed on", validators=[within_date_window])
    was_due_on = models.DateField(null=True, blank=True, editable=False)
    alignment_notes = limited_text(
        NOTE_LIMIT, blank=True, help_text="How it serves the current goals, and where it does not."
    )
    results_notes = limited_text(
        NOTE_LIMIT, blank=True, help_text="Evidence of results so far, in words."
    )
    results_link = models.URLField(
        "link to the data", blank=True, max_length=500, help_text="A dashboard or report, if any."
    )
    resources_notes = limited_text(
        NOTE_LIMIT, blank=True, help_text="Money and staff capacity: enough, too much, elsewhere?"
    )
    overlap_notes = limited_text(NOTE_LIMIT, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices)
    consolidate_with = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed_reviews",
        help_text="For a consolidation: the initiative it joins.",
    )
    rationale = limited_text(help_text="Why the SMT decided so.")
    next_review_on = models.DateField(editable=False)
    meeting = smt_meeting_field("The SMT meeting where the decision was taken.")
    # The decision as the meetings' register holds it.
    recorded_decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["initiative", "-held_on"], name="reviews_newest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="consolidate") | Q(consolidate_with__isnull=False),
                name="consolidation_names_its_partner",
                violation_error_message="Name the initiative it is consolidated with.",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.initiative} on {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:review", args=[self.pk])


# --- Stages of implementation ---------------------------------------------------------------


class Stage(models.TextChoices):
    EXPLORATION = "exploration", "Exploration"
    INSTALLATION = "installation", "Installation"
    INITIAL = "initial", "Initial implementation"
    FULL = "full", "Full implementation"
    SUSTAINMENT = "sustainment", "Sustainment"
    DEIMPLEMENTATION = "deimplementation", "De-implementation"


STAGE_RANK = {stage: rank for rank, stage in enumerate(Stage.values, start=1)}
# From full implementation on, the innovation is in place (de-implementation aside).
IN_PLACE = (Stage.FULL, Stage.SUSTAINMENT)


class StageRecord(models.Model):
    """A unit moved into a stage of implementing an innovation, on a day, with evidence."""

    innovation = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="stages")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="innovation_stages")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    entered_on = models.DateField(validators=[within_date_window])
    evidence = limited_text(NOTE_LIMIT, help_text="What shows the unit is in this stage.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The unit's latest record for the innovation: kept by the service, so the heat-map
    # reads one row per cell from an index.
    is_current = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords(excluded_fields=["is_current"])

    class Meta:
        ordering = ["-entered_on", "-pk"]
        indexes = [
            models.Index(
                fields=["team", "innovation"], condition=Q(is_current=True), name="current_stages"
            ),
            models.Index(fields=["innovation", "team", "-entered_on"], name="stage_history"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "team"],
                condition=Q(is_current=True),
                name="one_current_stage_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_stage_display()} of {self.innovation}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:team-stages", args=[self.team_id])

    @property
    def rank(self) -> int:
        return STAGE_RANK[self.stage]


# --- Innovation selection --------------------------------------------------------------------


class SelectionProtocol(models.Model):
    """A selection protocol as data: its indicators, their prompts and the scale."""

    name = models.CharField(max_length=150, unique=True)
    description = limited_text(NOTE_LIMIT, blank=True)
    scale_min = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    scale_max = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    scale_labels = models.JSONField(
        default=dict, blank=True, help_text="What each point of the scale means."
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="protocol_scale_runs_up"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:protocol", args=[self.pk])

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def label_of(self, point: int) -> str:
        return (self.scale_labels or {}).get(str(point), "")


class Indicator(models.Model):
    protocol = models.ForeignKey(
        SelectionProtocol, on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    group = models.CharField(
        max_length=60, blank=True, help_text="For example program or site indicators."
    )
    prompt = limited_text(help_text="What raters consider when scoring this indicator.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["protocol", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "key"], name="indicator_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.protocol.get_absolute_url()


class Presence(models.TextChoices):
    PRESENT = "present", "Present"
    PARTIAL = "partial", "Partial"
    ABSENT = "absent", "Absent"


# The usable-innovation checklist: what a usable innovation has.
CHECKLIST = (
    ("clear_description", "Clear description"),
    ("essential_functions", "Clear essential functions"),
    ("operational_definitions", "Operational definitions (a practice profile)"),
    ("fidelity_assessment", "Practical fidelity assessment"),
)


class Outcome(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    DO_NOT_ADOPT = "do_not_adopt", "Do not adopt"
    GATHER_MORE = "gather_more", "Gather more information"


# The outcomes that bring the candidate into the inventory.
TAKEN_UP = (Outcome.ADOPT, Outcome.ADAPT)


class CandidateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(outcome="")


def _presence(label: str) -> models.CharField:
    return models.CharField(label, max_length=8, choices=Presence.choices, default=Presence.ABSENT)


class Candidate(models.Model):
    """A practice or program considered for adoption, rated on a protocol."""

    name = models.CharField(max_length=200)
    description = limited_text(help_text="What it is, and what it seeks to change.")
    target_population = models.CharField(
        max_length=300, blank=True, help_text="Who it would serve."
    )
    intended_outcomes = limited_text(NOTE_LIMIT, blank=True)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="candidates", help_text="Who would own it."
    )
    protocol = models.ForeignKey(
        SelectionProtocol, on_delete=models.PROTECT, related_name="candidates"
    )
    raters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="candidates_to_rate",
        help_text="The people who rate it, each privately until they submit.",
    )
    clear_description = _presence("clear description")
    essential_functions = _presence("clear essential functions")
    operational_definitions = _presence("operational definitions (a practice profile)")
    fidelity_assessment = _presence("practical fidelity assessment")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The decision: empty until it is taken.
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True, validators=[within_date_window])
    rationale = limited_text(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting = smt_meeting_field("The SMT meeting where the outcome was decided.")
    recorded_decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    initiative = models.OneToOneField(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="selected_from",
        help_text="The initiative an adopted candidate became.",
    )

    objects = CandidateQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[raters])

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:candidate", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return not self.outcome

    def checklist(self) -> list[tuple[str, str, str]]:
        """(label, value, shown) for each point of the usable-innovation checklist."""
        return [
            (label, getattr(self, name), getattr(self, f"get_{name}_display")())
            for name, label in CHECKLIST
        ]


class RatingSheet(models.Model):
    """One rater's scores for one candidate: private to the rater until submitted."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="sheets")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rating_sheets"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rater__last_name", "rater__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "rater"], name="one_sheet_per_rater")
        ]

    def __str__(self) -> str:
        return f"{self.rater}'s ratings of {self.candidate}"

    def get_absolute_url(self) -> str:
        return self.candidate.get_absolute_url()


class SelectionRating(models.Model):
    sheet = models.ForeignKey(RatingSheet, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="one_rating_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"

    def get_absolute_url(self) -> str:
        return self.sheet.candidate.get_absolute_url()
