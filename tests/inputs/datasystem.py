"""The data system's forms and imports, each with a payload that works and what it must refuse."""

from datetime import timedelta

from django.urls import reverse

from teams.models import User, today

from ..bad_input import FLAG, Field, FilterCase, FormCase, iso
from ..data_world import data_world
from ..outcome_world import outcome_world
from ..world import World

ITEM_KEYS = ("lead-1", "lead-2", "data-1", "data-2")
SCORES = ["0", "1", "2", "na"]
# A file's own field takes no urlencoded value (the pasted text is what is attacked).
FILE = FLAG
NEW_INSTRUMENT = """
key: test-building-fidelity
name: Building Fidelity Check (test)
kind: fidelity
innovation: structured literacy
threshold: 80
levels: [building]
sections:
  - key: practice
    title: Practice
    items:
      - {key: practice-1, prompt: Daily lessons follow the scope and sequence.}
"""


def _in_progress(world: World) -> int:
    return data_world(world).in_progress.pk


def _people_elsewhere(world: World) -> list[int]:
    """People not on the team: refused as participants, attendees or coaches."""
    return list(
        User.objects.filter(username__in=["riverbend-lead", "csso", "former-staff"]).values_list(
            "pk", flat=True
        )
    )


def _other_instrument(world: World) -> list[int]:
    from datasystem.models import Instrument

    fits = Instrument.objects.for_level("building")
    return list(Instrument.objects.exclude(pk__in=fits).values_list("pk", flat=True))


def _correct_url(world: World) -> str:
    data = data_world(world)
    return reverse(
        "datasystem:correct", args=[data.completed.pk, data.item("lead-2", data.completed).pk]
    )


def _item_edit_url(world: World) -> str:
    data = data_world(world)
    return reverse("datasystem:item-edit", args=[data.instrument.pk, data.item("lead-1").pk])


def _training_csv(world: World) -> str:
    return (
        "team_code,innovation,date,trainer,hours,essential_functions,attendees\n"
        f"LK-CEDAR,structured literacy,{iso(today() - timedelta(days=3))},"
        "Regional trainers,6,yes,district\n"
    )


def _coaching_csv(world: World) -> str:
    return (
        "team_code,date,coach,coachee,innovation,focus,minutes\n"
        f"LK-CEDAR,{iso(today() - timedelta(days=2))},"
        "sts,district,structured literacy,small groups,45\n"
    )


OUTCOMES_CSV = (
    "measure,unit,period,group,value,students\n"
    "reading,LK-LINCOLN,2025-26,all,62.5,121\n"
    "reading,LK-MAPLE,2025-26,all,55.0,90\n"
)


def _measure_payload(world: World, **changes) -> dict:
    return {
        "name": "Chronic absenteeism",
        "key": "absenteeism",
        "unit": "percent",
        "good_direction": "down",
        "lowest": "",
        "highest": "",
        "description": "",
        "groups": "sex/female: Female\nsex/male: Male\nel: English learners",
        **changes,
    }


def _measure_edit_url(world: World) -> str:
    return reverse("datasystem:measure-edit", args=[outcome_world(world).measure.pk])


SCORE_FIELDS = {f"score_{key}": Field("choice", choices=tuple(SCORES)) for key in ITEM_KEYS}

CASES: dict[str, FormCase] = {
    "datasystem:start": FormCase(
        role="sts",
        url=lambda w: reverse("datasystem:start", args=[(data_world(w), w.building)[1].pk]),
        valid=lambda w: {
            "instrument": str(data_world(w).instrument.pk),
            "held_on": iso(today()),
            "facilitator": str(w.user("building").pk),
            "participants": [str(w.user("building").pk), str(w.user("sts").pk)],
        },
        refused={
            "facilitator": _people_elsewhere,
            "participants": _people_elsewhere,
            "instrument": _other_instrument,
        },
    ),
    "datasystem:scores": FormCase(
        role="district",
        url=lambda w: reverse("datasystem:scores", args=[_in_progress(w)]),
        valid=lambda w: {
            **{f"score_{key}": "1" for key in ITEM_KEYS},
            **{f"note_{key}": "Agreed after discussion." for key in ITEM_KEYS},
        },
        kinds=SCORE_FIELDS,
        watch=lambda w: [data_world(w).in_progress],
    ),
    "datasystem:correct": FormCase(
        role="admin",
        url=_correct_url,
        valid=lambda w: {"score": "1", "note": "Re-counted.", "reason": "Typed 0 by mistake."},
        watch=lambda w: [data_world(w).completed],
    ),
    "datasystem:item-action": FormCase(
        role="district",
        url=lambda w: reverse(
            "datasystem:item-action",
            args=[
                data_world(w).completed.pk,
                data_world(w).item("lead-2", data_world(w).completed).pk,
            ],
        ),
        valid=lambda w: {
            "what": "Agree protected time for members with their principals.",
            "owner": str(w.user("district").pk),
            "due_on": iso(today() + timedelta(days=30)),
        },
        refused={"owner": _people_elsewhere},
    ),
    "datasystem:instrument-import": FormCase(
        role="admin",
        url=lambda w: reverse("datasystem:instrument-import"),
        valid=lambda w: {"text": NEW_INSTRUMENT},
        kinds={"file": FILE},
    ),
    "datasystem:item-edit": FormCase(
        role="admin",
        url=_item_edit_url,
        valid=lambda w: {
            "prompt": "The team has written and shared terms of reference.",
            "note": "Clearer wording.",
            "meaning_0": "Not in place",
            "meaning_1": "Partly in place",
            "meaning_2": "Fully in place",
        },
    ),
    "datasystem:training-new": FormCase(
        role="sts",
        url=lambda w: reverse("datasystem:training-new", args=[(data_world(w), w.district)[1].pk]),
        valid=lambda w: {
            "innovation": "structured literacy",
            "held_on": iso(today() - timedelta(days=1)),
            "trainer": "Regional trainers",
            "hours": "6",
            "covered_essential_functions": "on",
            "attendees": [str(w.user("district").pk)],
        },
        refused={"attendees": _people_elsewhere},
        # Half hours are hours: the number rules of whole numbers do not apply.
        kinds={"hours": Field("text", required=True, max_length=5)},
    ),
    "datasystem:coaching-new": FormCase(
        role="sts",
        url=lambda w: reverse("datasystem:coaching-new", args=[(data_world(w), w.district)[1].pk]),
        valid=lambda w: {
            "coach": str(w.user("sts").pk),
            "coachee": str(w.user("district").pk),
            "held_on": iso(today() - timedelta(days=1)),
            "innovation": "structured literacy",
            "focus": "small-group instruction",
            "minutes": "45",
        },
        refused={"coach": _people_elsewhere, "coachee": _people_elsewhere},
    ),
    "datasystem:training-import": FormCase(
        role="sts",
        url=lambda w: (data_world(w), reverse("datasystem:training-import"))[1],
        valid=lambda w: {"text": _training_csv(w)},
        kinds={"file": FILE},
    ),
    "datasystem:coaching-import": FormCase(
        role="sts",
        url=lambda w: (data_world(w), reverse("datasystem:coaching-import"))[1],
        valid=lambda w: {"text": _coaching_csv(w)},
        kinds={"file": FILE},
    ),
}

CASES |= {
    "datasystem:measure-new": FormCase(
        role="admin",
        url=lambda w: (outcome_world(w), reverse("datasystem:measure-new"))[1],
        valid=_measure_payload,
        refused={"name": lambda w: ["Reading proficiency"], "key": lambda w: ["reading"]},
    ),
    "datasystem:measure-edit": FormCase(
        role="admin",
        url=_measure_edit_url,
        valid=lambda w: _measure_payload(
            w,
            name="Reading proficiency",
            key="reading",
            good_direction="up",
            description="Grade 3, the state test.",
            groups="sex/female: Female\nsex/male: Male\nel: English learners",
        ),
        watch=lambda w: [outcome_world(w).measure],
    ),
    "datasystem:periods": FormCase(
        role="admin",
        url=lambda w: (outcome_world(w), reverse("datasystem:periods"))[1],
        valid=lambda w: {
            "key": "2026-27",
            "label": "School year 2026-27",
            "starts_on": "2026-08-01",
        },
        refused={"key": lambda w: ["2025-26"], "starts_on": lambda w: ["2025-08-01"]},
    ),
    "datasystem:outcome-import": FormCase(
        role="admin",
        url=lambda w: (outcome_world(w), reverse("datasystem:outcome-import"))[1],
        valid=lambda w: {"text": OUTCOMES_CSV, "mode": "whole"},
        kinds={"file": FILE},
    ),
}

FILTERS: dict[str, FilterCase] = {
    "datasystem:team": FilterCase("district", "/data/teams/{district}/", {"page": ["2"]}),
    "datasystem:training": FilterCase("smt", "/data/training/", {"page": ["2"]}),
    "datasystem:coaching": FilterCase("smt", "/data/coaching/", {"page": ["2"]}),
    "datasystem:instruments": FilterCase("building", "/data/instruments/", {"version": ["1"]}),
    "datasystem:detail": FilterCase(
        "smt", "/data/detail/", {"level": ["district", "building"], "page": ["2"]}
    ),
}
