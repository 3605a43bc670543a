"""The kinds of notification a person may receive, and how each reaches them by default.

Each person chooses, per kind, an email at once, a weekly roundup, or the portal only
(`Preference`); without a choice, the kind's default for their role applies. The cabinet
reads many teams' news, so what reaches every team lead at once reaches it weekly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email at once"
    WEEKLY = "weekly", "Weekly roundup email"
    PORTAL = "portal", "In the portal only"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # What it is about, for the preferences page.
    about: str
    default: str = Delivery.IMMEDIATE
    # The default for the CSSO, Deputy and SMT members, when it differs.
    cabinet: str | None = None
    # Whether a person may choose (the digest's own notice is in the portal only: the
    # digest arrives by email anyway).
    choosable: bool = True

    def default_for(self, *, cabinet: bool) -> str:
        return (self.cabinet or self.default) if cabinet else self.default


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind(
            "barrier_arrived",
            "A barrier reaches your team",
            "A team below raised or passed up a barrier that now waits with a team you lead, "
            "support or sit on as the cabinet.",
            cabinet=Delivery.WEEKLY,
        ),
        Kind(
            "barrier_answered",
            "An answer comes back",
            "An answer to a barrier comes back down to your team, or to you who raised it.",
        ),
        Kind(
            "barrier_waiting",
            "A barrier waits too long",
            "A barrier has waited with your team longer than the agency's target.",
            default=Delivery.WEEKLY,
        ),
        Kind("support_asked", "A support request to you", "An STS asks you, their sponsor."),
        Kind("support_answered", "Your support request answered", "Your sponsor answered."),
        Kind(
            "support_late",
            "Support not answered in time",
            "A support request waits longer than the agency's target: to its sponsor, then "
            "to the CSSO's office.",
        ),
        Kind("action_assigned", "An action item for you", "An action item is assigned to you."),
        Kind("action_due", "Your action item is due soon", "One of your action items is due."),
        Kind("action_overdue", "Your action item is overdue", "Your action item's date passed."),
        Kind(
            "overdue_list",
            "Your teams' overdue action items",
            "Each week, the overdue action items of the teams you lead.",
        ),
        Kind(
            "meeting_soon",
            "A meeting coming up",
            "A meeting of your team is coming up: its agenda, so you come prepared.",
        ),
        Kind(
            "review_due",
            "An initiative review coming due",
            "An initiative you lead is due for review.",
            default=Delivery.WEEKLY,
        ),
        Kind(
            "assessment_due",
            "An assessment coming due",
            "Your team's capacity or fidelity assessment is due again.",
            default=Delivery.WEEKLY,
        ),
        Kind(
            "rating_awaited",
            "A selection waits for your rating",
            "You are a rater of an innovation under selection and have not submitted.",
        ),
        Kind(
            "protocol_quiet",
            "A linking protocol gone quiet",
            "A link between your team and another has had no report for two of its cycles.",
            default=Delivery.WEEKLY,
        ),
        Kind(
            "team_quiet",
            "A team you support gone quiet",
            "A team you support has had no update or meeting for longer than its cadence.",
            default=Delivery.WEEKLY,
        ),
        Kind(
            "digest_ready",
            "The monthly digest is ready",
            "The CSSO's monthly digest, in the portal (it is emailed in full anyway).",
            default=Delivery.PORTAL,
            choosable=False,
        ),
    ]
}

KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS.values()]


def choosable_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.choosable]
