"""Dates and text within sense: no year 1 or 9999, and long texts with limits a person
would accept, said on the form."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from teams import services
from teams.models import (
    DevelopmentReview,
    Membership,
    Role,
    RoleAssignment,
    TeamUpdate,
    date_window,
    today,
)

pytestmark = pytest.mark.django_db

FAR_FUTURE = date(9999, 12, 31)
YEAR_ONE = date(1, 1, 1)


def test_the_window_is_one_named_setting():
    earliest, latest = date_window(date(2026, 11, 24))
    assert (earliest, latest) == (date(1996, 1, 1), date(2031, 12, 31))
    with override_settings(PORTAL_DATE_WINDOW_YEARS=(5, 1)):
        assert date_window(date(2026, 11, 24)) == (date(2021, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize("day", [YEAR_ONE, FAR_FUTURE, date(1900, 1, 1)])
def test_a_role_outside_the_window_is_refused(day, world):
    with pytest.raises(ValidationError, match="Give a date between"):
        services.role_assign(
            person=world.user("building"), role=Role.STS, by=world.user("admin"), started_on=day
        )
    assert not RoleAssignment.objects.filter(person=world.user("building")).exists()


@pytest.mark.parametrize("day", [YEAR_ONE, FAR_FUTURE])
def test_a_membership_outside_the_window_is_refused(day, world):
    with pytest.raises(ValidationError, match="Give a date between"):
        services.membership_add(
            team=world.district, person=world.user("smt"), role="member", started_on=day
        )
    assert not Membership.objects.filter(team=world.district, person=world.user("smt")).exists()


def test_an_update_and_a_review_from_year_one_are_refused(world):
    with pytest.raises(ValidationError, match="Give a date between"):
        services.team_update_save(
            update=TeamUpdate(
                team=world.building,
                author=world.user("building"),
                occurred_on=YEAR_ONE,
                summary="Long ago.",
            )
        )
    with pytest.raises(ValidationError, match="Give a date between"):
        services.development_record(
            review=DevelopmentReview(
                team=world.district, reviewed_on=YEAR_ONE, recorded_by=world.user("sts")
            )
        )


def test_a_zone_entry_in_year_9999_is_refused_on_the_form(world, client):
    client.force_login(world.user("sts"))
    response = client.post(
        f"/teams/{world.district.pk}/edit/",
        {
            "name": world.district.name,
            "cadence": 30,
            "specialists": [world.user("sts").pk],
            "zone_entered_on": "9999-01-01",
        },
    )
    assert response.status_code == 200
    assert "Give a date between" in response.content.decode()


def test_a_role_dated_in_the_future_can_be_withdrawn(world, client):
    later = services.role_assign(
        person=world.user("building"),
        role=Role.STS,
        by=world.user("admin"),
        started_on=today() + timedelta(days=400),
    )
    client.force_login(world.user("admin"))
    page = client.get(f"/people/{world.user('building').pk}/").content.decode()
    assert "Roles to come" in page
    response = client.post(f"/people/roles/{later.pk}/end/", follow=True)
    assert "will not hold (it had not begun)" in response.content.decode()
    assert not RoleAssignment.objects.filter(pk=later.pk).exists()


def test_a_role_dated_in_the_future_can_be_corrected(world, client):
    later = services.role_assign(
        person=world.user("building"),
        role=Role.STS,
        by=world.user("admin"),
        started_on=today() + timedelta(days=400),
    )
    client.force_login(world.user("admin"))
    response = client.post(
        f"/people/roles/{later.pk}/correct/",
        {"started_on": today().isoformat(), "ended_on": "", "note": "Typed the wrong year."},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.current().filter(pk=later.pk).exists()


def test_long_texts_have_limits_the_form_states(world, client):
    client.force_login(world.user("building"))
    form = client.get(f"/teams/{world.building.pk}/updates/new/").content.decode()
    assert "Up to 2,000 characters." in form
    assert 'maxlength="2000"' in form
    response = client.post(
        f"/teams/{world.building.pk}/updates/new/",
        {"occurred_on": today().isoformat(), "summary": "x" * 2001},
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters (it has 2001)." in (
        response.content.decode()
    )
    assert not TeamUpdate.objects.filter(summary="x" * 2001).exists()


def test_the_model_refuses_an_overlong_text_whatever_the_path(world):
    update = TeamUpdate(team=world.building, author=world.user("building"), summary="y" * 2001)
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        services.team_update_save(update=update)
