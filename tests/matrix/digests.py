"""The notification centre, the digest and the reminders' settings. Everyone signed in has
their own notifications and preferences (someone else's notification does not exist for
them); the digest is for the cabinet (`sponsor` sits on it), admins and whoever the CSSO
adds; the CSSO and Deputy keep its recipients; admins preview, rebuild and set targets."""

from ..access_matrix import MISSING, REDIRECT, Row, only, page, post_only, signed_in
from ..digests_world import digests_of

READERS = only("csso", "deputy", "smt", "sponsor", "admin")
OFFICE = only("csso", "deputy")


def _notification(world) -> list:
    return [digests_of(world).notification.pk]


def _month(world) -> list:
    month = digests_of(world).digest.month
    return [month.year, month.month]


def _seat(world) -> list:
    return [digests_of(world).seat.pk]


ROWS: dict[str, Row] = {
    "digests:notifications": page(signed_in()),
    "digests:read-all": post_only(signed_in(REDIRECT)),
    # The `district` login's notification: marked read by them, missing for anyone else.
    "digests:read": post_only(
        only("district", answer=REDIRECT, otherwise=MISSING), args=_notification
    ),
    "digests:preferences": Row(get=signed_in()),
    "digests:archive": page(READERS),
    "digests:digest": page(READERS, args=_month),
    # A PDF, not a page: nothing for the accessibility crawl.
    "digests:digest-pdf": page(READERS, args=_month, crawl=False),
    "digests:preview": page(only("admin"), args=_month),
    "digests:regenerate": post_only(only("admin", answer=REDIRECT), args=_month),
    "digests:recipients": Row(get=OFFICE),
    "digests:recipient-remove": post_only(only("csso", "deputy", answer=REDIRECT), args=_seat),
    "digests:settings": Row(get=only("admin")),
}
