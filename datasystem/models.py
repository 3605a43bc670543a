"""The decision-support data system: instruments, administrations scored by consensus, and
the implementation data (training and coaching).

Instruments are data. Each change to an instrument's wording is a new `InstrumentVersion`
with its own sections and items, and an administration points at the version it was given
with, so a completed administration always shows the wording its team saw. Items keep a
`key` across versions, which is how results compare an item with the same item last time.
"""

from __future__ import annotations

from django.core import validators
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from teams.models import NOTE_LIMIT, Team, User, limited_text, today, within_date_window

# A low item: under half its points (0 of 2, "not in place"), the ones to plan for.
LOW_SHARE = 0.5
PROMPT_LIMIT = 1_000


class Kind(models.TextChoices):
    CAPACITY = "capacity", "Capacity assessment"
    FIDELITY = "fidelity", "Fidelity assessment"


class InstrumentQuerySet(models.QuerySet):
    def for_level(self, level: str):
        """The instruments for teams of this level. The levels are a short JSON list and
        instruments few, so they are read here rather than asked of each database's JSON
        operators (SQLite has no containment)."""
        ids = [pk for pk, levels in self.values_list("pk", "levels") if level in (levels or [])]
        return self.filter(pk__in=ids)


class Instrument(models.Model):
    key = models.SlugField(
        max_length=60, unique=True, help_text="Its stable name in files: letters, digits, -."
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CAPACITY)
    description = limited_text(blank=True)
    levels = models.JSONField(
        "team levels", default=list, help_text="The team levels it applies to."
    )
    due_every_days = models.PositiveSmallIntegerField(
        "due every (days)",
        default=182,
        validators=[MinValueValidator(7), MaxValueValidator(1_096)],
        help_text="How often teams give it: twice a year by default.",
    )
    innovation = models.CharField(
        max_length=150, blank=True, help_text="For a fidelity assessment: what it measures."
    )
    threshold = models.PositiveSmallIntegerField(
        "fidelity threshold (% of points)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_demo = models.BooleanField(
        "demo instrument",
        default=False,
        help_text="Written for this portal to show how instruments work; not a licensed "
        "instrument.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InstrumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="capacity") | Q(threshold__isnull=False),
                name="fidelity_instrument_has_threshold",
                violation_error_message="A fidelity instrument needs its threshold.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("datasystem:instrument", args=[self.pk])

    @property
    def level_labels(self) -> str:
        from teams.models import Level

        labels = dict(Level.choices)
        return ", ".join(str(labels.get(level, level)) for level in self.levels)

    def latest_version(self) -> InstrumentVersion | None:
        return self.versions.order_by("-number").first()


class InstrumentVersion(models.Model):
    """The wording of an instrument at one time: once an administration used it, never
    changed again (a change makes the next version)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    note = models.CharField("what changed", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} (version {self.number})"


class Section(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_section_key_per_version")
        ]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=60)
    number = models.PositiveSmallIntegerField(help_text="Its number on the instrument, from 1.")
    prompt = limited_text(PROMPT_LIMIT)
    # [{"score": 0, "meaning": "Not in place"}, ...], lowest first.
    rubric = models.JSONField(default=list)
    max_score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_item_key_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.prompt[:80]}"

    @property
    def score_values(self) -> list[int]:
        return [level["score"] for level in self.rubric]

    def meaning(self, score: int | None) -> str:
        for level in self.rubric:
            if level["score"] == score:
                return level["meaning"]
        return ""


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class AdministrationQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(status=Status.COMPLETED)

    def for_lists(self):
        return self.select_related("team", "instrument", "facilitator").order_by("-held_on", "-pk")


class AdministrationManager(models.Manager.from_queryset(AdministrationQuerySet)):
    def get_queryset(self):
        # Its name is its instrument's and team's: every list and label needs them.
        return super().get_queryset().select_related("team", "instrument")


class Administration(models.Model):
    """One giving of an instrument by a team, on a day, scored by consensus."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="administrations")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="administrations"
    )
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="administrations"
    )
    held_on = models.DateField(default=today, validators=[within_date_window])
    facilitator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="facilitated")
    participants = models.ManyToManyField(User, related_name="assessments_taken")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(null=True, blank=True)
    # The percent of possible points, kept when completed (the results are read from the
    # scores; these serve lists and trends across thousands of teams without a join).
    total_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    objects = AdministrationManager()
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "instrument", "-held_on"], name="team_administrations"),
            models.Index(fields=["status", "-held_on"], name="administrations_by_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(completed_on__isnull=False),
                name="completed_administration_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} — {self.team}, {self.held_on:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("datasystem:administration", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.status == Status.COMPLETED

    @property
    def participant_ids(self) -> frozenset[int]:
        """Who takes part, read once per request."""
        if not hasattr(self, "_participant_ids"):
            self._participant_ids = frozenset(self.participants.values_list("pk", flat=True))
        return self._participant_ids


class LiveRound(models.Model):
    """Where the live consensus session of an administration stands: the item the
    facilitator opened, and whether its votes are shown. Not a decision, so not audited;
    the consensus score it leads to is."""

    administration = models.OneToOneField(
        Administration, on_delete=models.CASCADE, related_name="live"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True)
    revealed = models.BooleanField(default=False)
    # Moves on with every change, so a polling page knows when to redraw.
    step = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Live session of {self.administration_id}"


class Vote(models.Model):
    """A participant's score for an item in the live session, hidden until all voted or
    the facilitator reveals them; its spread is kept with the consensus score."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="votes"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "item", "voter"], name="one_vote_per_person_and_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter}: {self.score}"


class ItemScoreManager(models.Manager):
    def get_queryset(self):
        # Its name is its item's and its administration's: lists of action items and the
        # audit history show it by that name.
        return (
            super()
            .get_queryset()
            .select_related("item", "administration__team", "administration__instrument")
        )


class ItemScore(models.Model):
    """The team's consensus on one item: a score, or not applicable (left out of the
    possible points), with a note and the spread of the votes that led to it."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    note = limited_text(NOTE_LIMIT, blank=True)
    # {"0": 1, "1": 3, "2": 0}: how many voted each score, when it was voted live.
    spread = models.JSONField("spread of votes", default=dict, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ItemScoreManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["administration", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "item"], name="one_score_per_item"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, score__isnull=True)
                | Q(not_applicable=False, score__isnull=False),
                name="score_or_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        prompt = self.item.prompt if len(self.item.prompt) <= 60 else self.item.prompt[:59] + "…"
        return f"Item {self.item.number} ({prompt}) of {self.administration}"

    def get_absolute_url(self) -> str:
        return reverse("datasystem:administration", args=[self.administration_id]) + (
            f"#item-{self.item_id}"
        )

    @property
    def is_low(self) -> bool:
        return not self.not_applicable and self.score < self.item.max_score * LOW_SHARE


# --- Implementation data ------------------------------------------------------------------


class TrainingEvent(models.Model):
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        related_name="training_events",
        help_text="The team the training was for.",
    )
    innovation = models.CharField(max_length=150)
    held_on = models.DateField("date", default=today, validators=[within_date_window])
    trainer = models.CharField(max_length=150)
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(80)],
    )
    covered_essential_functions = models.BooleanField(
        "covered the essential functions",
        default=False,
        help_text="The training taught the innovation's essential functions.",
    )
    attendees = models.ManyToManyField(User, related_name="trainings_attended")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "-held_on"], name="team_training_newest"),
            models.Index(fields=["-held_on", "-id"], name="training_newest"),
            models.Index(fields=["innovation"], name="training_by_innovation"),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} training for {self.team}, {self.held_on:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("datasystem:team-implementation", args=[self.team_id])


class CoachingSession(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coaching_sessions")
    coach = models.ForeignKey(User, on_delete=models.PROTECT, related_name="coaching_given")
    coachee = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_received",
        help_text="Leave empty when the whole team was coached.",
    )
    held_on = models.DateField("date", default=today, validators=[within_date_window])
    innovation = models.CharField(max_length=150)
    focus = models.CharField(max_length=200)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "-held_on"], name="team_coaching_newest"),
            models.Index(fields=["-held_on", "-id"], name="coaching_newest"),
        ]

    def __str__(self) -> str:
        whom = self.coachee or self.team
        return f"Coaching of {whom} by {self.coach}, {self.held_on:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("datasystem:team-implementation", args=[self.team_id])


# --- Outcomes ------------------------------------------------------------------------------
#
# Aggregate outcome data only: a value per unit (a team of the cascade standing for the
# state, a region, a district or a building), period and student group, with the number of
# students behind it. No student-level record is ever stored. Whether a value may be seen
# is decided per table (one measure, one period) by `suppression.suppress`, and kept on
# each value (`hidden`), so every page hides the same cells without deciding again.


class MeasureUnit(models.TextChoices):
    PERCENT = "percent", "Percent"
    RATE = "rate", "Rate"
    COUNT = "count", "Count"
    SCORE = "score", "Score"


class GoodDirection(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


# A measure reports all students and up to about ten groups.
MAX_GROUPS = 12
# The range a value of each unit may take unless the measure says otherwise.
UNIT_RANGES = {
    MeasureUnit.PERCENT: (0, 100),
    MeasureUnit.RATE: (0, 1000),
    MeasureUnit.COUNT: (0, 10_000_000),
    MeasureUnit.SCORE: (0, 1000),
}
VALUE_DIGITS, VALUE_PLACES = 12, 3
MAX_STUDENTS = 10_000_000


class Measure(models.Model):
    """An outcome the agency reports, defined by admins."""

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text="How the import files name it: lowercase letters, digits and dashes.",
    )
    name = models.CharField(max_length=150, unique=True)
    description = limited_text(NOTE_LIMIT, blank=True)
    unit = models.CharField(max_length=10, choices=MeasureUnit.choices)
    good_direction = models.CharField(
        "the direction that is good", max_length=4, choices=GoodDirection.choices
    )
    lowest = models.DecimalField(
        "lowest value", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    highest = models.DecimalField(
        "highest value", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lowest__lt=models.F("highest")),
                name="measure_range_not_empty",
                violation_error_message="The lowest value must be below the highest.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("datasystem:measures") + f"#measure-{self.pk}"

    @property
    def is_sum(self) -> bool:
        """Counts add up across units; percents, rates and scores are averaged by students."""
        return self.unit == MeasureUnit.COUNT

    @property
    def suffix(self) -> str:
        return "%" if self.unit == MeasureUnit.PERCENT else ""


class MeasureGroup(models.Model):
    """A student group a measure reports: all students (the total), or a group of a
    partition (every student is in exactly one group of it: the sexes, the races), or a
    group on its own (English learners, whose complement is not reported)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    partition = models.SlugField(
        max_length=40,
        blank=True,
        help_text="The groups of one partition add up to all students (sex, race).",
    )
    is_total = models.BooleanField("all students", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "key"], name="one_group_key_per_measure"),
            models.UniqueConstraint(
                fields=["measure"], condition=Q(is_total=True), name="one_total_group_per_measure"
            ),
            models.CheckConstraint(
                condition=Q(is_total=False) | Q(partition=""), name="total_group_in_no_partition"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Period(models.Model):
    """A reporting period (a school year, a term), the same for every measure."""

    key = models.CharField(
        max_length=20,
        unique=True,
        validators=[validators.RegexValidator(r"\A[0-9A-Za-z][0-9A-Za-z_.-]*\Z")],
        help_text="How the import files name it, for example 2025-26.",
    )
    label = models.CharField(max_length=60)
    starts_on = models.DateField(
        validators=[within_date_window], help_text="Periods are shown in order of their start."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "key"]
        constraints = [models.UniqueConstraint(fields=["starts_on"], name="one_period_per_start")]

    def __str__(self) -> str:
        return self.label


class Hidden(models.TextChoices):
    SHOWN = "", "Shown"
    SMALL = "small", "Fewer students than the minimum"
    COMPLEMENTARY = "complementary", "Hidden beside a small value"


class OutcomeTable(models.Model):
    """One measure in one period across every unit and group: the whole over which
    suppression is decided. Records when and with which minimum cell size the decision was
    made, and the Transformation Zone's aggregates decided with it; a table decided with
    another minimum, or another Zone, is shown as nothing until decided again."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="tables")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="tables")
    minimum = models.PositiveSmallIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The buildings in the Zone when the aggregates were decided (a digest of their ids).
    zone_key = models.CharField(max_length=64, blank=True)
    # {group_id: {"zone": [value, students, hidden], "rest": [...]}}: raw, read only
    # through `Shown`.
    aggregates = models.JSONField(default=dict, blank=True)
    cells = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_table_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure}, {self.period}"


class OutcomeValue(models.Model):
    """A measure's value for one unit, period and student group, and how many students it
    stands on. Never shown raw: pages read it through `Shown`, which drops a hidden one."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    group = models.ForeignKey(MeasureGroup, on_delete=models.CASCADE, related_name="values")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="outcome_values")
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    students = models.PositiveIntegerField(validators=[MaxValueValidator(MAX_STUDENTS)])
    # Decided over the whole table by suppression.suppress; derived, so not audited.
    hidden = models.CharField(max_length=13, choices=Hidden.choices, default="", blank=True)
    job = models.ForeignKey(
        "ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The import that last wrote it.",
    )

    history = HistoricalRecords(excluded_fields=["hidden"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "team", "group"], name="one_value_per_cell"
            )
        ]
        indexes = [
            models.Index(fields=["team", "measure", "period"], name="outcomes_of_a_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} of {self.team}, {self.period}, {self.group}"


def _imports_storage():
    """Where uploaded outcome files wait for their import: never served to anyone."""
    return storages["imports"]


class ImportMode(models.TextChoices):
    WHOLE = "whole", "Write nothing: every row must be right first"
    GOOD_ROWS = "good_rows", "Write the good rows, and keep the rejected ones to correct"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    REJECTED = "rejected", "Rejected: nothing written"
    FAILED = "failed", "Failed: nothing written"


class ImportJob(models.Model):
    """One import of an outcome file: who, when, which file, what became of its rows."""

    file = models.FileField(storage=_imports_storage, upload_to="outcomes/", blank=True)
    file_name = models.CharField(max_length=255)
    mode = models.CharField(max_length=10, choices=ImportMode.choices, default=ImportMode.WHOLE)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    # Of those written, the values that replaced one already there (audited as changes).
    rows_corrected = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # The first problems, each "Line N: what is wrong"; all are in the rejected rows file.
    problems = models.JSONField(default=list, blank=True)
    rejected_file = models.FileField(storage=_imports_storage, upload_to="rejected/", blank=True)
    result = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="import_jobs_newest")]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("datasystem:import-job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.REJECTED, JobStatus.FAILED)
