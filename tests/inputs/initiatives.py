"""The initiatives module's forms and filters: a payload that works, and what each must refuse."""

from datetime import timedelta

from django.urls import reverse

from initiatives.models import Indicator, Initiative, SelectionProtocol, StrategicGoal
from teams.models import Division, User, today

from ..bad_input import FLAG, FilterCase, FormCase, iso
from ..factories import initiatives_world

LEVELS = ["state", "regional", "district", "building"]


def _w(world):
    return initiatives_world(world)


def _after_world(payload):
    """The payload, with the module's records made first (goals, a vision, a candidate)."""
    return lambda w: (_w(w), payload(w))[1]


def _retired_division(world) -> list:
    return list(Division.objects.filter(is_active=False).values_list("pk", flat=True))


def _inactive_people(world) -> list:
    return list(User.objects.filter(is_active=False).values_list("pk", flat=True))


def _initiative_payload(world, **extra) -> dict:
    return {
        "name": "Multi-Tiered Systems of Support",
        "division": str(world.divisions["academics"].pk),
        "lead": str(world.user("csso").pk),
        "status": "proposed",
        "is_innovation": "on",
        "purpose": "One framework for academic and behavior supports in every school.",
        "target_population": "All students, K-12",
        "grades": "K-12",
        "intended_outcomes": "Fewer students below benchmark; fewer referrals.",
        "evidence_base": "Strong evidence for tiered supports.",
        "teams": [str(world.district.pk), str(world.region.pk)],
        "started_on": iso(today() - timedelta(days=30)),
        "planned_end_on": iso(today() + timedelta(days=1500)),
        "review_cycle_months": "12",
        **extra,
    }


def _literacy(world) -> Initiative:
    return _w(world).literacy


def _rating_payload(world) -> dict:
    candidate = _w(world).candidate
    payload = {"submit": "on"}
    for indicator in candidate.protocol.indicators.all():
        payload[f"score_{indicator.pk}"] = "3"
        payload[f"note_{indicator.pk}"] = "Looks promising."
    return payload


PROTOCOL_YAML = """name: Hexagon (program and site)
scale: {min: 1, max: 5}
indicators:
  - key: evidence
    name: Evidence
    group: Program
    prompt: How strong is the evidence?
  - key: need
    name: Need
    group: Site
    prompt: Does it meet a need our data show?
"""


def _indicator(world) -> Indicator:
    return _w(world).protocol.indicators.order_by("order").first()


CASES: dict[str, FormCase] = {
    "initiatives:initiative-new": FormCase(
        role="smt",
        url=lambda w: reverse("initiatives:initiative-new"),
        valid=_initiative_payload,
        refused={
            "division": _retired_division,
            "lead": _inactive_people,
            "teams": lambda w: [w.far_building.pk],
        },
    ),
    "initiatives:initiative-edit": FormCase(
        role="sponsor",
        url=lambda w: reverse("initiatives:initiative-edit", args=[_literacy(w).pk]),
        watch=lambda w: [_literacy(w)],
        valid=lambda w: _initiative_payload(
            w,
            name="Structured Literacy PK-3",
            status="active",
            version=str(Initiative.objects.get(pk=_literacy(w).pk).version),
            started_on=iso(_literacy(w).started_on),
        ),
        refused={"division": _retired_division, "lead": _inactive_people},
    ),
    "initiatives:funding-new": FormCase(
        role="smt",
        url=lambda w: reverse("initiatives:funding-new", args=[_literacy(w).pk]),
        watch=lambda w: [_literacy(w)],
        valid=lambda w: {
            "fiscal_year": "2028",
            "source": "federal",
            "source_detail": "IDEA Part B",
            "amount": "250000.00",
            "fte": "2.5",
        },
    ),
    "initiatives:alignment-new": FormCase(
        role="deputy",
        url=lambda w: reverse("initiatives:alignment-new", args=[_literacy(w).pk]),
        watch=lambda w: [_literacy(w)],
        valid=lambda w: {
            "goal": str(_w(w).goals[2].pk),
            "strength": "contributing",
            "note": "Its coaches also train new teachers.",
        },
    ),
    "initiatives:overlap-new": FormCase(
        role="smt",
        url=lambda w: reverse("initiatives:overlap-new", args=[_literacy(w).pk]),
        watch=lambda w: [_literacy(w)],
        valid=lambda w: {
            "other": str(_w(w).inclusion.pk),
            "shares_staff": "on",
            "note": "The same coaches serve both.",
        },
        refused={"other": lambda w: [_literacy(w).pk]},
    ),
    "initiatives:review-new": FormCase(
        role="smt",
        url=lambda w: reverse("initiatives:review-new", args=[_literacy(w).pk]),
        watch=lambda w: [_literacy(w)],
        valid=lambda w: {
            "held_on": iso(today()),
            "alignment_notes": "Serves goal 1 as its aim.",
            "results_notes": "Benchmark rates up 8 points in the Zone.",
            "results_link": "https://data.example.org/literacy",
            "resources_notes": "Coaching capacity is stretched.",
            "overlap_notes": "Summer Bridge serves the same readers.",
            "decision": "expand",
            "consolidate_with": "",
            "rationale": "Results in the Zone justify two more regions.",
        },
        refused={"consolidate_with": lambda w: [_literacy(w).pk]},
        no_future=("held_on",),
    ),
    "initiatives:review-action": FormCase(
        role="sponsor",
        url=lambda w: reverse("initiatives:review-action", args=[_w(w).review.pk]),
        watch=lambda w: [_w(w).review],
        valid=lambda w: {
            "what": "Ask the division for the fidelity data by region.",
            "owner": str(w.user("sponsor").pk),
            "due_on": iso(today() + timedelta(days=30)),
        },
        refused={"owner": _inactive_people},
    ),
    "initiatives:vision-new": FormCase(
        role="csso",
        url=lambda w: reverse("initiatives:vision-new"),
        valid=_after_world(
            lambda w: {
                "vision": "Every student reads, reasons, belongs and thrives.",
                "mission": "We build capacity to use effective practices well.",
                "adopted_on": iso(today()),
                "note": "Thrives added.",
            }
        ),
        no_future=("adopted_on",),
    ),
    "initiatives:goal-new": FormCase(
        role="csso",
        url=lambda w: reverse("initiatives:goal-new"),
        valid=_after_world(
            lambda w: {"number": "7", "title": "Every school a safe place", "description": ""}
        ),
        refused={"number": lambda w: [1, 2, 3]},
    ),
    "initiatives:goal-edit": FormCase(
        role="csso",
        url=lambda w: reverse("initiatives:goal-edit", args=[_w(w).goals[0].pk]),
        watch=lambda w: [_w(w).goals[0]],
        valid=lambda w: {
            "number": "1",
            "title": "Every child reads proficiently by grade 3",
            "description": "Measured by the state's grade 3 assessment.",
            "retired_on": "",
        },
        refused={"number": lambda w: [2, 3]},
    ),
    "initiatives:affirmation-new": FormCase(
        role="deputy",
        url=lambda w: reverse("initiatives:affirmation-new"),
        valid=_after_world(
            lambda w: {"affirmed_on": iso(today()), "note": "At the November meeting."}
        ),
        no_future=("affirmed_on",),
    ),
    "initiatives:settings": FormCase(
        role="admin",
        url=lambda w: reverse("initiatives:settings"),
        valid=_after_world(
            lambda w: {
                "fiscal_year_start_month": "10",
                "affirmation_interval_months": "12",
                "review_cycle_months": "24",
            }
        ),
    ),
    "initiatives:stage-new": FormCase(
        role="sts",
        url=lambda w: reverse("initiatives:stage-new"),
        valid=lambda w: {
            "team": str(w.district.pk),
            "innovation": str(_literacy(w).pk),
            "stage": "initial",
            "entered_on": iso(today()),
            "evidence": "First teachers coached in the practice.",
        },
        refused={
            "team": lambda w: [w.far_district.pk, w.smt.pk],
            "innovation": lambda w: [_w(w).legacy.pk],
            "stage": lambda w: ["installation"],
        },
        no_future=("entered_on",),
    ),
    "initiatives:candidate-new": FormCase(
        role="sponsor",
        url=lambda w: reverse("initiatives:candidate-new"),
        valid=lambda w: {
            "name": "Good Behavior Game",
            "description": "A classroom management strategy played as a team game.",
            "target_population": "Grades 1-2",
            "intended_outcomes": "Less disruptive behavior.",
            "division": str(w.divisions["special"].pk),
            "protocol": str(_w(w).protocol.pk),
            "raters": [str(w.user("smt").pk), str(w.user("deputy").pk)],
            "clear_description": "present",
            "essential_functions": "partial",
            "operational_definitions": "absent",
            "fidelity_assessment": "present",
        },
        refused={
            "division": _retired_division,
            "raters": lambda w: [w.user("building").pk, *_inactive_people(w)],
        },
    ),
    "initiatives:candidate-edit": FormCase(
        role="csso",
        url=lambda w: reverse("initiatives:candidate-edit", args=[_w(w).candidate.pk]),
        watch=lambda w: [_w(w).candidate],
        valid=lambda w: {
            "name": "Check & Connect (grades 7-12)",
            "description": "A structured mentoring program.",
            "target_population": "",
            "intended_outcomes": "",
            "division": str(w.divisions["special"].pk),
            "raters": [str(w.user("smt").pk), str(w.user("sponsor").pk)],
            "clear_description": "present",
            "essential_functions": "present",
            "operational_definitions": "partial",
            "fidelity_assessment": "present",
        },
        refused={"division": _retired_division, "raters": lambda w: [w.user("building").pk]},
    ),
    "initiatives:candidate-rate": FormCase(
        role="smt",
        url=lambda w: reverse("initiatives:candidate-rate", args=[_w(w).candidate.pk]),
        watch=lambda w: [_w(w).candidate],
        valid=_rating_payload,
    ),
    "initiatives:candidate-decide": FormCase(
        role="deputy",
        url=lambda w: reverse("initiatives:candidate-decide", args=[_w(w).candidate.pk]),
        watch=lambda w: [_w(w).candidate],
        valid=lambda w: {
            "outcome": "adopt",
            "decided_on": iso(today()),
            "rationale": "Strong on need and evidence; fit to be discussed with districts.",
        },
        no_future=("decided_on",),
    ),
    "initiatives:protocol-import": FormCase(
        role="admin",
        url=lambda w: reverse("initiatives:protocol-import"),
        valid=_after_world(lambda w: {"text": PROTOCOL_YAML}),
        # A file cannot travel in a urlencoded body; test_initiatives_protocols sends files.
        kinds={"file": FLAG},
    ),
    "initiatives:indicator-edit": FormCase(
        role="admin",
        url=lambda w: reverse("initiatives:indicator-edit", args=[_indicator(w).pk]),
        watch=lambda w: [_indicator(w)],
        valid=lambda w: {
            "name": "Need",
            "group": "Site",
            "prompt": "Does it meet a need the state's own data show?",
        },
    ),
}


FILTERS: dict[str, FilterCase] = {
    "initiatives:index": FilterCase(
        "smt",
        "/initiatives/",
        {
            "q": ["literacy"],
            "division": [],
            "goal": [],
            "status": ["active", "proposed"],
            "review": ["due", "overdue"],
            "innovations": ["on"],
            "sort": ["name", "division", "status", "review"],
            "page": ["2"],
        },
    ),
    "initiatives:stages": FilterCase(
        "smt",
        "/initiatives/stages/",
        {"region": [], "level": LEVELS, "zone": ["in", "out"], "innovation": [], "page": ["2"]},
    ),
    "initiatives:compare": FilterCase("smt", "/initiatives/selection/compare/", {"candidate": []}),
}

__all__ = ["CASES", "FILTERS", "SelectionProtocol", "StrategicGoal"]
