"""The database going away while people use the portal (issue 13): the requests it catches
get the portal's 503 page, the next ones succeed without restarting the web processes, and
nothing is half-written. `make faults` runs the same drill with a real cluster restart."""

from unittest import mock

from django.db import OperationalError
from django.test import Client, RequestFactory

from smt_portal import views as portal_views

UNAVAILABLE_HEADING = "The portal is briefly unavailable"


def test_the_503_page_needs_no_database():
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = portal_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(portal_views.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert UNAVAILABLE_HEADING in response.content.decode()


def test_a_database_error_under_another_error_is_still_the_503_page():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise RuntimeError("the page could not be built") from error
    except RuntimeError:
        response = portal_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 503


def test_any_other_crash_is_still_the_500_page():
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = portal_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500


def test_a_page_that_loses_the_database_answers_503(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("smt"))
    with mock.patch(
        "teams.selectors.branch_roots", side_effect=OperationalError("terminating connection")
    ):
        response = client.get("/teams/")
    assert response.status_code == 503
    assert UNAVAILABLE_HEADING in response.content.decode()
    assert "terminating connection" not in response.content.decode()
