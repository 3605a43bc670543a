"""The practice-policy cycle's forms, each with a payload that works and what it must refuse."""

from datetime import timedelta

from django.urls import reverse

from teams.models import today

from ..bad_input import FilterCase, FormCase, iso
from ..cycle_world import cycle_of


def _url(name, attr):
    return lambda w: reverse(name, args=[getattr(cycle_of(w), attr).pk])


def _protocol_payload(w, **extra):
    return {
        "rationale": "So the region hears what Cedar Falls learns.",
        "passes": ["updates", "barriers"],
        "responsible_from": str(w.user("district").pk),
        "responsible_to": str(w.user("district").pk),
        "every_days": "30",
        "minutes": "15",
        "format": "The linking member's report",
        "response_days": "10",
        "response_format": "A written reply",
        "started_on": iso(today() - timedelta(days=10)),
        **extra,
    }


CASES: dict[str, FormCase] = {
    "barriers:raise": FormCase(
        role="building",
        url=lambda w: (cycle_of(w), reverse("barriers:raise"))[1],
        valid=lambda w: {
            "team": str(w.building.pk),
            "kind": "barrier",
            "title": "Coaching clashes with testing",
            "practice": "Coaching days fall in the testing window.",
            "effect": "Two months without coaching.",
            "would_help": "A testing calendar that leaves coaching days.",
            "evidence_update": str(w.building_update.pk),
            "evidence_meeting": "",
        },
        # A team the person is not on; another team's update.
        refused={
            "team": lambda w: [w.district.pk, w.far_building.pk],
            "evidence_update": lambda w: [w.far_update.pk],
        },
    ),
    "barriers:escalate": FormCase(
        role="district",
        url=_url("barriers:escalate", "open_at_district"),
        watch=lambda w: [cycle_of(w).open_at_district],
        valid=lambda w: {"note": "We asked the principals; it needs the region."},
    ),
    "barriers:answer": FormCase(
        role="district",
        url=_url("barriers:answer", "open_at_district"),
        watch=lambda w: [cycle_of(w).open_at_district],
        valid=lambda w: {
            "outcome": "practice",
            "answer": "Coaching moves to early-release days.",
            "reason": "",
            "change": "",
        },
        # A systemic change must name the change.
        refused={"outcome": lambda w: ["systemic", "merged"]},
    ),
    "barriers:pass-down": FormCase(
        role="district",
        url=_url("barriers:pass-down", "answer_at_district"),
        watch=lambda w: [cycle_of(w).answer_at_district],
        valid=lambda w: {"note": "For us: the district releases the data lead on Fridays."},
    ),
    "barriers:confirm": FormCase(
        role="building",
        url=_url("barriers:confirm", "back_with_building"),
        watch=lambda w: [cycle_of(w).back_with_building],
        valid=lambda w: {"helped": "yes", "note": "Coaching happens again."},
    ),
    "barriers:merge": FormCase(
        role="district",
        url=_url("barriers:merge", "open_at_district"),
        watch=lambda w: [cycle_of(w).open_at_district],
        valid=lambda w: {"into": str(cycle_of(w).answer_at_district.pk), "note": "Same issue."},
        # Itself, or one held elsewhere.
        refused={"into": lambda w: [cycle_of(w).open_at_district.pk, cycle_of(w).at_smt.pk]},
    ),
    "barriers:change-new": FormCase(
        role="smt",
        url=lambda w: (cycle_of(w), reverse("barriers:change-new"))[1],
        valid=lambda w: {
            "kind": "funding",
            "title": "Coaching stipends are an allowable cost",
            "description": "Federal Programs issued guidance.",
            "division": str(w.divisions["finance"].pk),
            "effective_on": iso(today()),
            "barriers": [str(cycle_of(w).at_smt.pk)],
            "decisions": [],
        },
    ),
    "barriers:protocol-new": FormCase(
        role="district",
        # Lincoln's protocol with Cedar Falls, above it.
        url=lambda w: (cycle_of(w), reverse("barriers:protocol-new", args=[w.building.pk]))[1],
        valid=lambda w: _protocol_payload(w, responsible_from=str(w.user("building").pk)),
    ),
    "barriers:protocol-edit": FormCase(
        role="district",
        url=_url("barriers:protocol-edit", "protocol"),
        watch=lambda w: [cycle_of(w).protocol],
        valid=lambda w: _protocol_payload(w, every_days="14"),
        refused={"responsible_from": lambda w: [w.user("building").pk]},
    ),
    "barriers:protocol-review": FormCase(
        role="district",
        url=_url("barriers:protocol-review", "protocol"),
        valid=lambda w: {
            "team": str(w.district.pk),
            "verdict": "working",
            "notes": "The monthly report works.",
        },
        # The district lead does not run the region: not their review to give.
        refused={"team": lambda w: [w.region.pk]},
    ),
    "barriers:support-new": FormCase(
        role="sts",
        url=lambda w: (cycle_of(w), reverse("barriers:support-new"))[1],
        valid=lambda w: {
            "sponsor": str(w.user("sponsor").pk),
            "kind": "decision",
            "what": "A decision on piloting the plan template.",
            "needed_by": iso(today() + timedelta(days=10)),
            "urgency": "soon",
        },
        # Only a paired sponsor; never a date gone by.
        refused={
            "sponsor": lambda w: [w.user("csso").pk, w.user("smt").pk],
            "needed_by": lambda w: [iso(today() - timedelta(days=1))],
        },
    ),
    "barriers:support-request": FormCase(
        role="sponsor",
        url=_url("barriers:support-request", "support"),
        watch=lambda w: [cycle_of(w).support],
        valid=lambda w: {"text": "Yes: I will introduce you on Monday."},
    ),
    "barriers:holidays": FormCase(
        role="admin",
        url=lambda w: (cycle_of(w), reverse("barriers:holidays"))[1],
        valid=lambda w: {"day": iso(today() + timedelta(days=40)), "name": "Winter break"},
        refused={"day": lambda w: [iso(cycle_of(w).holiday.day)]},
    ),
    "barriers:share": FormCase(
        role="sts",
        url=lambda w: (cycle_of(w), reverse("barriers:share"))[1],
        valid=lambda w: {
            "kind": "challenge",
            "team": str(w.region.pk),
            "text": "Principals say coaching competes with testing.",
        },
        refused={"team": lambda w: [w.far_district.pk]},
    ),
}

FILTERS: dict[str, FilterCase] = {}
