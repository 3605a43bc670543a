"""Who may do what with notifications and the digest, in one place.

Everyone signed in has their own notifications and preferences, and nobody reads anyone
else's. The monthly digest is for the CSSO and the SMT, and for whoever the CSSO adds to
its recipients; the CSSO (or a Deputy, acting with the CSSO's authority) keeps that list.
Admins keep the reminders' targets and lead times, preview a month's digest before it is
sent and rebuild it (which sends nothing again).
"""

from __future__ import annotations

import rules

from teams.rules import holds_appointing_role, is_admin, is_cabinet, signed_in

from .models import DigestRecipient


@rules.predicate
def receives_digest(user) -> bool:
    """Added to the digest's recipients by the CSSO. The signed-in person carries it from
    the query that loaded them (`PersonFigure` "receives_digest"), so pages ask no more."""
    known = getattr(user, "receives_digest", None)
    if known is not None:
        return bool(known)
    return DigestRecipient.objects.filter(person_id=user.pk).exists()


@rules.predicate
def owns_notification(user, notification) -> bool:
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("digests.read_notifications", signed_in)
rules.add_perm("digests.read_notification", signed_in & owns_notification)
rules.add_perm("digests.choose_delivery", signed_in)
rules.add_perm("digests.read_digests", is_cabinet | is_admin | receives_digest)
rules.add_perm("digests.keep_recipients", holds_appointing_role)
rules.add_perm("digests.preview_digest", is_admin)
rules.add_perm("digests.regenerate_digest", is_admin)
rules.add_perm("digests.keep_reminder_settings", is_admin)
