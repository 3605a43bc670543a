"""Writes: notifications derived and sent, preferences, the reminders' settings, and the
monthly digest built, delivered and rebuilt.

Everything that sends is claimed in the database first and marked done in the same
transaction as its effect (healthchecks' pattern): a row unique on what makes the
occasion itself (person and occasion, person and week, digest and recipient) is written
before the email, locked while it is sent (`select_for_update(skip_locked=True)`: a second
worker skips it rather than waits), and marked sent before the lock is let go. A worker
that dies mid-send rolls back and leaves the row unsent for the next tick; one that finds
the row sent does nothing. An email the backend refuses is recorded on its row and tried
again later, a bounded number of times, without stopping the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from teams.models import User, today
from teams.rules import require

from . import mail
from .digest import build_content, month_of
from .kinds import KINDS, Delivery
from .models import (
    MAX_EMAIL_ATTEMPTS,
    Digest,
    DigestDelivery,
    DigestRecipient,
    Notification,
    Preference,
    ReminderSettings,
    Roundup,
)
from .occasions import Occasion, Tick, derive
from .pdf import paper_css
from .selectors import deliveries_for, digest_due_month, digest_recipients

# --- Preferences ----------------------------------------------------------------------------


@transaction.atomic
def preferences_save(*, person: User, choices: dict[str, str]) -> int:
    """Keep the person's choice for each kind they may choose; returns how many changed.
    A choice equal to their role's default is kept only when they had chosen otherwise
    before, so the defaults still apply to whoever never chose."""
    require(person, "digests.choose_delivery")
    current = deliveries_for([person.pk])
    rows = {row.kind: row for row in Preference.objects.filter(person=person)}
    changed = 0
    for key, delivery in choices.items():
        kind = KINDS.get(key)
        if kind is None or not kind.choosable or delivery not in Delivery.values:
            raise ValidationError("Choose how each kind of notification reaches you.")
        row = rows.get(key)
        if row is None and delivery != current[(person.pk, key)]:
            Preference.objects.create(person=person, kind=key, delivery=delivery)
            changed += 1
        elif row is not None and row.delivery != delivery:
            row.delivery = delivery
            row.save(update_fields=["delivery"])
            changed += 1
    return changed


# --- Notifications ---------------------------------------------------------------------------


def _chunks(items: list, size: int = 1000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def notifications_write(occasions: list[Occasion], *, now: datetime) -> list[Notification]:
    """Write each occasion not yet written, as each person chose to receive its kind."""
    unique = {(o.recipient_id, o.occasion): o for o in occasions}
    existing: set[tuple[int, str]] = set()
    for chunk in _chunks(sorted({o.occasion for o in unique.values()})):
        existing |= set(
            Notification.objects.filter(occasion__in=chunk).values_list("recipient_id", "occasion")
        )
    new = [o for key, o in unique.items() if key not in existing]
    if not new:
        return []
    delivery = deliveries_for({o.recipient_id for o in new})
    rows = [
        Notification(
            recipient_id=o.recipient_id,
            kind=o.kind,
            occasion=o.occasion[:200],
            title=o.title[:300],
            body=o.body,
            url=o.url[:500],
            created_at=now,
            delivery=delivery[(o.recipient_id, o.kind)],
        )
        for o in new
    ]
    # Another worker writing the same occasions at the same moment: the database keeps one.
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return rows


@transaction.atomic
def notifications_derive(*, now: datetime | None = None) -> int:
    """The scheduler's tick: every occasion due now, written once."""
    tick = Tick(now=now or timezone.now(), settings=ReminderSettings.current())
    return len(notifications_write(derive(tick), now=tick.now))


def notification_read(*, notification: Notification, by: User) -> Notification:
    require(by, "digests.read_notification", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, person: User) -> int:
    require(person, "digests.read_notifications")
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Emails sent by one run of the task; a fuller backlog goes on in the next run at once.
EMAIL_BATCH = 500


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    # The batch was full and moved: more may be due now (a backlog, sent batch by batch).
    more: bool = False

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def note(self) -> str:
        return f"{self.sent} sent, {self.failed} failed, {self.skipped} skipped"


def _refused(record, error: str, now: datetime, *, prefix: str = "") -> str:
    """Record a refused email on its row: tried again after a pause, a few times."""
    attempts = getattr(record, f"{prefix}attempts") + 1
    setattr(record, f"{prefix}attempts", attempts)
    setattr(record, f"{prefix}error", error)
    record.retry_after = now + mail.retry_pause(attempts)
    record.save(update_fields=[f"{prefix}attempts", f"{prefix}error", "retry_after"])
    return "failed"


def notification_emails_send(*, now: datetime | None = None, limit: int | None = None) -> Sent:
    """The immediate emails due, a batch of them, each claimed and marked in its own
    transaction."""
    now = now or timezone.now()
    limit = limit or EMAIL_BATCH
    due = list(
        Notification.objects.due_by_email(now)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcome = Sent()
    for pk in due:
        outcome.add(notification_email_send(pk=pk, now=now))
    # A batch all skipped (another worker holds those rows) is not progress: stop there.
    outcome.more = len(due) == limit and outcome.skipped < limit
    return outcome


def notification_email_send(*, pk: int, now: datetime | None = None) -> str:
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=pk, emailed_at__isnull=True)
            .first()
        )
        if notification is None or notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            return "skipped"
        person = notification.recipient
        if not person.email:
            notification.email_attempts = MAX_EMAIL_ATTEMPTS
            notification.email_error = "No email address"
            notification.save(update_fields=["email_attempts", "email_error"])
            return "skipped"
        kind = KINDS[notification.kind]
        message = mail.compose(
            to=person,
            subject=notification.title,
            template="notification",
            context={"notification": notification, "url": mail.absolute(notification.url)},
            why=f"You chose an email at once for “{kind.label}”.",
        )
        if error := mail.send(message):
            return _refused(notification, error, now, prefix="email_")
        notification.emailed_at = now
        notification.email_attempts += 1
        notification.email_error = ""
        notification.save(update_fields=["emailed_at", "email_attempts", "email_error"])
    return "sent"


# --- Weekly roundups --------------------------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def roundups_send(*, now: datetime | None = None) -> Sent:
    """On the agency's day (or the first tick after it), each person's weekly email of the
    notifications they read weekly: one per person and week."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    outcome = Sent()
    if day.weekday() < ReminderSettings.current().roundup_weekday:
        return outcome
    week = week_of(day)
    waiting = (
        Notification.objects.filter(delivery=Delivery.WEEKLY, roundup__isnull=True)
        .filter(created_at__lte=now)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for person_id in list(waiting):
        outcome.add(roundup_send(person_id=person_id, week=week, now=now))
    return outcome


def roundup_send(*, person_id: int, week: date, now: datetime) -> str:
    with transaction.atomic():
        Roundup.objects.bulk_create(
            [Roundup(recipient_id=person_id, week=week, created_at=now)], ignore_conflicts=True
        )
        roundup = (
            Roundup.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(recipient_id=person_id, week=week, sent_at__isnull=True)
            .first()
        )
        if roundup is None or roundup.attempts >= MAX_EMAIL_ATTEMPTS:
            return "skipped"
        if roundup.retry_after and roundup.retry_after > now:
            return "skipped"
        notifications = list(
            Notification.objects.filter(
                recipient_id=person_id,
                delivery=Delivery.WEEKLY,
                roundup__isnull=True,
                created_at__lte=now,
            ).order_by("kind", "-created_at")
        )
        if not notifications or not roundup.recipient.email:
            roundup.delete()
            return "skipped"
        message = mail.compose(
            to=roundup.recipient,
            subject=f"Your week in the portal: {len(notifications)} notification"
            f"{'s' * (len(notifications) != 1)}",
            template="roundup",
            context={
                "notifications": [
                    (n, KINDS[n.kind].label, mail.absolute(n.url)) for n in notifications
                ],
                "week": week,
                "notifications_url": mail.absolute(reverse("digests:notifications")),
            },
            why="You chose a weekly roundup for these kinds of notification.",
        )
        if error := mail.send(message):
            return _refused(roundup, error, now)
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(roundup=roundup)
        roundup.sent_at = now
        roundup.attempts += 1
        roundup.error = ""
        roundup.save(update_fields=["sent_at", "attempts", "error"])
    return "sent"


# --- The monthly digest ------------------------------------------------------------------------


def digest_for(month: date) -> Digest:
    """The month's digest, built the first time it is asked for. The build only reads; the
    month is unique, so two workers building at once keep one."""
    month = month_of(month)
    found = Digest.objects.filter(month=month).first()
    if found is not None:
        return found
    content = build_content(month)
    digest, _ = Digest.objects.get_or_create(month=month, defaults={"content": content})
    return digest


def digest_run(*, day: date | None = None, now: datetime | None = None) -> list[int]:
    """The scheduler's monthly tick: the due month's digest built (once), a delivery claimed
    for each recipient (once), and the deliveries still to send, to be sent after commit."""
    now = now or timezone.now()
    day = day or timezone.localtime(now).date()
    digest = digest_for(digest_due_month(day))
    with transaction.atomic():
        recipients = digest_recipients(day)
        DigestDelivery.objects.bulk_create(
            [DigestDelivery(digest=digest, recipient=r, created_at=now) for r in recipients],
            ignore_conflicts=True,
        )
        notifications_write(
            [
                Occasion(
                    r.pk,
                    "digest_ready",
                    f"digest:{digest.month:%Y-%m}",
                    f"The digest of {digest.label} is ready",
                    digest.get_absolute_url(),
                )
                for r in recipients
            ],
            now=now,
        )
        due = list(
            DigestDelivery.objects.filter(
                digest=digest, sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS
            )
            .filter(Q(retry_after__isnull=True) | Q(retry_after__lte=now))
            .values_list("pk", flat=True)
        )
    return due


def digest_deliver(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one recipient their digest, holding the delivery's row until it is marked sent."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("digest", "recipient")
            .filter(pk=delivery_id, sent_at__isnull=True)
            .first()
        )
        if delivery is None or delivery.attempts >= MAX_EMAIL_ATTEMPTS:
            return "skipped"
        person, digest = delivery.recipient, delivery.digest
        if not person.email:
            delivery.attempts = MAX_EMAIL_ATTEMPTS
            delivery.error = "No email address"
            delivery.save(update_fields=["attempts", "error"])
            return "skipped"
        message = mail.compose(
            to=person,
            subject=f"The CSSO's digest: {digest.label}",
            template="digest",
            context={
                "digest": digest,
                "content": digest.content,
                "paper_css": paper_css().read_text(),
                "url": mail.absolute(digest.get_absolute_url()),
                "pdf_url": mail.absolute(
                    reverse("digests:digest-pdf", args=[digest.month.year, digest.month.month])
                ),
            },
            why="You receive the CSSO's monthly digest.",
        )
        if error := mail.send(message):
            return _refused(delivery, error, now)
        delivery.sent_at = now
        delivery.attempts += 1
        delivery.error = ""
        delivery.save(update_fields=["sent_at", "attempts", "error"])
    return "sent"


def digest_regenerate(*, month: date, by: User) -> Digest:
    """An admin rebuilds a month's digest from the records as they stand. Who already has it
    is not sent it again; who has not gets the rebuilt one."""
    require(by, "digests.regenerate_digest")
    month = month_of(month)
    if month >= month_of(today()):
        raise ValidationError("A month's digest can be built once the month is over.")
    content = build_content(month)
    with transaction.atomic():
        digest, created = Digest.objects.select_for_update().get_or_create(
            month=month, defaults={"content": content}
        )
        if not created:
            digest.content = content
            digest.regenerated_at = timezone.now()
            digest.regenerated_by = by
            digest._change_reason = "Regenerated by an admin"
            digest.save()
    return digest


# --- Recipients and settings ------------------------------------------------------------------


@transaction.atomic
def digest_recipient_add(*, person: User, by: User) -> DigestRecipient:
    require(by, "digests.keep_recipients")
    if not person.is_with_agency():
        raise ValidationError({"person": f"{person} is no longer with the agency."})
    if person.pk in {r.pk for r in digest_recipients()}:
        raise ValidationError({"person": f"{person} already receives the digest."})
    return DigestRecipient.objects.create(person=person, added_by=by)


@transaction.atomic
def digest_recipient_remove(*, seat: DigestRecipient, by: User) -> None:
    require(by, "digests.keep_recipients")
    seat.delete()


@transaction.atomic
def reminder_settings_save(*, settings: ReminderSettings, by: User) -> ReminderSettings:
    require(by, "digests.keep_reminder_settings")
    settings.full_clean()
    settings.save()
    return settings
