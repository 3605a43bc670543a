"""The decision-support data system: instruments, administrations scored by consensus, and
the implementation data (training and coaching).

Instruments are data. Each change to an instrument's wording is a new `InstrumentVersion`
with its own sections and items, and an administration points at the version it was given
with, so a completed administration always shows the wording its team saw. Items keep a
`key` across versions, which is how results compare an item with the same item last time.
"""

from __future__ import annotations

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
