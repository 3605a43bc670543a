"""Generated bad input against every form and filter of the portal: never a 500, never a
write.

Each form starts from a payload that works (checked in its own test), then one field at a
time is replaced by a value built to be refused (empty, too long, NUL, a date that does
not exist or lies outside the portal's window, an id that points nowhere or somewhere not
allowed, a choice not offered, a list of such values), or whole payloads are replaced by
random ones. The portal must answer with the form and its errors, or a 4xx, and leave
every table as it was.

Values a person could legitimately type (accents, emoji, quotes, markup, far dates) form
a smaller second family: the portal may accept or refuse them, but never crash, and a
refusal still writes nothing.

The fields come from the form each page shows; the cases from `tests/inputs/<app>.py`;
and a page that shows a form or a filter without a case fails the suite.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from axes.models import AccessAttempt
from django import forms
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from teams.models import Team, TeamUpdate, User

from . import inputs
from .access_matrix import ANON, MATRIX, OK, VISITORS
from .bad_input import (
    BAD_IDS,
    BLANK,
    EXAMPLES,
    FILTER_EXAMPLES,
    URLENCODED,
    WITH_NUL,
    FilterCase,
    FormCase,
    assert_nothing_written,
    database_state,
    derive_fields,
    encode,
    page_form,
    post_and_judge,
    refused_values,
    sign_in_for,
    signed_in,
    too_long,
    unusual_values,
)
from .factories import DivisionFactory, UserFactory
from .world import World


def _gather(attribute: str) -> dict:
    gathered: dict = {}
    for module in pkgutil.iter_modules(inputs.__path__):
        cases = getattr(importlib.import_module(f"{inputs.__name__}.{module.name}"), attribute)
        clash = set(gathered) & set(cases)
        assert not clash, f"{attribute} named twice: {sorted(clash)}"
        gathered.update(cases)
    return gathered


CASES: dict[str, FormCase] = _gather("CASES")
FILTERS: dict[str, FilterCase] = _gather("FILTERS")


@pytest.fixture
def bad_world(world) -> World:
    """The demo world plus what forms must refuse: a closed division, a former employee and
    a state code already taken."""
    DivisionFactory(name="Retired Programs", is_active=False)
    UserFactory(username="former-staff", first_name="Fay", last_name="Gone", is_active=False)
    world.far_building.code = "LK-TAKEN"
    world.far_building.save()
    return world


@pytest.fixture
def fields_of(bad_world, client):
    """The fields of the form a case's page shows, read once per test."""

    def read(case: FormCase) -> dict:
        form = page_form(client, case, bad_world)
        return derive_fields(form, refused=case.refused, no_future=case.no_future, kinds=case.kinds)

    return read


# --- Every form and filter has a case ---------------------------------------------------------


def _pages_by_visitor(world: World):
    for name, row in MATRIX.items():
        if not row.crawl:
            continue
        for visitor in VISITORS:
            if row.get[visitor] == OK:
                yield name, visitor, reverse(name, args=row.args(world))
                break


def test_every_page_with_a_form_or_filter_has_a_bad_input_case(bad_world, client):
    missing = []
    for name, visitor, url in _pages_by_visitor(bad_world):
        client.logout()
        if visitor != ANON:
            client.force_login(bad_world.user(visitor))
        context = client.get(url).context
        # A ContextList iterates over its contexts; its keys() are the names in them all.
        shown = {key: context[key] for key in context.keys()} if context else {}  # noqa: SIM118
        forms_shown = [
            key
            for key, value in shown.items()
            if isinstance(value, forms.BaseForm) and value.fields and key != "filters"
        ]
        if forms_shown and not any(case.split("#")[0] == name for case in CASES):
            missing.append(f"{name} shows a form ({', '.join(forms_shown)}) with no case")
        if isinstance(shown.get("filters"), forms.BaseForm) and name not in FILTERS:
            missing.append(f"{name} shows filters with no FilterCase")
    assert not missing, "Add cases in tests/inputs/<app>.py:\n" + "\n".join(missing)


# --- The forms ------------------------------------------------------------------------------------

CASE_NAMES = sorted(CASES)
RANDOM_VALUES = st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3) | BAD_IDS


@pytest.mark.parametrize("name", CASE_NAMES)
def test_the_valid_payload_is_accepted(name, bad_world, client):
    """The starting point works, so every refusal below is the corruption's doing."""
    case = CASES[name]
    sign_in_for(client, case, bad_world)
    before = database_state(case.watched(bad_world), skip_apps=case.skip_apps)
    response = client.post(
        case.url(bad_world), data=encode(case.valid(bad_world)), content_type=URLENCODED
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    if case.role is None:
        assert signed_in(client) if case.signs_in else len(mail.outbox) == 1
    else:
        assert database_state(case.watched(bad_world), skip_apps=case.skip_apps) != before


def one_bad_field(case: FormCase, fields: dict, world: World, data) -> tuple[str, bool, str]:
    """The valid payload with one field made wrong: always refused."""
    payload = case.valid(world)
    fields = {n: spec for n, spec in fields.items() if spec.kind != "flag"}
    target = data.draw(st.sampled_from(sorted(fields)), label="field")
    value = data.draw(refused_values(fields[target], world, payload.get(target)), label="value")
    return encode(payload | {target: value}), True, f"{target}={value!r}"


def one_unusual_field(case: FormCase, fields: dict, world: World, data) -> tuple[str, bool, str]:
    """The valid payload with one field given something odd a person might type."""
    payload = case.valid(world)
    candidates = {
        n: strategy for n, spec in fields.items() if (strategy := unusual_values(spec)) is not None
    }
    target = data.draw(st.sampled_from(sorted(candidates)), label="field")
    value = data.draw(candidates[target], label="value")
    return encode(payload | {target: value}), False, f"{target}={value!r}"


def random_body(case: FormCase, fields: dict, world: World, data) -> tuple[str | bytes, bool, str]:
    """Fields left out, a random dict, or random bytes: refused when a required field is
    missing, which it nearly always is."""
    shape = data.draw(st.sampled_from(["missing", "random", "bytes"]), label="shape")
    if shape == "missing":
        dropped = data.draw(st.sets(st.sampled_from(sorted(fields)), min_size=1))
        body = encode({k: v for k, v in case.valid(world).items() if k not in dropped})
    elif shape == "random":
        keys = st.sampled_from(sorted(fields)) | st.text(max_size=20)
        body = encode(data.draw(st.dictionaries(keys, RANDOM_VALUES, max_size=8), label="dict"))
    else:
        body = data.draw(st.binary(max_size=300), label="bytes")
    received = QueryDict(body if isinstance(body, bytes) else body.encode())
    required = [name for name, spec in fields.items() if spec.required]
    missing = any(received.get(name, "") == "" for name in required)
    return body, missing, f"{shape} body {body!r}"


def families(fields: dict) -> list:
    """Mostly values built to be refused; a tick box takes any value, so it has none."""
    chosen = []
    if any(spec.kind != "flag" for spec in fields.values()):
        chosen += [one_bad_field] * 3
    if any(unusual_values(spec) is not None for spec in fields.values()):
        chosen.append(one_unusual_field)
    return [*chosen, random_body]


@pytest.mark.parametrize("name", CASE_NAMES)
@EXAMPLES
@given(data=st.data())
def test_bad_input_is_refused_without_writing(name, bad_world, client, fields_of, data):
    case = CASES[name]
    fields = fields_of(case)
    family = data.draw(st.sampled_from(families(fields)), label="family")
    body, must_refuse, what = family(case, fields, bad_world, data)
    post_and_judge(client, bad_world, case, body, must_refuse=must_refuse, what=f"{name}: {what}")


# --- Filters and searches (GET) ----------------------------------------------------------------

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
    url = case.url.format(district=bad_world.district.pk)
    query = data.draw(query_strings(case), label="query")
    htmx = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
    if client.session.get("_auth_user_id") != str(bad_world.user(case.role).pk):
        client.force_login(bad_world.user(case.role))
    savepoint = transaction.savepoint()
    try:
        before = database_state()
        response = client.get(url, QUERY_STRING=query, **htmx)
        # 404 only for an audit kind that does not exist.
        assert response.status_code in (200, 404), f"{name}?{query!r}: {response.status_code}"
        assert_nothing_written(before, database_state(), f"{name}?{query!r}")
    finally:
        transaction.savepoint_rollback(savepoint)
        # What a request cached from the rolled-back rows is gone with them.
        cache.clear()


# --- Unusual input a person may really type is taken as typed ------------------------------------


def test_names_with_accents_and_markup_are_kept_as_typed(bad_world, client):
    client.force_login(bad_world.user("admin"))
    payload = CASES["settings:person-new"].valid(bad_world) | {
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
    payload = CASES["teams:team-update-new"].valid(bad_world) | {"summary": summary}
    response = client.post(
        reverse("teams:team-update-new", args=[bad_world.building.pk]), data=payload
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
    payload = CASES["teams:team-create"].valid(bad_world) | {"level": ""}
    response = client.post(reverse("teams:team-create"), data=payload)
    assert response.status_code == 200
    assert response.context["form"].errors["level"] == ["This field is required."]
    assert not Team.objects.filter(name=payload["name"]).exists()


def test_a_specialist_id_beyond_any_integer_is_refused(bad_world, client):
    # Django's pk__in has no range guard; SQLite raised OverflowError.
    client.force_login(bad_world.user("admin"))
    payload = CASES["teams:team-edit"].valid(bad_world) | {"specialists": [str(2**63)]}
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
