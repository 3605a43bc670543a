"""The practice-policy cycle's pages: barriers, protocols, sponsor support."""

from ..access_matrix import (
    ACCEPTED,
    DENIED,
    MISSING,
    Row,
    only,
    page,
    post_only,
    signed_in,
)
from ..cycle_world import cycle_of


def _c(attr):
    return lambda w: [getattr(cycle_of(w), attr).pk]


def _team(attr):
    def args(w):
        cycle_of(w)
        return [getattr(w, attr).pk]

    return args


# Those who hold a barrier at the district: its lead and its STS.
DISTRICT_HOLDS = only("district", "sts")
CABINET = only("csso", "deputy", "smt", "sponsor")
SUPPORT_READERS = only("csso", "deputy", "sponsor", "sts", "admin")
REQUEST_PARTIES = signed_in(MISSING, csso=200, deputy=200, sponsor=200, sts=200)

ROWS: dict[str, Row] = {
    "barriers:index": page(signed_in()),
    "barriers:raise": Row(get=only("sts", "district", "building")),
    "barriers:barrier": page(signed_in(), args=_c("open_at_district")),
    "barriers:escalate": Row(get=DISTRICT_HOLDS, args=_c("open_at_district")),
    "barriers:answer": Row(get=DISTRICT_HOLDS, args=_c("open_at_district")),
    "barriers:merge": Row(get=DISTRICT_HOLDS, args=_c("open_at_district")),
    "barriers:pass-down": Row(get=DISTRICT_HOLDS, args=_c("answer_at_district")),
    "barriers:confirm": Row(get=only("building", "sts"), args=_c("back_with_building")),
    # No meeting of the district is scheduled: the refusal comes back as a message.
    "barriers:agenda": post_only(
        signed_in(DENIED, district=ACCEPTED, sts=ACCEPTED), args=_c("open_at_district")
    ),
    "barriers:smt-queue": page(signed_in()),
    "barriers:follow-through": page(signed_in(district=DENIED, building=DENIED)),
    "barriers:changes": page(signed_in()),
    "barriers:change-new": Row(get=CABINET),
    "barriers:change": page(signed_in(), args=_c("change")),
    "barriers:team-protocols": page(signed_in(), args=_team("district")),
    "barriers:protocol-new": Row(get=only("district", "sts"), args=_team("district")),
    "barriers:chain": page(signed_in(), args=_team("building")),
    "barriers:protocol": page(signed_in(), args=_c("protocol")),
    "barriers:protocol-edit": Row(get=only("district", "sts"), args=_c("protocol")),
    "barriers:protocol-review": Row(get=only("district", "sts"), args=_c("protocol")),
    "barriers:support": Row(get=SUPPORT_READERS),
    "barriers:support-new": Row(get=only("sts")),
    "barriers:support-request": Row(
        get=REQUEST_PARTIES,
        post=signed_in(MISSING, csso=DENIED, deputy=DENIED, sponsor=ACCEPTED, sts=ACCEPTED),
        args=_c("support"),
    ),
    "barriers:support-close": post_only(
        signed_in(MISSING, csso=DENIED, deputy=DENIED, sponsor=ACCEPTED, sts=ACCEPTED),
        args=_c("support"),
    ),
    "barriers:holidays": Row(get=only("admin")),
    "barriers:holiday-delete": post_only(only("admin", answer=ACCEPTED), args=_c("holiday")),
    "barriers:share": Row(get=only("sts", "sponsor")),
    "barriers:shared": page(only("csso", "deputy", "smt", "sponsor", "admin"), args=_c("shared")),
}
