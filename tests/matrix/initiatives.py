"""The initiatives module: everyone signed in reads; the cabinet and sponsors edit the
vision, the inventory, reviews and selections; raters rate where chosen; STSs record the
stages of the teams they support; admins keep the settings and load protocols."""

from ..access_matrix import DENIED, REDIRECT, Row, only, page, post_only, signed_in
from ..factories import initiatives_world

LEADS = only("csso", "deputy", "smt", "sponsor")
ADMIN_ONLY = only("admin")


def _of(attribute: str):
    return lambda w: [getattr(initiatives_world(w), attribute).pk]


def _team(w) -> list:
    initiatives_world(w)
    return [w.district.pk]


ROWS: dict[str, Row] = {
    # The inventory: everyone reads; the leads (and a division's head) edit.
    "initiatives:index": page(signed_in()),
    "initiatives:initiative": page(signed_in(), args=_of("literacy")),
    "initiatives:initiative-summary": page(signed_in(), args=_of("literacy")),
    "initiatives:initiative-new": Row(get=LEADS),
    "initiatives:initiative-edit": Row(get=LEADS, args=_of("literacy")),
    "initiatives:funding-new": Row(get=LEADS, args=_of("literacy")),
    "initiatives:funding-remove": post_only(
        only("csso", "deputy", "smt", "sponsor", answer=REDIRECT), args=_of("funding")
    ),
    "initiatives:alignment-new": Row(get=LEADS, args=_of("literacy")),
    "initiatives:alignment-remove": post_only(
        only("csso", "deputy", "smt", "sponsor", answer=REDIRECT), args=_of("alignment")
    ),
    "initiatives:overlap-new": Row(get=LEADS, args=_of("literacy")),
    "initiatives:overlap-remove": post_only(
        only("csso", "deputy", "smt", "sponsor", answer=REDIRECT), args=_of("overlap")
    ),
    "initiatives:zone": page(signed_in()),
    "initiatives:matrix": page(signed_in(), args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:resources": page(signed_in()),
    "initiatives:resources-csv": page(signed_in(), crawl=False),
    # Reviews.
    "initiatives:reviews": page(signed_in()),
    "initiatives:review": page(signed_in(), args=_of("review")),
    "initiatives:review-new": Row(get=LEADS, args=_of("literacy")),
    "initiatives:review-action": Row(get=LEADS, args=_of("review")),
    # The vision.
    "initiatives:vision": page(signed_in(), args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:vision-new": Row(get=LEADS),
    "initiatives:vision-version": page(signed_in(), args=_of("old_version")),
    "initiatives:goal-new": Row(get=LEADS, args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:goal-edit": Row(get=LEADS, args=lambda w: [initiatives_world(w).goals[0].pk]),
    "initiatives:affirmation-new": Row(get=LEADS),
    "initiatives:settings": Row(get=ADMIN_ONLY),
    # Stages: STSs record them for the teams they support.
    "initiatives:stages": page(signed_in(), args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:stage-new": Row(get=only("sts")),
    "initiatives:team-stages": page(signed_in(), args=_team),
    # Selection: raters rate where chosen; leads propose, edit and decide.
    "initiatives:candidates": page(signed_in(), args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:candidate-new": Row(get=LEADS),
    "initiatives:compare": page(signed_in(), args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:candidate": page(signed_in(), args=_of("candidate")),
    "initiatives:candidate-edit": Row(get=LEADS, args=_of("candidate")),
    "initiatives:candidate-rate": Row(get=only("smt", "sponsor"), args=_of("candidate")),
    "initiatives:candidate-decide": Row(get=LEADS, args=_of("candidate")),
    "initiatives:protocols": page(signed_in(), args=lambda w: [] if initiatives_world(w) else []),
    "initiatives:protocol-import": Row(get=ADMIN_ONLY),
    "initiatives:protocol": page(signed_in(), args=_of("protocol")),
    "initiatives:indicator-edit": Row(
        get=ADMIN_ONLY, args=lambda w: [initiatives_world(w).protocol.indicators.first().pk]
    ),
}

__all__ = ["DENIED", "ROWS"]
