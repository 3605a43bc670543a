"""Notifications and the digest in the demo-shaped world: an unread notification for the
`district` login, last month's digest (sent to the CSSO and Deputy), and a recipient the
CSSO added (`sponsor2`, a second sponsor). Built on first use and found again after."""

from __future__ import annotations

from dataclasses import dataclass

from digests.digest import month_of, previous_month
from digests.models import Digest, DigestRecipient, Notification
from digests.services import digest_for
from teams.models import User, today

from .world import World


@dataclass
class DigestsWorld:
    notification: Notification
    digest: Digest
    seat: DigestRecipient


def digests_of(world: World) -> DigestsWorld:
    district = world.user("district")
    notification = Notification.objects.filter(recipient=district, occasion="test:1").first()
    if notification is None:
        notification = Notification.objects.create(
            recipient=district,
            kind="action_overdue",
            occasion="test:1",
            title="Overdue since 3 Nov: Book the coaching days",
            body="An action item of Cedar Falls District Team.",
            url="/meetings/actions/",
            delivery="immediate",
        )
    seat = DigestRecipient.objects.filter(person__username="sponsor2").first()
    if seat is None:
        seat = DigestRecipient.objects.create(
            person=User.objects.get(username="sponsor2"), added_by=world.user("csso")
        )
    digest = digest_for(previous_month(month_of(today())))
    return DigestsWorld(notification=notification, digest=digest, seat=seat)
