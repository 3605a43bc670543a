"""Generated bad input against every form of the portal: never a 500, never a write.

Each form starts from a payload that works (checked in its own test), then one field at a
time is replaced by a value built to be refused (empty, too long, NUL, a date that does
not exist, an id that points nowhere or somewhere not allowed, a choice not offered, a
list of such values), or whole payloads are replaced by random ones. The portal must
answer with the form and its errors, or a 4xx, and leave every table as it was.

Values a person could legitimately type (accents, emoji, quotes, markup, far dates) form
a smaller second family: the portal may accept or refuse them, but never crash, and a
refusal still writes nothing.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from teams.models import (
    Agency,
    Cadence,
    Division,
    Level,
    Role,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamRole,
    TeamUpdate,
    User,
    today,
)

from .factories import DivisionFactory, UserFactory
from .world import PASSWORD, World

EXAMPLES = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILTER_EXAMPLES = hypothesis_settings(EXAMPLES, max_examples=25)
URLENCODED = "application/x-www-form-urlencoded"
WATCHED_APPS = {"teams", "meetings", "initiatives", "datasystem", "axes"}

# --- What "nothing written" means ------------------------------------------------------------


@functools.cache
def _row_count_query(skip_apps: frozenset[str]) -> tuple[str, list[str]]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in WATCHED_APPS - skip_apps
            and model._meta.managed
            and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables), tables


def database_state(watched=(), *, skip_apps: frozenset[str] = frozenset()) -> dict[str, object]:
    """Row counts of the portal's tables, and every field of the records a form could edit.

    Each save of a governance record also adds a history row, so the counts of the
    history tables catch changes in place to records not named in `watched` as well.
    """
    sql, tables = _row_count_query(skip_apps)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        state: dict[str, object] = dict(zip(tables, cursor.fetchone(), strict=True))
    for record in watched:
        rows = type(record)._base_manager.filter(pk=record.pk).values_list()
        state[f"{record._meta.label} #{record.pk}"] = list(rows)
    return state


def assert_nothing_written(before: dict, after: dict, what: str) -> None:
    changed = sorted(label for label in before if before[label] != after[label])
    assert not changed, f"{what} changed {', '.join(changed)}"


# --- Fields and the values that must be refused ------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A form field as the bad input sees it.

    kind: text, textarea, username, email, date, fk, choice, multi, secret, flag.
    refused: existing values this field must refuse here (taken names, ids outside the
    choices, a valid choice that breaks a rule with the rest of the payload).
    """

    kind: str
    required: bool = False
    max_length: int | None = None
    future_ok: bool = True
    choices: tuple[str, ...] = ()
    refused: Callable[[World], list] | None = None


def text(max_length: int | None = None, *, required: bool = False, refused=None) -> Field:
    return Field("text", required=required, max_length=max_length, refused=refused)


def textarea(*, required: bool = False) -> Field:
    return Field("textarea", required=required)


def date(*, required: bool = True, future_ok: bool = True) -> Field:
    return Field("date", required=required, future_ok=future_ok)


def fk(*, required: bool = True, refused=None) -> Field:
    return Field("fk", required=required, refused=refused)


def choice(choices, *, refused=None) -> Field:
    return Field("choice", required=True, choices=tuple(str(c) for c in choices), refused=refused)


FLAG = Field("flag")
CONFIRM = Field("flag", required=True)  # a tick box the action needs
SECRET = Field("secret", required=True)

WHITESPACE = st.text(alphabet=" \t\r\n\u00a0\u2003\u3000", min_size=1, max_size=8)
BLANK = st.just("") | WHITESPACE
WITH_NUL = st.builds(
    lambda head, tail: f"{head}\x00{tail}", st.text(max_size=12), st.text(max_size=12)
)
SQL_AND_MARKUP = [
    "Robert'); DROP TABLE teams_team;--",
    "1' OR '1'='1",
    '"; DELETE FROM teams_user; --',
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{ 7|add:7 }}{% csrf_token %}",
    "%s%s%n%x",
    "../../../etc/passwd",
]
UNUSUAL_TEXT = [
    "José Ñúñez-García",
    "Zoë O'Brien",
    "Đặng Thị Mỹ Linh",
    "李小龙",
    "مدرسة النور",
    "Team 🚀📚",
    "e\u0301cole",
    "\u200bzero width",
    *SQL_AND_MARKUP,
]
MALFORMED_DATES = [
    "2024-13-45",
    "31/12/2024",
    "2024-02-30",
    "2023-02-29",
    "2024-00-10",
    "0000-00-00",
    "99999-01-01",
    "-2024-01-01",
    "2024/13/01",
    "2024-1-1x",
    "12/31/2024 12:00",
    "1e3",
    "2024-01-01'; DROP TABLE teams_team;--",
]
UNUSUAL_DATES = ["0001-01-01", "1900-02-28", "2000-02-29", "12/31/2024", "Dec 31 2024"]
BAD_IDS = st.one_of(
    st.integers(min_value=10**6, max_value=10**9).map(str),
    st.integers(min_value=-(10**12), max_value=0).map(str),
    st.integers(min_value=2**63 - 1, max_value=10**40).map(str),
    st.sampled_from(
        ["abc", "1.5", "1e3", "0x1F", "NaN", "None", "[1]", "🙂", "--1", *SQL_AND_MARKUP]
    ),
    WITH_NUL,
)
BAD_EMAILS = [
    "not-an-email",
    "a@",
    "@example.org",
    "a@@example.org",
    "a b@example.org",
    "a@exa mple.org",
    "<script>@example.org",
    "x" * 250 + "@example.org",
]
BAD_USERNAMES = ["has space", "slash/name", "<script>", "emoji🙂", "semi;colon", "quote'name"]


def too_long(max_length: int):
    return st.builds(
        lambda char, extra: char * (max_length + extra),
        st.sampled_from(["a", "é", "字", "🙂", "<", "'"]),
        st.integers(min_value=1, max_value=10) | st.integers(min_value=5000, max_value=6000),
    )


def future_dates():
    return st.integers(min_value=1, max_value=3650).map(
        lambda days: (today() + timedelta(days=days)).isoformat()
    )


def one_refused_value(spec: Field, world: World, valid) -> st.SearchStrategy:
    """Values that are wrong for this field whatever the rest of the payload says."""
    options = []
    if spec.required and spec.kind not in ("flag", "secret"):
        options.append(BLANK)
    if spec.refused:
        options.append(st.sampled_from([str(value) for value in spec.refused(world)]))
    if spec.kind in ("text", "textarea", "username", "email"):
        options.append(WITH_NUL)
        if spec.max_length:
            options.append(too_long(spec.max_length))
    if spec.kind == "username":
        options += [st.sampled_from(BAD_USERNAMES), too_long(150)]
    if spec.kind == "email":
        options.append(st.sampled_from(BAD_EMAILS))
    if spec.kind == "date":
        options += [
            st.sampled_from(MALFORMED_DATES),
            st.from_regex(r"\A[a-zA-Z]{1,12}\Z"),
            WITH_NUL,
        ]
        if not spec.future_ok:
            options += [future_dates(), st.just("9999-12-31")]
    if spec.kind == "fk":
        options.append(BAD_IDS)
    if spec.kind == "choice":
        options += [
            st.text(max_size=30).filter(lambda value: value not in spec.choices),
            st.sampled_from(
                [c.upper() for c in spec.choices if c.upper() not in spec.choices]
                + [f" {spec.choices[0]}", "-1", "99999999999999999999", *SQL_AND_MARKUP]
            ),
        ]
    if spec.kind == "secret":
        # Anything but the right value (the username is normalised as Django does).
        options += [
            BLANK,
            WITH_NUL,
            too_long(40),
            st.text(max_size=40).filter(lambda value: _normal(value) != _normal(valid)),
        ]
    return st.one_of(*options) if options else st.nothing()


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def refused_values(spec: Field, world: World, valid) -> st.SearchStrategy:
    if spec.kind == "flag":
        return st.nothing()
    if spec.kind == "multi":
        bad = BAD_IDS
        if spec.refused:
            bad = bad | st.sampled_from([str(value) for value in spec.refused(world)])
        return st.builds(
            lambda wrong, keep: [*(valid if keep else []), *wrong],
            st.lists(bad, min_size=1, max_size=3),
            st.booleans(),
        )
    single = one_refused_value(spec, world, valid)
    # Several values for one field: Django reads the last, and every one is wrong.
    return single | st.lists(single, min_size=2, max_size=3)


def unusual_values(spec: Field) -> st.SearchStrategy | None:
    """Values a person might type: the portal may take them or refuse them."""
    if spec.kind in ("text", "textarea", "username"):
        limit = spec.max_length or 10_000
        values = [value for value in UNUSUAL_TEXT if len(value) <= limit]
        options = [st.sampled_from(values), st.text(min_size=1, max_size=min(limit, 60))]
        if spec.kind == "textarea":
            options.append(st.just("Ünïcödé paragraph. " * 300))
        if not spec.required:
            options.append(BLANK)
        return st.one_of(*options)
    if spec.kind == "email":
        return st.sampled_from(["", "josé@example.org", "a+tag@sub.example.org"])
    if spec.kind == "date":
        options = [st.sampled_from(UNUSUAL_DATES)]
        if spec.future_ok:
            options += [future_dates(), st.just("9999-12-31")]
        if not spec.required:
            options.append(BLANK)
        return st.one_of(*options)
    if spec.kind == "fk" and not spec.required:
        return BLANK
    if spec.kind == "multi":
        return st.just([])
    if spec.kind == "flag":
        return st.sampled_from(["", "on", "true", "false", "0", "1", "yes", "🙂", "\x00"])
    return None


# --- The forms ------------------------------------------------------------------------------------


@dataclass
class FormCase:
    role: str | None
    url: Callable[[World], str]
    valid: Callable[[World], dict]
    fields: dict[str, Field]
    # The records the form edits (the person sending it is always watched).
    watch: Callable[[World], list] = lambda w: []
    # The sign-in form records failures (that is its job); other forms write nothing.
    skip_apps: frozenset[str] = field(default_factory=frozenset)

    def watched(self, world: World) -> list:
        acting = [world.user(self.role)] if self.role else [world.user("sts")]
        return acting + self.watch(world)


def _iso(day) -> str:
    return day.isoformat()


def _users(*roles: str) -> Callable[[World], list]:
    return lambda w: [w.user(role).pk for role in roles]


def _inactive_person(world: World) -> int:
    return User.objects.get(username="former-staff").pk


def _other_division_names(keep: str) -> Callable[[World], list]:
    return lambda w: list(Division.objects.exclude(name=keep).values_list("name", flat=True))


def _other_usernames(keep: str) -> Callable[[World], list]:
    return lambda w: list(User.objects.exclude(username=keep).values_list("username", flat=True))


TEAM_FIELDS = {
    "name": text(200, required=True),
    "unit_name": text(200),
    "purpose": textarea(),
    "specialists": Field("multi", refused=_users("district", "building", "csso")),
    "cadence": choice(Cadence.values),
    "zone_entered_on": date(required=False),
}
UPDATE_FIELDS = {
    "occurred_on": date(future_ok=False),
    "summary": textarea(required=True),
    "successes": textarea(),
    "adaptive_challenges": textarea(),
    "next_steps": textarea(),
    "for_smt_attention": FLAG,
}


def _team_payload(team: Team, **extra) -> dict:
    return {
        "name": team.name,
        "unit_name": "Cedar Falls Community Schools",
        "purpose": "Installs the literacy framework in every building.",
        "specialists": [str(pk) for pk in team.specialists.values_list("pk", flat=True)],
        "cadence": str(Cadence.MONTHLY),
        "zone_entered_on": "",
        **extra,
    }


def _update_payload(**extra) -> dict:
    return {
        "occurred_on": _iso(today() - timedelta(days=1)),
        "summary": "The team reviewed its fidelity data and chose two next steps.",
        "successes": "All members attended.",
        "adaptive_challenges": "",
        "next_steps": "Schedule coaching.",
        **extra,
    }


def person_fields(*, editing: str) -> dict:
    """The person form's fields; the username may be kept only by the person being edited."""
    return {
        "username": Field("username", required=True, refused=_other_usernames(editing)),
        "first_name": text(150, required=True),
        "last_name": text(150, required=True),
        "email": Field("email"),
        "job_title": text(150),
        "division": fk(required=False, refused=lambda w: [_retired_division().pk]),
        "is_active": FLAG,
    }


CASES: dict[str, FormCase] = {
    "login": FormCase(
        role=None,
        url=lambda w: reverse("login"),
        valid=lambda w: {"username": "sts", "password": PASSWORD},
        fields={"username": SECRET, "password": SECRET},
        skip_apps=frozenset({"axes"}),
    ),
    "password-change": FormCase(
        role="building",
        url=lambda w: reverse("password_change"),
        valid=lambda w: {
            "old_password": PASSWORD,
            "new_password1": "lamp meadow copper river",
            "new_password2": "lamp meadow copper river",
        },
        fields={"old_password": SECRET, "new_password1": SECRET, "new_password2": SECRET},
    ),
    "agency": FormCase(
        role="admin",
        url=lambda w: reverse("settings:agency"),
        watch=lambda w: list(Agency.objects.all()),
        valid=lambda w: {
            "name": "Lakeland Department of Education",
            "short_name": "LDE",
            "state_name": "Lakeland",
        },
        fields={
            "name": text(200, required=True),
            "short_name": text(30, required=True),
            "state_name": text(100, required=True),
            "districts_may_report_to_state": FLAG,
        },
    ),
    "division-new": FormCase(
        role="admin",
        url=lambda w: reverse("settings:division-new"),
        valid=lambda w: {
            "name": "Early Learning",
            "short_name": "EL",
            "head": str(w.user("smt").pk),
            "is_active": "on",
        },
        fields={
            "name": text(150, required=True, refused=_other_division_names("")),
            "short_name": text(30),
            "head": fk(required=False, refused=lambda w: [_inactive_person(w)]),
            "is_active": FLAG,
        },
    ),
    "division-edit": FormCase(
        role="admin",
        url=lambda w: reverse("settings:division-edit", args=[w.divisions["finance"].pk]),
        watch=lambda w: [w.divisions["finance"]],
        valid=lambda w: {
            "name": "Finance and Operations",
            "short_name": "FIN",
            "head": str(w.user("smt").pk),
            "is_active": "on",
        },
        fields={
            "name": text(
                150, required=True, refused=_other_division_names("Finance and Operations")
            ),
            "short_name": text(30),
            "head": fk(required=False, refused=lambda w: [_inactive_person(w)]),
            "is_active": FLAG,
        },
    ),
    "person-new": FormCase(
        role="admin",
        url=lambda w: reverse("settings:person-new"),
        valid=lambda w: {
            "username": "mhernandez",
            "first_name": "Maria",
            "last_name": "Hernandez",
            "email": "mhernandez@example.org",
            "job_title": "Reading coach",
            "division": str(w.divisions["academics"].pk),
            "is_active": "on",
        },
        fields=person_fields(editing=""),
    ),
    "person-edit": FormCase(
        role="admin",
        url=lambda w: reverse("settings:person-edit", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: {
            "username": "building",
            "first_name": "Ben",
            "last_name": "Carter-Lopez",
            "email": "ben@example.org",
            "job_title": "Principal",
            "division": str(w.divisions["academics"].pk),
            "is_active": "on",
        },
        fields=person_fields(editing="building"),
    ),
    "person-password": FormCase(
        role="admin",
        url=lambda w: reverse("settings:person-password", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: {
            "new_password1": "granite lantern orchard 47",
            "new_password2": "granite lantern orchard 47",
        },
        fields={"new_password1": SECRET, "new_password2": SECRET},
    ),
    "role-add": FormCase(
        role="admin",
        url=lambda w: reverse("settings:role-add", args=[w.user("building").pk]),
        watch=lambda w: [w.user("building")],
        valid=lambda w: {"role": Role.STS, "started_on": _iso(today()), "note": "Joined in May."},
        fields={
            "role": choice(Role.values),
            "started_on": date(),
            "note": text(200),
        },
    ),
    "team-create": FormCase(
        role="admin",
        url=lambda w: reverse("teams:team-create"),
        valid=lambda w: {
            "name": "Pine Hill Elementary Team",
            "level": Level.BUILDING,
            "parent": str(w.district.pk),
            "unit_name": "Pine Hill Elementary",
            "purpose": "",
            "specialists": [str(w.user("sts").pk)],
            "cadence": str(Cadence.FORTNIGHTLY),
            "zone_entered_on": _iso(today() - timedelta(days=30)),
            "zone_left_on": "",
        },
        fields={
            **TEAM_FIELDS,
            # Only a building team may sit under a district team.
            "level": choice(Level.values, refused=lambda w: ["state", "regional", "district"]),
            "parent": fk(refused=lambda w: [w.building.pk, w.region.pk, w.state_team.pk, w.smt.pk]),
            "zone_left_on": date(required=False),
        },
    ),
    "team-edit-as-admin": FormCase(
        role="admin",
        url=lambda w: reverse("teams:team-edit", args=[w.district.pk]),
        watch=lambda w: [w.district],
        valid=lambda w: _team_payload(w.district, level=Level.DISTRICT, parent=str(w.region.pk)),
        fields={
            **TEAM_FIELDS,
            # The district has buildings below it, and sits under a regional team.
            "level": choice(Level.values, refused=lambda w: ["state", "regional", "building"]),
            "parent": fk(
                refused=lambda w: [w.district.pk, w.building.pk, w.state_team.pk, w.smt.pk]
            ),
        },
    ),
    "team-edit-as-sts": FormCase(
        role="sts",
        url=lambda w: reverse("teams:team-edit", args=[w.district.pk]),
        watch=lambda w: [w.district],
        valid=lambda w: _team_payload(w.district),
        fields=TEAM_FIELDS,
    ),
    "member-add": FormCase(
        role="sts",
        url=lambda w: reverse("teams:member-add", args=[w.district.pk]),
        valid=lambda w: {
            "person": str(w.user("smt").pk),
            "role": TeamRole.MEMBER,
            "started_on": _iso(today()),
        },
        fields={
            # Dana is already on the team; a former member of staff cannot be chosen.
            "person": fk(refused=lambda w: [w.user("district").pk, _inactive_person(w)]),
            # A linking member must sit on the team above, which Sarah does not.
            "role": choice(TeamRole.values, refused=lambda w: [TeamRole.LINKING]),
            "started_on": date(),
        },
    ),
    "development-review": FormCase(
        role="sts",
        url=lambda w: reverse("teams:development-new", args=[w.district.pk]),
        valid=lambda w: {
            "reviewed_on": _iso(today()),
            "formed": "on",
            "members_trained": "on",
            "linked": "on",
            "note": "Meets monthly; linking member in place.",
        },
        fields={
            "reviewed_on": date(future_ok=False),
            "formed": FLAG,
            "members_trained": FLAG,
            "meets_on_cadence": FLAG,
            "linked": FLAG,
            "note": textarea(),
        },
    ),
    "update-new": FormCase(
        role="sts",
        url=lambda w: reverse("teams:update-new"),
        valid=lambda w: _update_payload(team=str(w.district.pk)),
        fields={
            **UPDATE_FIELDS,
            # Oak Park is not one of Tina's teams.
            "team": fk(refused=lambda w: [w.far_building.pk, w.far_district.pk]),
        },
    ),
    "team-update-new": FormCase(
        role="building",
        url=lambda w: reverse("teams:team-update-new", args=[w.building.pk]),
        valid=lambda w: _update_payload(),
        fields=UPDATE_FIELDS,
    ),
    "update-edit": FormCase(
        role="building",
        url=lambda w: reverse("teams:update-edit", args=[w.building_update.pk]),
        watch=lambda w: [w.building_update],
        valid=lambda w: _update_payload(summary="Lincoln's team met and reviewed its data."),
        fields=UPDATE_FIELDS,
    ),
    "sponsor-appoint": FormCase(
        role="csso",
        url=lambda w: reverse("teams:sponsor-appoint"),
        valid=lambda w: {
            "sponsor": str(w.user("smt").pk),
            "started_on": _iso(today()),
            "note": "Brings Finance to the sponsors.",
        },
        fields={
            # Already a sponsor; not on the SMT; not on the SMT either.
            "sponsor": fk(refused=_users("sponsor", "sts", "building")),
            "started_on": date(required=False, future_ok=False),
            "note": text(300),
        },
    ),
    "sponsor-end": FormCase(
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
        fields={"accept_broken_rule": CONFIRM},
    ),
    "pairing-new": FormCase(
        role="admin",
        url=lambda w: reverse("teams:pairing-new"),
        valid=lambda w: {
            "sponsor": str(User.objects.get(username="sponsor2").pk),
            "specialist": str(w.user("sts").pk),
        },
        fields={
            "sponsor": fk(refused=_users("smt", "sts", "csso")),
            "specialist": fk(refused=_users("building", "sponsor", "admin")),
        },
    ),
}


def _retired_division() -> Division:
    return Division.objects.get(name="Retired Programs")


@pytest.fixture
def bad_world(world) -> World:
    """The demo world plus what forms must refuse: a closed division and a former employee."""
    DivisionFactory(name="Retired Programs", is_active=False)
    UserFactory(username="former-staff", first_name="Fay", last_name="Gone", is_active=False)
    return world


# --- Sending and judging -------------------------------------------------------------------------


@dataclass
class Sent:
    case: FormCase
    world: World
    client: Client
    before: dict
    must_refuse: bool
    what: str
    # An empty POST reads as no POST at all (`request.POST or None`): the blank form again.
    # Browsers always send at least the CSRF token, so only hand-made requests get here.
    body_fields: bool = True


def _sign_in(client: Client, case: FormCase, world: World) -> None:
    if case.role is None:
        client.logout()
    elif client.session.get("_auth_user_id") != str(world.user(case.role).pk):
        # Once per test, or again after an example whose session was rolled back.
        client.force_login(world.user(case.role))


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def post_and_judge(client, world, case: FormCase, body: bytes | str, *, must_refuse, what):
    """One example in its own savepoint, so the next one starts from the same world."""
    savepoint = transaction.savepoint()
    try:
        _sign_in(client, case, world)
        url = case.url(world)
        watched = case.watched(world)
        before = database_state(watched, skip_apps=case.skip_apps)
        response = client.post(url, data=body, content_type=URLENCODED)
        after = database_state(watched, skip_apps=case.skip_apps)
        body_fields = bool(QueryDict(body.encode() if isinstance(body, str) else body))
        judge(response, Sent(case, world, client, before, must_refuse, what, body_fields), after)
    finally:
        transaction.savepoint_rollback(savepoint)


def judge(response, sent: Sent, after: dict) -> None:
    status = response.status_code
    assert status < 500, f"{sent.what}: answered {status}"
    accepted = status in (301, 302, 303)
    if sent.case.role is None:
        accepted = accepted and _signed_in(sent.client)
    if sent.must_refuse:
        assert not accepted, f"{sent.what}: was accepted"
    if accepted:
        assert sent.case.role is None or not response.url.startswith(reverse("login"))
        # Whatever was accepted must also be readable afterwards.
        follow = sent.client.get(response.url)
        assert follow.status_code < 500, (
            f"{sent.what}: {response.url} answered {follow.status_code}"
        )
        return
    if status != 200:
        assert 400 <= status < 500, f"{sent.what}: answered {status}"
    elif sent.body_fields:
        assert "Please correct" in response.content.decode(), f"{sent.what}: no error shown"
    if sent.case.role is None:
        assert not _signed_in(sent.client), f"{sent.what}: signed in"
    assert_nothing_written(sent.before, after, sent.what)


def encode(payload: dict) -> str:
    return urlencode(payload, doseq=True)


def _required(case: FormCase) -> list[str]:
    return [name for name, spec in case.fields.items() if spec.required]


def _missing_required(case: FormCase, data: QueryDict) -> bool:
    return any(data.get(name, "") == "" for name in _required(case))


# --- The tests ------------------------------------------------------------------------------------

CASE_NAMES = sorted(CASES)
RANDOM_VALUES = st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3) | BAD_IDS


@pytest.mark.parametrize("name", CASE_NAMES)
def test_the_valid_payload_is_accepted(name, bad_world, client):
    """The starting point works, so every refusal below is the corruption's doing."""
    case = CASES[name]
    _sign_in(client, case, bad_world)
    before = database_state(case.watched(bad_world), skip_apps=case.skip_apps)
    response = client.post(
        case.url(bad_world), data=encode(case.valid(bad_world)), content_type=URLENCODED
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    if case.role is None:
        assert _signed_in(client)
    else:
        assert database_state(case.watched(bad_world), skip_apps=case.skip_apps) != before


def one_bad_field(case: FormCase, world: World, data) -> tuple[str, bool, str]:
    """The valid payload with one field made wrong: always refused."""
    payload = case.valid(world)
    fields = {n: spec for n, spec in case.fields.items() if spec.kind != "flag"}
    target = data.draw(st.sampled_from(sorted(fields)), label="field")
    value = data.draw(refused_values(fields[target], world, payload.get(target)), label="value")
    return encode(payload | {target: value}), True, f"{target}={value!r}"


def one_unusual_field(case: FormCase, world: World, data) -> tuple[str, bool, str]:
    """The valid payload with one field given something odd a person might type."""
    payload = case.valid(world)
    candidates = {
        n: strategy
        for n, spec in case.fields.items()
        if (strategy := unusual_values(spec)) is not None
    }
    target = data.draw(st.sampled_from(sorted(candidates)), label="field")
    value = data.draw(candidates[target], label="value")
    return encode(payload | {target: value}), False, f"{target}={value!r}"


def random_body(case: FormCase, world: World, data) -> tuple[str | bytes, bool, str]:
    """Fields left out, a random dict, or random bytes: refused when a required field is
    missing, which it nearly always is."""
    shape = data.draw(st.sampled_from(["missing", "random", "bytes"]), label="shape")
    if shape == "missing":
        dropped = data.draw(st.sets(st.sampled_from(sorted(case.fields)), min_size=1))
        body = encode({k: v for k, v in case.valid(world).items() if k not in dropped})
    elif shape == "random":
        keys = st.sampled_from(sorted(case.fields)) | st.text(max_size=20)
        body = encode(data.draw(st.dictionaries(keys, RANDOM_VALUES, max_size=8), label="dict"))
    else:
        body = data.draw(st.binary(max_size=300), label="bytes")
    received = QueryDict(body if isinstance(body, bytes) else body.encode())
    return body, _missing_required(case, received), f"{shape} body {body!r}"


def families(case: FormCase) -> list:
    """Mostly values built to be refused; a tick box takes any value, so it has none."""
    chosen = []
    if any(spec.kind != "flag" for spec in case.fields.values()):
        chosen += [one_bad_field] * 3
    if any(unusual_values(spec) is not None for spec in case.fields.values()):
        chosen.append(one_unusual_field)
    return [*chosen, random_body]


@pytest.mark.parametrize("name", CASE_NAMES)
@EXAMPLES
@given(data=st.data())
def test_bad_input_is_refused_without_writing(name, bad_world, client, data):
    case = CASES[name]
    family = data.draw(st.sampled_from(families(case)), label="family")
    body, must_refuse, what = family(case, bad_world, data)
    post_and_judge(client, bad_world, case, body, must_refuse=must_refuse, what=f"{name}: {what}")


# --- Filters and searches (GET) ----------------------------------------------------------------


@dataclass
class FilterCase:
    role: str
    url: str
    # Each parameter the page reads, with values it knows (so the others get exercised too).
    params: dict[str, list[str]]


LEVELS = list(Level.values)
FILTERS = {
    "cascade": FilterCase(
        "smt", "/teams/", {"region": [], "level": LEVELS, "zone": ["on"], "page": ["2"]}
    ),
    "updates": FilterCase(
        "sts", "/teams/updates/", {"attention": ["on"], "level": LEVELS, "page": ["2"]}
    ),
    "people": FilterCase("building", "/people/", {"q": ["Tina"], "division": [], "page": ["2"]}),
    "settings-people": FilterCase("admin", "/settings/people/", {"q": ["Ben"], "page": ["2"]}),
    "history": FilterCase(
        "admin",
        "/settings/history/",
        {"kind": ["people", "teams", "roles", "updates"], "object": ["1"], "page": ["2"]},
    ),
    "meetings": FilterCase("district", "/meetings/", {"quiet": ["1"], "page": ["2"]}),
    "update-new": FilterCase("sts", "/teams/updates/new/", {"team": []}),
    "sponsors": FilterCase("csso", "/sponsors/", {"page": ["2"]}),
}
NUMBER_LIKE = st.sampled_from(
    ["²", "¹²", "٣", "-1", "1.5", "1e5", "0x10", " 1", "1_000", "9" * 30, "-" + "9" * 30]
)
GARBAGE = st.one_of(NUMBER_LIKE, st.text(max_size=30), BAD_IDS, BLANK, too_long(100), WITH_NUL)


def query_strings(case: FilterCase) -> st.SearchStrategy[str]:
    def values(known: list[str]):
        one = GARBAGE | st.sampled_from(known) if known else GARBAGE
        return one | st.lists(one, min_size=2, max_size=3)

    params = st.fixed_dictionaries(
        {}, optional={name: values(known) for name, known in case.params.items()}
    )
    strangers = st.dictionaries(st.text(max_size=10), GARBAGE, max_size=3)
    built = st.builds(lambda ours, theirs: encode(theirs | ours), params, strangers)
    raw = st.binary(max_size=200).map(lambda raw: raw.decode("latin-1"))
    return built | raw


@pytest.mark.parametrize("name", sorted(FILTERS))
@FILTER_EXAMPLES
@given(data=st.data())
def test_garbage_query_strings_never_crash_or_write(name, bad_world, client, data):
    case = FILTERS[name]
    query = data.draw(query_strings(case), label="query")
    htmx = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
    if client.session.get("_auth_user_id") != str(bad_world.user(case.role).pk):
        client.force_login(bad_world.user(case.role))
    savepoint = transaction.savepoint()
    try:
        before = database_state()
        response = client.get(case.url, QUERY_STRING=query, **htmx)
        # 404 only for an audit kind that does not exist.
        assert response.status_code in (200, 404), f"{name}?{query!r}: {response.status_code}"
        assert_nothing_written(before, database_state(), f"{name}?{query!r}")
    finally:
        transaction.savepoint_rollback(savepoint)


# --- Unusual input a person may really type is taken as typed ------------------------------------


def test_names_with_accents_and_markup_are_kept_as_typed(bad_world, client):
    client.force_login(bad_world.user("admin"))
    payload = CASES["person-new"].valid(bad_world) | {
        "username": "josé.núñez",
        "first_name": "José",
        "last_name": "Núñez <b>García</b>",
    }
    response = client.post(reverse("settings:person-new"), data=payload)
    assert response.status_code == 302
    person = User.objects.get(username="josé.núñez")
    assert (person.first_name, person.last_name) == ("José", "Núñez <b>García</b>")
    page = client.get(reverse("teams:person", args=[person.pk])).content.decode()
    assert "Núñez &lt;b&gt;García&lt;/b&gt;" in page
    assert "<b>García</b>" not in page


def test_a_team_update_in_any_script_is_kept_as_typed(bad_world, client):
    client.force_login(bad_world.user("building"))
    summary = "Réunion 🚀: 李小龙 and مدرسة النور met; <script>alert(1)</script>"
    response = client.post(
        reverse("teams:team-update-new", args=[bad_world.building.pk]),
        data=_update_payload(summary=summary),
    )
    assert response.status_code == 302
    update = TeamUpdate.objects.filter(team=bad_world.building).latest("pk")
    assert update.summary == summary
    page = client.get(reverse("teams:update", args=[update.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


# --- Bugs the generated input found, kept as plain tests ---------------------------------------


def test_a_team_with_no_level_is_refused_not_crashed(bad_world, client):
    # Team.clean judged the place in the cascade even without a level, and raised KeyError.
    client.force_login(bad_world.user("admin"))
    payload = CASES["team-create"].valid(bad_world) | {"level": ""}
    response = client.post(reverse("teams:team-create"), data=payload)
    assert response.status_code == 200
    assert response.context["form"].errors["level"] == ["This field is required."]
    assert not Team.objects.filter(name=payload["name"]).exists()


def test_a_specialist_id_beyond_any_integer_is_refused(bad_world, client):
    # Django's pk__in has no range guard; SQLite raised OverflowError.
    client.force_login(bad_world.user("admin"))
    payload = CASES["team-edit-as-admin"].valid(bad_world) | {"specialists": [str(2**63)]}
    response = client.post(reverse("teams:team-edit", args=[bad_world.district.pk]), data=payload)
    assert response.status_code == 200
    assert "specialists" in response.context["form"].errors
    assert list(bad_world.district.specialists.all()) == [bad_world.user("sts")]


def test_an_overlong_username_at_sign_in_is_a_form_error(bad_world, client):
    # It reached django-axes, whose 255-character column failed on PostgreSQL.
    response = client.post(reverse("login"), data={"username": "x" * 300, "password": "guess"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_admin_people_search_ignores_nul_characters(bad_world, client):
    # PostgreSQL cannot compare text containing NUL; the search is now read through its form.
    client.force_login(bad_world.user("admin"))
    response = client.get(reverse("settings:people"), {"q": "Ben\x00"})
    assert response.status_code == 200
    assert client.get(reverse("settings:people"), {"q": "Carter"}).context["query"] == "Carter"


@pytest.mark.parametrize("record", ["²", "¹²", "1²"])
def test_the_audit_history_ignores_digits_int_cannot_read(record, bad_world, client):
    client.force_login(bad_world.user("admin"))
    response = client.get(reverse("settings:history"), {"kind": "people", "object": record})
    assert response.status_code == 200
    assert response.context["object_id"] is None
