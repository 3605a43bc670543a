"""The practice-policy communication cycle: barriers up the cascade and answers back down
the same path, the systemic changes they lead to, the linking protocols between teams,
and sponsors' support to the STSs between SMT meetings.

Rule 4 of the handouts: a barrier moves one level at a time, up or back down the path it
came, and each move is recorded with who, when and a note (BarrierMove). The path is the
moves themselves: an answer goes down to the team each level received it from.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import (
    NOTE_LIMIT,
    Division,
    Team,
    TeamUpdate,
    User,
    limited_text,
    today,
    within_date_window,
)

from .meetings import Decision, Meeting

# --- Barriers -----------------------------------------------------------------------------


class BarrierKind(models.TextChoices):
    BARRIER = "barrier", "Barrier to practice"
    FEEDBACK = "feedback", "Practice-to-policy feedback"


class BarrierStage(models.TextChoices):
    # Travelling up: held by a team that may resolve it or pass it up.
    OPEN = "open", "Waiting for an answer"
    # Answered: the answer travels back down, level by level.
    ANSWERED = "answered", "Answer travelling down"
    # The raising team has the answer; it confirms it reached practice (or reopens it).
    RETURNED = "returned", "Answer back with the raising team"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    PRACTICE = "practice", "Resolved by a practice change"
    SYSTEMIC = "systemic", "Resolved by a systemic change"
    NOT_ACTIONABLE = "not_actionable", "Not actionable"
    MERGED = "merged", "Merged into another barrier"


class BarrierQuerySet(models.QuerySet):
    def waiting_with(self, team_ids):
        return self.filter(holder__in=team_ids).exclude(stage=BarrierStage.CLOSED)

    def for_lists(self):
        return self.select_related("team", "holder").only(
            "title",
            "kind",
            "stage",
            "outcome",
            "raised_at",
            "moved_at",
            "reached_state",
            "heard_back_at",
            "helped",
            "team__name",
            "team__level",
            "team__is_management_team",
            "holder__name",
            "holder__level",
            "holder__is_management_team",
        )


class Barrier(models.Model):
    """What helps or hinders practice, raised by a team for the team above to act on."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="barriers_raised")
    kind = models.CharField(max_length=10, choices=BarrierKind.choices, default="barrier")
    title = models.CharField(max_length=200, help_text="The barrier in a line.")
    practice = limited_text(help_text="What happens in practice.")
    effect = limited_text(help_text="Its effect: on whom, and how much.")
    would_help = limited_text(help_text="What would help.")
    evidence_update = models.ForeignKey(
        TeamUpdate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="evidence: a team update",
    )
    evidence_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="evidence: a meeting's minutes",
    )
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    # Where it is now, and since when: kept by the services on every move, so queues are
    # one indexed filter and "days waiting" one subtraction in the database.
    holder = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="barriers_held")
    moved_at = models.DateTimeField(default=timezone.now)
    stage = models.CharField(max_length=10, choices=BarrierStage.choices, default="open")
    answer = limited_text(blank=True, help_text="The answer, as the answering team gave it.")
    answered_by_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    outcome_reason = limited_text(NOTE_LIMIT, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # Did it ever reach a state-level team or the SMT (the follow-through view's items)?
    reached_state = models.BooleanField(default=False)
    # The raising team confirmed the answer reached practice.
    heard_back_at = models.DateTimeField(null=True, blank=True)
    helped = models.BooleanField(null=True, blank=True)

    objects = BarrierQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["holder", "stage", "moved_at"], name="barriers_held_by_stage"),
            # What waits with a team, longest waiting first: read in order from the index.
            models.Index(
                fields=["holder", "moved_at"],
                condition=~Q(stage="closed"),
                name="barriers_waiting",
            ),
            # The state's longest waiting, across every holder (the state dashboard).
            models.Index(
                fields=["moved_at", "id"],
                condition=~Q(stage="closed"),
                name="barriers_waiting_longest",
            ),
            models.Index(fields=["team", "-raised_at"], name="barriers_raised_newest"),
            models.Index(
                fields=["-raised_at"], condition=Q(reached_state=True), name="barriers_to_state"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="closed") | Q(outcome="") | ~Q(outcome="merged"),
                name="merged_barrier_is_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("barriers:barrier", args=[self.pk])

    @property
    def days_waiting(self) -> int:
        return (timezone.now() - self.moved_at).days


class MoveKind(models.TextChoices):
    RAISED = "raised", "Raised"
    ESCALATED = "escalated", "Passed up"
    ANSWERED = "answered", "Answered"
    PASSED_DOWN = "passed_down", "Answer passed down"
    CONFIRMED = "confirmed", "Confirmed: it reached practice"
    REOPENED = "reopened", "Did not help: reopened"
    MERGED = "merged", "Merged"


class BarrierMove(models.Model):
    """One move of a barrier: who moved it, from which team to which, when, and why."""

    barrier = models.ForeignKey(Barrier, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=12, choices=MoveKind.choices)
    from_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # When the barrier moved on from `to_team` (None while it is still there): the time
    # spent at each level is a sum over moves in the database.
    left_at = models.DateTimeField(null=True, blank=True)
    note = limited_text(NOTE_LIMIT, blank=True)

    class Meta:
        ordering = ["barrier", "at", "pk"]
        indexes = [models.Index(fields=["barrier", "at"], name="barrier_moves_in_order")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.barrier}"


# --- Systemic changes ----------------------------------------------------------------------


class ChangeKind(models.TextChoices):
    ROLES = "roles", "Roles"
    FUNCTIONS = "functions", "Functions"
    STRUCTURES = "structures", "Structures"
    POLICY = "policy", "Policy"
    GUIDANCE = "guidance", "Guidance"
    FUNDING = "funding", "Funding"


class SystemicChange(models.Model):
    """A change the SMT made to the system's roles, functions, structures, policy, guidance
    or funding, with the barriers and decisions behind it."""

    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    title = models.CharField(max_length=200)
    description = limited_text(help_text="What changed, and for whom.")
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name="owning division"
    )
    effective_on = models.DateField(validators=[within_date_window])
    barriers = models.ManyToManyField(Barrier, blank=True, related_name="changes")
    decisions = models.ManyToManyField(Decision, blank=True, related_name="changes")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[barriers, decisions])

    class Meta:
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("barriers:change", args=[self.pk])


# --- Linking communication protocols ---------------------------------------------------------


PASSED_ITEMS = {
    "updates": "Updates",
    "successes": "Successes",
    "challenges": "Challenges",
    "barriers": "Barriers",
    "actions_on_barriers": "Actions taken on past barriers",
    "decisions": "Decisions to revisit",
}


# A protocol outside these bounds is a typo, not a plan: a report more than once a day or
# less than once a year, an answer slower than a quarter, a slot longer than a working day.
PROTOCOL_BOUNDS = {"every_days": (1, 366), "minutes": (1, 480), "response_days": (1, 90)}


class LinkProtocol(models.Model):
    """How two linked teams talk: from whom to whom, why, what, who, how often, how long,
    in what format, and how soon and in what form the answer comes back."""

    from_team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="protocols_out")
    to_team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="protocols_in")
    rationale = limited_text(NOTE_LIMIT, help_text="Why the two teams talk.")
    passes = models.JSONField("what is passed", default=list)
    responsible_from = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="responsible (sending)"
    )
    responsible_to = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="responsible (receiving)"
    )
    BOUNDS = PROTOCOL_BOUNDS

    every_days = models.PositiveSmallIntegerField(
        "how often (days)",
        default=30,
        help_text="A report is passed up this often.",
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    minutes = models.PositiveSmallIntegerField(
        "time allotted (minutes)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
    )
    format = models.CharField(
        max_length=200,
        help_text="For example: the linking member's report at the team above's monthly meeting.",
    )
    response_days = models.PositiveSmallIntegerField(
        "answer within (days)",
        default=10,
        help_text="How soon the answer comes back.",
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    response_format = models.CharField("answer format", max_length=200)
    started_on = models.DateField(default=today, validators=[within_date_window])

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_team", "to_team"],
                name="one_protocol_per_link_direction",
                violation_error_message="These two teams already have a protocol this way.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": low, f"{name}__lte": high}),
                    name=f"protocol_{name}_within_bounds",
                )
                for name, (low, high) in PROTOCOL_BOUNDS.items()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_team} → {self.to_team}"

    def get_absolute_url(self) -> str:
        return reverse("barriers:protocol", args=[self.pk])

    def passes_labels(self) -> list[str]:
        return [PASSED_ITEMS[key] for key in self.passes if key in PASSED_ITEMS]

    def due_for_review(self, on: date | None = None) -> bool:
        """After it has run twice, both teams review it."""
        on = on or today()
        return (on - self.started_on).days >= 2 * self.every_days


class Verdict(models.TextChoices):
    WORKING = "working", "Working"
    ADJUST = "adjust", "Needs adjusting"


class ProtocolReview(models.Model):
    protocol = models.ForeignKey(LinkProtocol, on_delete=models.CASCADE, related_name="reviews")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    notes = limited_text(NOTE_LIMIT, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(default=today)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_verdict_display()}"


# --- Sponsor support --------------------------------------------------------------------------


class SupportKind(models.TextChoices):
    INTRODUCTION = "introduction", "An introduction"
    DECISION = "decision", "A decision"
    RESOURCE = "resource", "A resource"
    MESSAGE = "message", "A message from leadership"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon"
    URGENT = "urgent", "Urgent"


class SupportRequest(models.Model):
    """An STS asks a paired sponsor for support between SMT meetings."""

    specialist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="support_asked")
    sponsor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="support_received")
    kind = models.CharField("what kind of support", max_length=12, choices=SupportKind.choices)
    what = limited_text(help_text="What is needed.")
    needed_by = models.DateField(validators=[within_date_window])
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default="routine")
    asked_at = models.DateTimeField(default=timezone.now)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    # Working days to the first answer, counted when it came (weekends and the agency's
    # holidays left out), so each sponsor's median and slowest are read, not recomputed.
    first_response_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at"]
        indexes = [
            models.Index(fields=["sponsor", "-asked_at"], name="support_of_sponsor"),
            models.Index(fields=["specialist", "-asked_at"], name="support_of_specialist"),
        ]

    def __str__(self) -> str:
        text = self.what if len(self.what) <= 80 else self.what[:79] + "…"
        return f"Support: {text}"

    def get_absolute_url(self) -> str:
        return reverse("barriers:support-request", args=[self.pk])


class SupportReply(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="replies")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = limited_text(NOTE_LIMIT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"Reply by {self.by}"


class Holiday(models.Model):
    """A day the agency is closed: not counted in working-day response times."""

    day = models.DateField(unique=True, validators=[within_date_window])
    name = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.name} ({self.day:%-d %b %Y})"


class SharedKind(models.TextChoices):
    SUCCESS = "success", "Success"
    CHALLENGE = "challenge", "Adaptive challenge"


class SharedWithSmt(models.Model):
    """A success or an adaptive challenge an STS or sponsor brings to the SMT: offered for
    its next agenda."""

    kind = models.CharField(max_length=10, choices=SharedKind.choices)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    text = limited_text(NOTE_LIMIT)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at"]
        verbose_name_plural = "shared with the SMT"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.team}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("barriers:shared", args=[self.pk])
