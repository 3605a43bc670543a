"""The base's forms and filters, each with a payload that works and what it must refuse."""

from datetime import timedelta

from django.urls import reverse

from teams.models import (
    Agency,
    Cadence,
    Division,
    Level,
    Membership,
    Role,
    RoleAssignment,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamRole,
    User,
    today,
)

from ..bad_input import CONFIRM, SECRET, FilterCase, FormCase, iso
from ..world import PASSWORD, World


def _users(*roles: str):
    return lambda w: [w.user(role).pk for role in roles]


def _inactive_person(world: World) -> int:
    return User.objects.get(username="former-staff").pk


def _retired_division(world: World) -> int:
    return Division.objects.get(name="Retired Programs").pk


def _other_division_names(keep: str):
    def names(world: World) -> list[str]:
        others = list(Division.objects.exclude(name=keep).values_list("name", flat=True))
        # The same names in other letter cases are the same divisions.
        return others + [name.upper() for name in others]

    return names


def _other_usernames(keep: str):
    def names(world: World) -> list[str]:
        others = list(User.objects.exclude(username=keep).values_list("username", flat=True))
        return others + [name.upper() for name in others]

    return names


def _team_payload(team: Team, **extra) -> dict:
    return {
        "name": team.name,
        "unit_name": "Cedar Falls Community Schools",
        "code": "LK-D0042",
        "purpose": "Installs the literacy framework in every building.",
        "specialists": [str(pk) for pk in team.specialists.values_list("pk", flat=True)],
        "cadence": str(Cadence.MONTHLY),
        "zone_entered_on": "",
        **extra,
    }


def _update_payload(**extra) -> dict:
    return {
        "occurred_on": iso(today() - timedelta(days=1)),
        "summary": "The team reviewed its fidelity data and chose two next steps.",
        "successes": "All members attended.",
        "adaptive_challenges": "",
        "next_steps": "Schedule coaching.",
        **extra,
    }


def _person_payload(world: World, **extra) -> dict:
    return {
        "username": "mhernandez",
        "first_name": "Maria",
        "last_name": "Hernandez",
        "email": "mhernandez@example.org",
        "job_title": "Reading coach",
        "division": str(world.divisions["academics"].pk),
        "is_active": "on",
        **extra,
    }


def _lincoln_seat(world: World) -> int:
    return Membership.objects.get(team=world.building, person=world.user("building")).pk


def _smt_role(world: World) -> int:
    return RoleAssignment.objects.get(person=world.user("smt")).pk


CASES: dict[str, FormCase] = {
    "login": FormCase(
        role=None,
        url=lambda w: reverse("login"),
        valid=lambda w: {"username": "sts", "password": PASSWORD},
        kinds={"username": SECRET, "password": SECRET},
        skip_apps=frozenset({"axes"}),
    ),
    "password_change": FormCase(
        role="building",
        url=lambda w: reverse("password_change"),
        valid=lambda w: {
            "old_password": PASSWORD,
            "new_password1": "lamp meadow copper river",
            "new_password2": "lamp meadow copper river",
        },
    ),
    "password_reset": FormCase(
        role=None,
        url=lambda w: reverse("password_reset"),
        valid=lambda w: {"email": "sts@example.org"},
        signs_in=False,
    ),
    "settings:agency": FormCase(
        role="admin",
        url=lambda w: reverse("settings:agency"),
        watch=lambda w: list(Agency.objects.all()),
        valid=lambda w: {
            "name": "Lakeland Department of Education",
            "short_name": "LDE",
            "state_name": "Lakeland",
            "cabinet_granted_by": "csso",
            "max_deputies": "2",
        },
    ),
    "settings:division-new": FormCase(
        role="admin",
        url=lambda w: reverse("settings:division-new"),
        valid=lambda w: {
            "name": "Early Learning",
            "short_name": "EL",
            "head": str(w.user("smt").pk),
            "is_active": "on",
        },
        refused={"name": _other_division_names(""), "head": lambda w: [_inactive_person(w)]},
    ),
    "settings:division-edit": FormCase(
        role="admin",
        url=lambda w: reverse("settings:division-edit", args=[w.divisions["finance"].pk]),
        watch=lambda w: [w.divisions["finance"]],
        valid=lambda w: {
            "name": "Finance and Operations",
            "short_name": "FIN",
            "head": str(w.user("smt").pk),
            "is_active": "on",
        },
        refused={
            "name": _other_division_names("Finance and Operations"),
            "head": lambda w: [_inactive_person(w)],
        },
    ),
    "settings:person-new": FormCase(
        role="admin",
        url=lambda w: reverse("settings:person-new"),
        valid=_person_payload,
        refused={
            "username": _other_usernames(""),
            "division": lambda w: [_retired_division(w)],
        },
    ),
    "settings:person-edit": FormCase(
        role="admin",
        url=lambda w: reverse("settings:person-edit", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: _person_payload(
            w, username="building", first_name="Ben", last_name="Carter-Lopez"
        ),
        refused={
            "username": _other_usernames("building"),
            "division": lambda w: [_retired_division(w)],
        },
    ),
    "settings:person-password": FormCase(
        role="admin",
        url=lambda w: reverse("settings:person-password", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: {
            "new_password1": "granite lantern orchard 47",
            "new_password2": "granite lantern orchard 47",
        },
    ),
    "teams:role-add": FormCase(
        role="admin",
        url=lambda w: reverse("teams:role-add", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: {"role": Role.STS, "started_on": iso(today()), "note": "Joined in May."},
        # The agency has its CSSO already: a second one is refused.
        refused={"role": lambda w: [Role.CSSO]},
    ),
    "teams:role-correct": FormCase(
        role="admin",
        url=lambda w: reverse("teams:role-correct", args=[_smt_role(w)]),
        watch=lambda w: list(RoleAssignment.objects.filter(person=w.user("smt"))),
        valid=lambda w: {
            "started_on": iso(today() - timedelta(days=400)),
            "ended_on": "",
            "note": "Sworn in at the January board meeting.",
        },
    ),
    "teams:person-leave": FormCase(
        role="admin",
        url=lambda w: reverse("teams:person-leave", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: {"left_on": iso(today())},
        no_future=("left_on",),
    ),
    "teams:team-create": FormCase(
        role="admin",
        url=lambda w: reverse("teams:team-create"),
        valid=lambda w: {
            "name": "Pine Hill Elementary Team",
            "level": Level.BUILDING,
            "parent": str(w.district.pk),
            "unit_name": "Pine Hill Elementary",
            "code": "LK-B0999",
            "purpose": "",
            "specialists": [str(w.user("sts").pk)],
            "cadence": str(Cadence.FORTNIGHTLY),
            "zone_entered_on": iso(today() - timedelta(days=30)),
            "zone_left_on": "",
        },
        refused={
            # Only a building team may sit under a district team.
            "level": lambda w: ["state", "regional", "district"],
            "parent": lambda w: [w.building.pk, w.region.pk, w.state_team.pk, w.smt.pk],
            "specialists": _users("district", "building", "csso"),
            "code": lambda w: ["LK-TAKEN"],
        },
    ),
    "teams:team-edit": FormCase(
        role="admin",
        url=lambda w: reverse("teams:team-edit", args=[w.district.pk]),
        watch=lambda w: [w.district],
        valid=lambda w: _team_payload(w.district, level=Level.DISTRICT, parent=str(w.region.pk)),
        refused={
            # The district has buildings below it, and sits under a regional team.
            "level": lambda w: ["state", "regional", "building"],
            "parent": lambda w: [w.district.pk, w.building.pk, w.state_team.pk, w.smt.pk],
            "specialists": _users("district", "building", "csso"),
            "code": lambda w: ["LK-TAKEN"],
        },
    ),
    "teams:team-edit#as-sts": FormCase(
        role="sts",
        url=lambda w: reverse("teams:team-edit", args=[w.district.pk]),
        watch=lambda w: [w.district],
        valid=lambda w: _team_payload(w.district),
        refused={"specialists": _users("district", "building", "csso")},
    ),
    "teams:member-add": FormCase(
        role="sts",
        url=lambda w: reverse("teams:member-add", args=[w.district.pk]),
        valid=lambda w: {
            "person": str(w.user("smt").pk),
            "role": TeamRole.MEMBER,
            "started_on": iso(today()),
        },
        refused={
            # Dana is already on the team; a former member of staff cannot be chosen.
            "person": lambda w: [w.user("district").pk, _inactive_person(w)],
            # A linking member must sit on the team above, which Sarah does not.
            "role": lambda w: [TeamRole.LINKING],
        },
    ),
    "teams:member-end": FormCase(
        role="sts",
        url=lambda w: reverse("teams:member-end", args=[_lincoln_seat(w)]),
        watch=lambda w: list(Membership.objects.filter(person=w.user("building"))),
        valid=lambda w: {"left_on": iso(today())},
        no_future=("left_on",),
    ),
    "teams:development-new": FormCase(
        role="sts",
        url=lambda w: reverse("teams:development-new", args=[w.district.pk]),
        valid=lambda w: {
            "reviewed_on": iso(today()),
            "formed": "on",
            "members_trained": "on",
            "linked": "on",
            "note": "Meets monthly; linking member in place.",
        },
        no_future=("reviewed_on",),
    ),
    "teams:update-new": FormCase(
        role="sts",
        url=lambda w: reverse("teams:update-new"),
        valid=lambda w: _update_payload(team=str(w.district.pk)),
        # Oak Park is not one of Tina's teams.
        refused={"team": lambda w: [w.far_building.pk, w.far_district.pk]},
        no_future=("occurred_on",),
    ),
    "teams:team-update-new": FormCase(
        role="building",
        url=lambda w: reverse("teams:team-update-new", args=[w.building.pk]),
        valid=lambda w: _update_payload(),
        no_future=("occurred_on",),
    ),
    "teams:update-edit": FormCase(
        role="building",
        url=lambda w: reverse("teams:update-edit", args=[w.building_update.pk]),
        watch=lambda w: [w.building_update],
        valid=lambda w: _update_payload(summary="Lincoln's team met and reviewed its data."),
        no_future=("occurred_on",),
    ),
    "teams:sponsor-appoint": FormCase(
        role="csso",
        url=lambda w: reverse("teams:sponsor-appoint"),
        valid=lambda w: {
            "sponsor": str(w.user("smt").pk),
            "started_on": iso(today()),
            "note": "Brings Finance to the sponsors.",
        },
        # Already a sponsor; not on the SMT; not on the SMT either.
        refused={"sponsor": _users("sponsor", "sts", "building")},
        no_future=("started_on",),
    ),
    "teams:sponsor-end": FormCase(
        role="csso",
        url=lambda w: reverse(
            "teams:sponsor-end",
            args=[SponsorAppointment.objects.get(sponsor=w.user("sponsor")).pk],
        ),
        watch=lambda w: [
            *SponsorAppointment.objects.filter(sponsor=w.user("sponsor")),
            *SponsorPairing.objects.filter(sponsor=w.user("sponsor")),
        ],
        # Ending this appointment breaks the sponsor rule, so the CSSO must confirm.
        valid=lambda w: {"accept_broken_rule": "on"},
        kinds={"accept_broken_rule": CONFIRM},
    ),
    "teams:pairing-new": FormCase(
        role="admin",
        url=lambda w: reverse("teams:pairing-new"),
        valid=lambda w: {
            "sponsor": str(User.objects.get(username="sponsor2").pk),
            "specialist": str(w.user("sts").pk),
        },
        refused={
            "sponsor": _users("smt", "sts", "csso"),
            "specialist": _users("building", "sponsor", "admin"),
        },
    ),
}

LEVELS = list(Level.values)
FILTERS: dict[str, FilterCase] = {
    "teams:cascade": FilterCase(
        "smt",
        "/teams/",
        {"region": [], "level": LEVELS, "zone": ["on"], "quiet": ["on"], "page": ["2"]},
    ),
    "teams:updates": FilterCase(
        "sts", "/teams/updates/", {"attention": ["on"], "level": LEVELS, "page": ["2"]}
    ),
    "teams:people": FilterCase(
        "building", "/people/", {"q": ["Tina"], "division": [], "page": ["2"]}
    ),
    "settings:people": FilterCase("admin", "/settings/people/", {"q": ["Ben"], "page": ["2"]}),
    "settings:history": FilterCase(
        "admin",
        "/settings/history/",
        {"kind": ["people", "teams", "roles", "updates"], "object": ["1"], "page": ["2"]},
    ),
    "teams:update-new": FilterCase("sts", "/teams/updates/new/", {"team": []}),
    "teams:member-add": FilterCase("sts", "/teams/{district}/members/new/", {"q": ["Sarah"]}),
    "teams:sponsors": FilterCase("csso", "/sponsors/", {"page": ["2"]}),
}
