"""The engine of the generated bad input: fields, the values each must refuse, and how a
post is sent and judged. The cases live in `tests/inputs/<app>.py`; the tests in
`tests/test_bad_input.py`.

Each form's fields are read from the form its page really shows (`derive_fields`), so a
field added to a form is attacked the moment it exists; a case names only what the
form cannot say about itself: a payload that works, the existing values the domain must
refuse (a taken name, someone not on the SMT), and dates that may not lie ahead.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib.auth.forms import UsernameField
from django.core.cache import cache
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from teams.models import today

from .world import World

EXAMPLES = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILTER_EXAMPLES = hypothesis_settings(EXAMPLES, max_examples=25)
URLENCODED = "application/x-www-form-urlencoded"
WATCHED_APPS = {"teams", "meetings", "initiatives", "datasystem", "digests", "axes"}

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

    kind: text, textarea, username, email, date, number, fk, choice, multi, secret, flag.
    refused: existing values this field must refuse here (taken names, ids outside the
    choices, a valid choice that breaks a rule with the rest of the payload).
    """

    kind: str
    required: bool = False
    max_length: int | None = None
    future_ok: bool = True
    choices: tuple[str, ...] = ()
    refused: Callable[[World], list] | None = None
    bounds: tuple[int | None, int | None] = (None, None)


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
    if spec.kind in ("number", "decimal"):
        low, high = spec.bounds
        wrong = ["abc", "NaN", "--1", "9" * 30, "-" + "9" * 30, "1,5", *SQL_AND_MARKUP]
        if spec.kind == "number":
            wrong += ["1.5", "1e3"]
        wrong += [str(low - 1)] if low is not None else []
        wrong += [str(high + 1), str(high + 1000)] if high is not None else []
        options.append(st.sampled_from(wrong))
    if spec.kind == "choice":
        options += [
            st.text(max_size=30).filter(
                lambda value: value not in spec.choices and (spec.required or value != "")
            ),
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


# --- Fields read from the form a page shows ------------------------------------------------


def derive_fields(form: forms.BaseForm, *, refused=None, no_future=(), kinds=None) -> dict:
    """Each field of the form as the bad input sees it, from its type and its limits.

    refused: per field, existing values the domain must refuse here.
    no_future: date fields that may not lie ahead (an update, a review).
    kinds: per field, a Field that replaces what is read (a sign-in's secrets).
    """
    refused, kinds = refused or {}, kinds or {}
    derived = {}
    for name, form_field in form.fields.items():
        if name in kinds:
            derived[name] = kinds[name]
            continue
        derived[name] = _field_spec(
            name, form_field, refused=refused.get(name), future_ok=name not in no_future
        )
    unknown = (set(refused) | set(no_future) | set(kinds)) - set(derived)
    assert not unknown, f"The case names fields the form does not show: {sorted(unknown)}"
    return derived


def _field_spec(name: str, field: forms.Field, *, refused, future_ok: bool) -> Field:
    required = field.required
    if isinstance(field, forms.BooleanField):
        return Field("flag", required=required)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return Field("date", required=required, future_ok=future_ok)
    if isinstance(field, forms.TimeField):
        return Field("text", required=required, refused=refused)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return Field("multi", required=required, refused=refused)
    if isinstance(field, forms.ModelChoiceField):
        return Field("fk", required=required, refused=refused)
    if isinstance(field, forms.ChoiceField):
        values = tuple(str(value) for value, _ in field.choices if str(value) != "")
        # A choice with an empty option that may be left empty ("not recorded") is optional.
        optional = not required and len(values) < len(field.choices)
        return Field("choice", required=not optional, choices=values, refused=refused)
    if isinstance(field, forms.DecimalField | forms.FloatField):
        # Fractions are numbers here: only what is not a number, or out of bounds, is wrong.
        return Field(
            "decimal", required=required, bounds=(field.min_value, field.max_value), refused=refused
        )
    if isinstance(field, forms.IntegerField):
        return Field(
            "number", required=required, bounds=(field.min_value, field.max_value), refused=refused
        )
    if isinstance(field, forms.EmailField):
        return Field("email", required=required, max_length=field.max_length)
    if isinstance(field, UsernameField) or name == "username":
        return Field("username", required=required, refused=refused, max_length=field.max_length)
    if isinstance(field.widget, forms.PasswordInput):
        return Field("secret", required=True)
    if isinstance(field, forms.CharField):
        kind = "textarea" if isinstance(field.widget, forms.Textarea) else "text"
        return Field(kind, required=required, max_length=field.max_length, refused=refused)
    raise AssertionError(f"No bad input is known for the field {name} ({type(field).__name__})")


# --- The cases ---------------------------------------------------------------------------------


@dataclass
class FormCase:
    """A form page and a payload it accepts; its fields are read from the page's form.

    A case is named by its URL name, with "#variant" when one page shows different forms
    to different people ("teams:team-edit#as-sts").
    """

    role: str | None
    url: Callable[[World], str]
    valid: Callable[[World], dict]
    # Per field, existing values the domain must refuse (see derive_fields).
    refused: dict[str, Callable[[World], list]] = field(default_factory=dict)
    no_future: tuple[str, ...] = ()
    kinds: dict[str, Field] = field(default_factory=dict)
    # The records the form edits (the person sending it is always watched).
    watch: Callable[[World], list] = lambda w: []
    # The sign-in form records failures (that is its job); other forms write nothing.
    skip_apps: frozenset[str] = field(default_factory=frozenset)
    # The context name the page gives its form.
    form_name: str = "form"
    # For a form sent signed out: does success sign the person in (or only redirect)?
    signs_in: bool = True

    def watched(self, world: World) -> list:
        acting = [world.user(self.role)] if self.role else [world.user("sts")]
        return acting + self.watch(world)


@dataclass
class FilterCase:
    role: str
    url: str
    # Each parameter the page reads, with values it knows (so the others get exercised too).
    params: dict[str, list[str]]


def iso(day) -> str:
    return day.isoformat()


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


def sign_in_for(client: Client, case: FormCase, world: World) -> None:
    if case.role is None:
        client.logout()
    elif client.session.get("_auth_user_id") != str(world.user(case.role).pk):
        # Once per test, or again after an example whose session was rolled back.
        client.force_login(world.user(case.role))


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def page_form(client: Client, case: FormCase, world: World) -> forms.BaseForm:
    """The form the page shows the case's person."""
    sign_in_for(client, case, world)
    response = client.get(case.url(world))
    assert response.status_code == 200, f"{case.url(world)} answered {response.status_code}"
    return response.context[case.form_name]


def post_and_judge(client, world, case: FormCase, body: bytes | str, *, must_refuse, what):
    """One example in its own savepoint, so the next one starts from the same world."""
    savepoint = transaction.savepoint()
    try:
        sign_in_for(client, case, world)
        url = case.url(world)
        watched = case.watched(world)
        before = database_state(watched, skip_apps=case.skip_apps)
        response = client.post(url, data=body, content_type=URLENCODED)
        after = database_state(watched, skip_apps=case.skip_apps)
        body_fields = bool(QueryDict(body.encode() if isinstance(body, str) else body))
        judge(response, Sent(case, world, client, before, must_refuse, what, body_fields), after)
    finally:
        transaction.savepoint_rollback(savepoint)
        # What a request cached from the rolled-back rows is gone with them.
        cache.clear()


def judge(response, sent: Sent, after: dict) -> None:
    status = response.status_code
    assert status < 500, f"{sent.what}: answered {status}"
    accepted = status in (301, 302, 303)
    if sent.case.role is None and sent.case.signs_in:
        accepted = accepted and signed_in(sent.client)
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
        assert not signed_in(sent.client), f"{sent.what}: signed in"
    assert_nothing_written(sent.before, after, sent.what)


def encode(payload: dict) -> str:
    return urlencode(payload, doseq=True)
