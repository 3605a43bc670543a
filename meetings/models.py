"""Where the cascade meets: series, meetings, agendas, attendance, minutes, decisions and
action items, and the structured problem-solving format (TIPS).

Agenda items, decisions' evidence and action items' origins point at records of any app
through a generic link: `meetings` sits below `initiatives` and `datasystem` and may not
import them, so they register what may be linked in `meetings.registry`.
"""

from __future__ import annotations

import math
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import NOTE_LIMIT, Team, User, limited_text, today, within_date_window

# --- Series ---------------------------------------------------------------------------------


class Format(models.TextChoices):
    PLAIN = "plain", "Plain agenda and minutes"
    PROBLEM_SOLVING = "problem_solving", "Structured problem solving (TIPS)"


class QuorumKind(models.TextChoices):
    COUNT = "count", "A number of members"
    SHARE = "share", "A share of current members (percent)"


class MeetingSeries(models.Model):
    """A team's meetings, on the team's cadence, in one format and with one quorum rule."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="meeting_series")
    name = models.CharField(max_length=200)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.PLAIN)
    quorum_kind = models.CharField(
        "quorum rule", max_length=10, choices=QuorumKind.choices, default=QuorumKind.SHARE
    )
    quorum_value = models.PositiveSmallIntegerField(
        "quorum",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many members (a number), or what percent of current members, must "
        "be present or represented.",
    )
    usual_place = models.CharField(max_length=200, blank=True)
    usual_link = models.URLField("usual video link", blank=True)
    usual_start = models.TimeField("usual start time", default=time(9, 0))
    usual_length = models.PositiveSmallIntegerField(
        "usual length (minutes)",
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_kind="count") | Q(quorum_value__lte=100),
                name="quorum_share_at_most_all",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:team", args=[self.team_id])

    @property
    def is_problem_solving(self) -> bool:
        return self.format == Format.PROBLEM_SOLVING

    def quorum_needed(self, members: int) -> int:
        if self.quorum_kind == QuorumKind.COUNT:
            return self.quorum_value
        return max(1, math.ceil(members * self.quorum_value / 100))

    def quorum_label(self) -> str:
        if self.quorum_kind == QuorumKind.COUNT:
            return f"{self.quorum_value} member{'s' * (self.quorum_value != 1)}"
        return f"{self.quorum_value}% of current members"

    def next_start(self, after: datetime | None) -> datetime:
        """The next meeting proposed from the cadence: a cadence after the last one, at the
        usual time, never in the past."""
        zone = timezone.get_current_timezone()
        now = timezone.localtime()
        day = (
            (timezone.localtime(after).date() + timedelta(days=self.team.cadence))
            if after
            else None
        )
        if day is None or day <= now.date():
            day = now.date() + timedelta(days=1)
        # Meetings fall on working days.
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, self.usual_start), zone)


# --- Meetings --------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=_start_of_today())

    def held(self):
        return self.filter(status=MeetingStatus.HELD)

    def of_smt(self):
        return self.filter(team__is_management_team=True)

    def for_lists(self):
        return self.select_related("team", "facilitator").only(
            "starts_at",
            "length",
            "status",
            "place",
            "quorum_met",
            "team__name",
            "team__level",
            "team__is_management_team",
            "facilitator__first_name",
            "facilitator__last_name",
            "facilitator__username",
        )


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(today(), time.min))


class Meeting(models.Model):
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    # The series' team, kept on the meeting so "meetings of the teams I follow" is one
    # indexed filter, like updates.
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField("date and time")
    length = models.PositiveSmallIntegerField(
        "length (minutes)", default=90, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    facilitator = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note_taker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The third of the structured format's roles.
    data_analyst = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Kept from the attendance whenever it is recorded; None until it is.
    quorum_met = models.BooleanField(null=True, editable=False)
    present_count = models.PositiveSmallIntegerField(default=0, editable=False)
    member_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Raised on every change to the agenda's shape (items added, removed, moved), so a
    # second person working from an older agenda is refused rather than overwriting.
    agenda_version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["agenda_version"])

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["team", "-starts_at"], name="team_meetings_newest"),
            models.Index(fields=["-starts_at"], name="meetings_newest"),
            models.Index(fields=["team", "status", "starts_at"], name="team_meetings_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.team} — {timezone.localtime(self.starts_at):%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def held_on(self) -> date:
        return timezone.localtime(self.starts_at).date()

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.length)

    @property
    def is_open(self) -> bool:
        """Still being prepared or held: a cancelled meeting takes no more records."""
        return self.status != MeetingStatus.CANCELLED

    def clean(self) -> None:
        super().clean()
        if self.series_id and self.team_id and self.series.team_id != self.team_id:
            raise ValidationError({"series": "This series belongs to another team."})
        if self.starts_at:
            within_date_window(timezone.localtime(self.starts_at).date())


# --- Agendas and minutes ----------------------------------------------------------------------


class ItemKind(models.TextChoices):
    INFORMATION = "information", "Information"
    DISCUSSION = "discussion", "Discussion"
    DECISION = "decision", "Decision"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.DISCUSSION)
    presenter = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allotted = models.PositiveSmallIntegerField(
        "minutes allotted", default=10, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    # What the item is about: an update, an action item carried forward, a decision due
    # for review, or a record of a higher app (registered in meetings.registry).
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    carried_forward = models.BooleanField(default=False, editable=False)
    minutes = limited_text(4_000, blank=True, help_text="What was said and agreed.")
    minutes_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    minutes_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Checked on every save of the item or its minutes: two people editing at once, the
    # second is shown what the first saved instead of overwriting it.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "subject_type", "subject_id"],
                condition=Q(subject_id__isnull=False),
                name="a_record_once_per_agenda",
                violation_error_message="This is already on the agenda.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"


# --- Attendance ------------------------------------------------------------------------------


class Presence(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    REPRESENTED = "represented", "Represented"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(max_length=12, choices=Presence.choices)
    represented_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_each"),
            models.CheckConstraint(
                condition=Q(presence="represented", represented_by__isnull=False)
                | (~Q(presence="represented") & Q(represented_by__isnull=True)),
                name="represented_names_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_presence_display()}"


# --- Decisions ------------------------------------------------------------------------------


class DecisionQuerySet(models.QuerySet):
    def due_for_review(self, on: date):
        """Decisions whose review date has come and that no meeting has reviewed since."""
        return self.filter(review_on__lte=on).filter(
            Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=models.F("review_on"))
        )

    def for_lists(self):
        return self.select_related("team", "meeting").only(
            "text",
            "decided_on",
            "review_on",
            "reviewed_on",
            "without_quorum",
            "team__name",
            "team__level",
            "team__is_management_team",
            "meeting__starts_at",
        )


class Decision(models.Model):
    """What a team decided, at a meeting, on what evidence, and when it comes back."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = limited_text(NOTE_LIMIT, help_text="What was decided.")
    rationale = limited_text(blank=True, help_text="Why: what the team weighed.")
    decided_on = models.DateField(editable=False)
    review_on = models.DateField(
        "review date",
        null=True,
        blank=True,
        validators=[within_date_window],
        help_text="The decision comes back to the team's agenda on this date.",
    )
    reviewed_on = models.DateField(null=True, blank=True, editable=False)
    # Taken at a meeting whose attendance fell short of the series' quorum.
    without_quorum = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "-decided_on", "-id"], name="team_decisions_newest"),
            models.Index(fields=["-decided_on", "-id"], name="decisions_newest"),
            models.Index(fields=["team", "review_on"], name="team_decisions_review"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gt=models.F("decided_on")),
                name="decision_reviewed_after_taken",
                violation_error_message="The review date must be after the decision.",
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"Decision: {text}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:decision", args=[self.pk])


class Evidence(models.Model):
    """What a decision rests on: a record in the portal, or a document by its address."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evidence")
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.URLField("document link", blank=True)
    label = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(target_id__isnull=False) | ~Q(url=""),
                name="evidence_points_somewhere",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.url or f"{self.target_type} {self.target_id}"


# --- Action items ----------------------------------------------------------------------------


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, on: date | None = None):
        return self.open().filter(due_on__lt=on or today())

    def overdue_first(self):
        """Open before closed; among the open, the longest overdue first."""
        return self.annotate(
            closed=models.Case(
                models.When(status=ActionStatus.OPEN, then=models.Value(0)),
                default=models.Value(1),
            )
        ).order_by("closed", "due_on", "pk")

    def for_lists(self):
        return self.select_related("team", "owner").only(
            "what",
            "due_on",
            "status",
            "drop_reason",
            "done_on",
            "origin_type_id",
            "origin_id",
            "meeting_id",
            "team__name",
            "team__level",
            "team__is_management_team",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )


class ActionItem(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="action_items")
    what = limited_text(NOTE_LIMIT, help_text="What is to be done.")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="action_items")
    due_on = models.DateField("due", validators=[within_date_window])
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    done_on = models.DateField(null=True, blank=True, editable=False)
    drop_reason = limited_text(NOTE_LIMIT, blank=True)
    # Where it came from: an agenda item, a barrier, an assessment item...
    origin_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="actions_of_owner"),
            models.Index(fields=["team", "status", "due_on"], name="actions_of_team"),
            models.Index(fields=["origin_type", "origin_id"], name="actions_by_origin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="dropped_action_says_why",
            ),
        ]

    def __str__(self) -> str:
        text = self.what if len(self.what) <= 80 else self.what[:79] + "…"
        return f"Action: {text}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:action", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today()


# --- Structured problem solving (TIPS) -------------------------------------------------------


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Being worked on"
    SOLVED = "solved", "Solved"
    SET_ASIDE = "set_aside", "Set aside"


class Problem(models.Model):
    """A precise problem statement: what, who, where, when and why, with its goal."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="problems")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="problems")
    what = limited_text(NOTE_LIMIT, help_text="What is happening, in observable terms.")
    who = models.CharField(max_length=200, help_text="Which students or staff.")
    where = models.CharField(max_length=200, help_text="Where it happens.")
    when = models.CharField(max_length=200, help_text="When it happens.")
    why = limited_text(NOTE_LIMIT, help_text="Why the team thinks it happens.")
    goal = limited_text(NOTE_LIMIT, help_text="What the data will show when it is solved.")
    status = models.CharField(max_length=10, choices=ProblemStatus.choices, default="open")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__starts_at", "pk"]

    def __str__(self) -> str:
        text = self.what if len(self.what) <= 80 else self.what[:79] + "…"
        return f"Problem: {text}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:problem", args=[self.pk])


class Fidelity(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PARTLY = "partly", "Partly implemented"
    WITH_FIDELITY = "with_fidelity", "Implemented with fidelity"
    STOPPED = "stopped", "Stopped"


class Solution(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="solutions")
    action = limited_text(NOTE_LIMIT, help_text="What the team will do.")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due", validators=[within_date_window])
    fidelity = models.CharField(max_length=15, choices=Fidelity.choices, default="not_started")

    history = HistoricalRecords()

    class Meta:
        ordering = ["problem", "due_on", "pk"]

    def __str__(self) -> str:
        return self.action


class Effect(models.TextChoices):
    WORSE = "worse", "Worse"
    NO_CHANGE = "no_change", "No change"
    IMPROVED = "improved", "Improved but not to goal"
    GOAL_MET = "goal_met", "Goal met"


class EffectivenessCheck(models.Model):
    """At a later meeting: did the solutions move the problem toward its goal?"""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="checks")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    effect = models.CharField(max_length=10, choices=Effect.choices)
    note = limited_text(NOTE_LIMIT, blank=True, help_text="What the data showed.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "meeting"],
                name="one_effectiveness_check_per_meeting",
                violation_error_message="This problem's effectiveness is already recorded "
                "for this meeting.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem}: {self.get_effect_display()}"


class SelfCheck(models.Model):
    """The team's end-of-meeting check of how it ran the meeting."""

    QUESTIONS = {
        "started_on_time": "We started on time",
        "roles_filled": "Facilitator, minute taker and data analyst were in their roles",
        "reviewed_previous": "We reviewed the last meeting's solutions and their fidelity",
        "used_data": "We used data to define problems and check effectiveness",
        "problems_precise": "Problem statements said what, who, where, when and why",
        "actions_assigned": "Every solution has an owner and a due date",
        "ended_on_time": "We ended on time",
    }

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="self_check")
    started_on_time = models.BooleanField(QUESTIONS["started_on_time"], default=False)
    roles_filled = models.BooleanField(QUESTIONS["roles_filled"], default=False)
    reviewed_previous = models.BooleanField(QUESTIONS["reviewed_previous"], default=False)
    used_data = models.BooleanField(QUESTIONS["used_data"], default=False)
    problems_precise = models.BooleanField(QUESTIONS["problems_precise"], default=False)
    actions_assigned = models.BooleanField(QUESTIONS["actions_assigned"], default=False)
    ended_on_time = models.BooleanField(QUESTIONS["ended_on_time"], default=False)
    note = limited_text(NOTE_LIMIT, blank=True, help_text="What to do better next time.")

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Self-check of {self.meeting}"

    @property
    def score(self) -> int:
        return sum(bool(getattr(self, name)) for name in self.QUESTIONS)


# --- Calendar feeds --------------------------------------------------------------------------


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar address: a secret they can reset, which revokes the old."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"
