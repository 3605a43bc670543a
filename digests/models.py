"""Notifications, reminders and the CSSO's monthly digest.

Nothing here is sent from a model or a signal: the scheduler's ticks derive what is due
from the other modules' records (digests/occasions.py) and the services write it, each
occasion once. Every row that stands for something sent is unique in the database on what
makes it that occasion (a notification per person and occasion, a roundup per person and
week, a digest per month, a delivery per digest and recipient), so a second tick, a second
worker or a retried task finds the row and does nothing twice.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import User, today

from .kinds import KIND_CHOICES, Delivery

# An email is tried this many times, with a growing pause between tries, then left for an
# admin to see on the settings page.
MAX_EMAIL_ATTEMPTS = 5


def _days(default: int, low: int, high: int, verbose: str, help_text: str):
    return models.PositiveSmallIntegerField(
        verbose,
        default=default,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=help_text,
    )


class ReminderSettings(models.Model):
    """The agency's targets and lead times for reminders (one row; defaults until saved)."""

    meeting_lead_days = _days(
        2, 1, 14, "meetings: remind this many days before", "Attendees get the agenda then."
    )
    action_lead_days = _days(
        3, 1, 30, "action items: remind this many days before they are due", ""
    )
    support_target_days = _days(
        2,
        1,
        20,
        "sponsor support: first answer within (working days)",
        "After this the sponsor is reminded.",
    )
    support_escalate_days = _days(
        4,
        2,
        40,
        "sponsor support: tell the CSSO's office after (working days)",
        "An unanswered request reaches the CSSO and Deputy after this.",
    )
    barrier_wait_days = _days(
        21,
        3,
        180,
        "barriers: longest wait at one level (days)",
        "A barrier waiting longer with a team reaches that team's lead and STS.",
    )
    review_lead_days = _days(
        30, 1, 180, "initiative reviews: remind this many days before they are due", ""
    )
    assessment_lead_days = _days(
        14, 1, 90, "assessments: remind this many days before they are due", ""
    )
    look_back_days = _days(
        14,
        1,
        60,
        "events older than this (days) are history, not news",
        "A barrier's move, a request or an answer older than this is not notified "
        "(after an outage, the portal catches up this far back).",
    )
    roundup_weekday = models.PositiveSmallIntegerField(
        "weekly roundups and overdue lists go out on",
        default=0,
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
        ],
    )
    singleton = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="one_reminder_settings"),
            models.CheckConstraint(
                condition=Q(support_escalate_days__gt=models.F("support_target_days")),
                name="support_escalates_after_target",
                violation_error_message="The CSSO's office hears after the sponsor's target, "
                "not before.",
            ),
        ]

    def __str__(self) -> str:
        return "Reminder settings"

    @classmethod
    def current(cls) -> ReminderSettings:
        return cls.objects.first() or cls()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def due_by_email(self, now):
        """Immediate emails not yet sent, whose next try has come."""
        return self.filter(
            delivery=Delivery.IMMEDIATE,
            emailed_at__isnull=True,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        ).filter(Q(retry_after__isnull=True) | Q(retry_after__lte=now))


class Notification(models.Model):
    """Something for one person: an event of a module or a reminder, once per occasion."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    # What makes this occasion itself: "action-overdue:42:2026-11-19". Unique per person,
    # so however many ticks, workers or retries derive it, it is written once.
    occasion = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    # More lines of detail (a meeting's agenda, a list of overdue items), plain text.
    body = models.TextField(blank=True)
    # What it is about: a page of the portal.
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # How it reaches the person: their preference for the kind when it was written.
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True)
    roundup = models.ForeignKey(
        "Roundup", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Occasion first: a tick asks which of its occasions are written already.
            models.UniqueConstraint(
                fields=["occasion", "recipient"], name="one_notification_per_occasion"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_newest"),
            # The unread count every page shows: a count over this index alone.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="unread_of_person"
            ),
            models.Index(
                fields=["retry_after"],
                condition=Q(delivery="immediate", emailed_at__isnull=True),
                name="emails_to_send",
            ),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="weekly", roundup__isnull=True),
                name="for_the_roundup",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How one kind of notification reaches one person."""

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} by {self.get_delivery_display()}"


class Roundup(models.Model):
    """One person's weekly email of the notifications they chose to read weekly: claimed
    (written) before it is sent, unique per person and week."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roundups")
    week = models.DateField(help_text="The Monday of the week.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="one_roundup_per_week")
        ]

    def __str__(self) -> str:
        return f"Roundup for {self.recipient}, week of {self.week:%-d %b %Y}"


class Digest(models.Model):
    """The CSSO's digest of one month: built once (and rebuilt only by an admin), kept."""

    # The first day of the month it covers.
    month = models.DateField(unique=True)
    content = models.JSONField()
    built_at = models.DateTimeField(default=timezone.now)
    # Set when an admin rebuilt it from the records as they stand (nothing is sent again).
    regenerated_at = models.DateTimeField(null=True, blank=True)
    regenerated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1), name="digest_month_starts_on_the_first"
            )
        ]

    def __str__(self) -> str:
        return f"Digest of {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("digests:digest", args=[self.month.year, self.month.month])

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


class DigestDelivery(models.Model):
    """One recipient's copy of a month's digest: written (claimed) before it is sent,
    unique per digest and recipient, marked sent in the transaction that sends it."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digests_received")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["digest", "recipient__last_name"]
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "recipient"], name="one_digest_per_recipient_and_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.digest} to {self.recipient}"


class DigestRecipient(models.Model):
    """Someone the CSSO adds to the digest's recipients, beside the CSSO and Deputy."""

    person = models.OneToOneField(User, on_delete=models.CASCADE, related_name="digest_seat")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField(default=today)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self) -> str:
        return f"{self.person} receives the digest"


class TaskRun(models.Model):
    """When each scheduled task last ran, and what it did: for admins, and for knowing that
    a run finished (tests wait on it)."""

    name = models.CharField(max_length=100, unique=True)
    task_id = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    made = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
