"""Every URL of the portal, for every demo role and an anonymous visitor, GET and POST."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_matrix import ACCEPTED, ANON, LOGIN, MATRIX, VISITORS


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if inner == "admin:":
                # Django's admin guards itself (staff only); its index stands for it here.
                names.add("admin:index")
                continue
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"The URL pattern {entry.pattern} has no name, so no matrix row."
            names.add(namespace + entry.name)
    return names


def test_every_url_has_a_row_in_the_matrix():
    missing = sorted(url_names() - set(MATRIX))
    assert not missing, (
        "These URLs have no row in tests/access_matrix.py, so nobody has said who may see "
        f"them: {', '.join(missing)}"
    )


def test_the_matrix_has_no_stale_rows():
    stale = sorted(set(MATRIX) - url_names())
    assert not stale, f"Rows for URLs that no longer exist: {', '.join(stale)}"


def answer(response) -> object:
    if response.status_code == 302:
        if response.url.startswith(reverse(settings.LOGIN_URL)):
            return LOGIN
        return 302
    return response.status_code


def matches(expected, got) -> bool:
    if expected == ACCEPTED:
        return got in (200, 302)
    return expected == got


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_visitor_gets_the_expected_answer(name, world, client):
    row = MATRIX[name]
    url = reverse(name, args=row.args(world))
    wrong = []
    for visitor in VISITORS:
        for method in ("get", "post"):
            # Each request runs against the same world: undo whatever it wrote.
            savepoint = transaction.savepoint()
            client.logout()
            if visitor != ANON:
                client.force_login(world.user(visitor))
            response = getattr(client, method)(url)
            transaction.savepoint_rollback(savepoint)
            # What a request cached from the rolled-back rows is gone with them.
            cache.clear()
            expected = row.get[visitor] if method == "get" else row.post_expectation(visitor)
            got = answer(response)
            if not matches(expected, got):
                wrong.append(f"{method.upper()} as {visitor}: expected {expected}, got {got}")
    assert not wrong, f"{name} ({url}):\n  " + "\n  ".join(wrong)


def test_the_django_admin_lists_the_portals_records_for_superusers(world, client):
    client.force_login(world.user("admin"))
    for path in (
        "/admin/teams/team/",
        "/admin/teams/user/",
        f"/admin/teams/team/{world.district.pk}/history/",
    ):
        assert client.get(path).status_code == 200, path
