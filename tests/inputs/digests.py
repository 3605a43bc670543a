"""The notification centre's and the digest's forms, each with a payload that works and
what it must refuse."""

from django.urls import reverse

from digests.kinds import choosable_kinds

from ..bad_input import FormCase
from ..digests_world import digests_of


def _choices(w) -> dict:
    """Every kind by the portal only: not the defaults, so the valid payload changes them."""
    return {kind.key: "portal" for kind in choosable_kinds()}


CASES: dict[str, FormCase] = {
    "digests:preferences": FormCase(
        role="district",
        url=lambda w: reverse("digests:preferences"),
        valid=_choices,
    ),
    "digests:recipients": FormCase(
        role="csso",
        url=lambda w: (digests_of(w), reverse("digests:recipients"))[1],
        valid=lambda w: {"person": str(w.user("smt").pk)},
        # Someone with no role at the agency; the Deputy, who receives it already; a seat
        # already taken.
        refused={
            "person": lambda w: [
                w.user("district").pk,
                w.user("deputy").pk,
                digests_of(w).seat.person_id,
            ]
        },
    ),
    "digests:settings": FormCase(
        role="admin",
        url=lambda w: reverse("digests:settings"),
        valid=lambda w: {
            "meeting_lead_days": "3",
            "action_lead_days": "5",
            "support_target_days": "3",
            "support_escalate_days": "6",
            "barrier_wait_days": "28",
            "review_lead_days": "45",
            "assessment_lead_days": "21",
            "look_back_days": "10",
            "roundup_weekday": "1",
        },
        # The CSSO's office hears after the sponsor's target, never before.
        refused={"support_escalate_days": lambda w: [2, 3]},
    ),
}

FILTERS: dict = {}
