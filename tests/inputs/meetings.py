"""The meetings' forms and filters, each with a payload that works and what it must refuse."""

from datetime import datetime, time, timedelta

from django.urls import reverse

from teams.models import today

from ..bad_input import FilterCase, FormCase, iso
from ..meetings_world import meetings_of


def _when(days: int, hour: int = 15) -> str:
    return datetime.combine(today() + timedelta(days=days), time(hour)).strftime("%Y-%m-%dT%H:%M")


def _pk(role):
    return lambda w: str(w.user(role).pk)


def _smt_next(w):
    return meetings_of(w).smt_next


def _district(w):
    meetings_of(w)
    return w.district


def _series_payload(w, **extra):
    return {
        "name": "Cedar Falls meetings",
        "format": "problem_solving",
        "quorum_kind": "share",
        "quorum_value": "50",
        "usual_place": "District office",
        "usual_link": "",
        "usual_start": "15:30",
        "usual_length": "60",
        **extra,
    }


def _meeting_payload(w, **extra):
    return {
        "starts_at": _when(14),
        "length": "60",
        "place": "District office",
        "video_link": "",
        "facilitator": str(w.user("district").pk),
        "note_taker": "",
        "data_analyst": "",
        **extra,
    }


def _not_members(w):
    # Neither sits on the district team: they are not offered for its roles.
    return [w.user("building").pk, w.user("smt").pk]


CASES: dict[str, FormCase] = {
    "meetings:series": FormCase(
        role="district",
        url=lambda w: reverse("meetings:series", args=[_district(w).pk]),
        watch=lambda w: [meetings_of(w).district_series],
        valid=lambda w: _series_payload(w, name="Cedar Falls DIT meetings"),
    ),
    "meetings:schedule": FormCase(
        role="district",
        url=lambda w: reverse("meetings:schedule", args=[_district(w).pk]),
        valid=_meeting_payload,
        refused={"facilitator": _not_members, "note_taker": _not_members},
    ),
    "meetings:meeting-edit": FormCase(
        role="csso",
        url=lambda w: reverse("meetings:meeting-edit", args=[_smt_next(w).pk]),
        watch=lambda w: [_smt_next(w)],
        valid=lambda w: {
            "starts_at": _when(8, 9),
            "length": "120",
            "place": "Board Room",
            "video_link": "https://meet.example.org/smt",
            "facilitator": str(w.user("csso").pk),
            "note_taker": str(w.user("smt").pk),
            "status": "scheduled",
        },
        # A meeting ahead cannot be marked held.
        refused={"status": lambda w: ["held"]},
    ),
    "meetings:agenda-add": FormCase(
        role="csso",
        url=lambda w: reverse("meetings:agenda-add", args=[_smt_next(w).pk]),
        watch=lambda w: [_smt_next(w)],
        valid=lambda w: {
            "title": "Barriers escalated to the SMT",
            "kind": "discussion",
            "presenter": str(w.user("sponsor").pk),
            "allotted": "20",
            "version": "1",
        },
        # An agenda that changed since the page was opened refuses the add.
        refused={"version": lambda w: ["0", "2"]},
    ),
    "meetings:agenda-edit": FormCase(
        role="csso",
        url=lambda w: reverse(
            "meetings:agenda-edit", args=[_smt_next(w).pk, meetings_of(w).smt_item.pk]
        ),
        watch=lambda w: [meetings_of(w).smt_item],
        valid=lambda w: {
            "title": "Data review: capacity",
            "kind": "discussion",
            "presenter": "",
            "allotted": "25",
            "version": "1",
        },
        refused={"version": lambda w: ["0", "2"]},
    ),
    "meetings:minutes": FormCase(
        role="smt",
        url=lambda w: reverse(
            "meetings:minutes", args=[_smt_next(w).pk, meetings_of(w).smt_item.pk]
        ),
        watch=lambda w: [meetings_of(w).smt_item],
        valid=lambda w: {"minutes": "The data team walked through the results.", "version": "1"},
        # A stale save: someone saved the minutes since this page was opened.
        refused={"version": lambda w: ["0", "2"]},
    ),
    "meetings:agenda-remove": FormCase(
        role="csso",
        url=lambda w: reverse(
            "meetings:agenda-remove", args=[_smt_next(w).pk, meetings_of(w).smt_item.pk]
        ),
        watch=lambda w: [_smt_next(w)],
        valid=lambda w: {"version": "1"},
        refused={"version": lambda w: ["0", "2"]},
    ),
    "meetings:attendance": FormCase(
        role="csso",
        url=lambda w: reverse("meetings:attendance", args=[_smt_next(w).pk]),
        watch=lambda w: [_smt_next(w)],
        valid=lambda w: {
            f"presence_{w.user('csso').pk}": "present",
            f"presence_{w.user('smt').pk}": "represented",
            f"represented_by_{w.user('smt').pk}": str(w.user("sts").pk),
            f"presence_{w.user('sponsor').pk}": "absent",
        },
    ),
    "meetings:decision-add": FormCase(
        role="csso",
        url=lambda w: reverse("meetings:decision-add", args=[_smt_next(w).pk]),
        valid=lambda w: {
            "text": "Fund a third coach for the Northern Region.",
            "rationale": "Coaching dose predicts fidelity.",
            "review_on": iso(today() + timedelta(days=90)),
            "agenda_item": str(meetings_of(w).smt_item.pk),
            "updates": [str(w.attention_update.pk)],
            "document_url": "https://docs.example.org/coaching.pdf",
            "document_label": "Coaching plan",
        },
        # A review date on or before the meeting (a week ahead) is refused.
        refused={
            "review_on": lambda w: [iso(today()), iso(today() + timedelta(days=7))],
            "agenda_item": lambda w: [meetings_of(w).district_item.pk],
        },
    ),
    "meetings:decision-review": FormCase(
        role="csso",
        url=lambda w: reverse("meetings:decision-review", args=[meetings_of(w).decision.pk]),
        watch=lambda w: [meetings_of(w).decision],
        valid=lambda w: {"review_on": iso(today() + timedelta(days=120))},
        refused={"review_on": lambda w: [iso(meetings_of(w).decision.decided_on)]},
    ),
    "meetings:action-add": FormCase(
        role="csso",
        url=lambda w: reverse("meetings:action-add", args=[_smt_next(w).pk]),
        valid=lambda w: {
            "what": "Report back on the coaching schedule barrier",
            "owner": str(w.user("sponsor").pk),
            "due_on": iso(today() + timedelta(days=21)),
        },
        # The district's lead does not sit on the SMT: not an owner of its items.
        refused={"owner": lambda w: [w.user("district").pk, w.user("building").pk]},
    ),
    "meetings:action-drop": FormCase(
        role="sponsor",
        url=lambda w: reverse("meetings:action-drop", args=[meetings_of(w).action.pk]),
        watch=lambda w: [meetings_of(w).action],
        valid=lambda w: {"reason": "The Finance division took this on."},
    ),
    "meetings:problem-add": FormCase(
        role="district",
        url=lambda w: reverse("meetings:problem-add", args=[meetings_of(w).district_meeting.pk]),
        valid=lambda w: {
            "what": "Grade 2 reading below benchmark",
            "who": "Grade 2",
            "where": "Core block",
            "when": "Since October",
            "why": "Groups are not formed from data.",
            "goal": "80% at benchmark by spring.",
        },
    ),
    "meetings:solution-add": FormCase(
        role="district",
        url=lambda w: reverse("meetings:solution-add", args=[meetings_of(w).district_meeting.pk]),
        valid=lambda w: {
            "problem": str(meetings_of(w).problem.pk),
            "action": "Form groups from screening data",
            "owner": str(w.user("district").pk),
            "due_on": iso(today() + timedelta(days=14)),
        },
        refused={"owner": lambda w: [w.user("building").pk]},
    ),
    "meetings:fidelity": FormCase(
        role="district",
        url=lambda w: reverse(
            "meetings:fidelity",
            args=[meetings_of(w).district_meeting.pk, meetings_of(w).solution.pk],
        ),
        watch=lambda w: [meetings_of(w).solution],
        valid=lambda w: {"fidelity": "partly"},
    ),
    "meetings:effectiveness": FormCase(
        role="district",
        url=lambda w: reverse(
            "meetings:effectiveness",
            args=[meetings_of(w).district_meeting.pk, meetings_of(w).problem.pk],
        ),
        watch=lambda w: [meetings_of(w).problem],
        valid=lambda w: {"effect": "improved", "note": "Referrals fell by a third."},
    ),
    "meetings:self-check": FormCase(
        role="district",
        url=lambda w: reverse("meetings:self-check", args=[meetings_of(w).district_meeting.pk]),
        valid=lambda w: {"started_on_time": "on", "roles_filled": "on", "note": "Start on time."},
    ),
}

FILTERS: dict[str, FilterCase] = {
    "meetings:index": FilterCase("district", "/meetings/", {"page": ["2"]}),
    "meetings:decisions": FilterCase(
        "smt",
        "/meetings/decisions/",
        {
            "q": ["coaching"],
            "team": ["Cedar"],
            "since": [iso(today() - timedelta(days=90))],
            "until": [iso(today())],
            "page": ["2"],
        },
    ),
    "meetings:actions": FilterCase(
        "district", "/meetings/actions/", {"closed": ["on"], "page": ["2"]}
    ),
}
