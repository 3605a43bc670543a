"""`make bench`'s own pieces in the portal."""

from django.test import Client, override_settings

from smt_portal.middleware import QUERY_COUNT_HEADER


def test_queries_are_counted_only_when_asked(db):
    assert QUERY_COUNT_HEADER not in Client().get("/healthz")
    with override_settings(PORTAL_COUNT_QUERIES=True):
        answer = Client().get("/healthz")
    assert int(answer[QUERY_COUNT_HEADER]) >= 1
