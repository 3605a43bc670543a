"""Admins define outcome measures with their student groups, and the periods: the groups of
a partition add up to all students, which is how suppression knows what to hide beside a
small group; changing them decides the measure's tables again."""

import pytest
from django.urls import reverse

from datasystem.models import Measure, OutcomeTable, Period
from datasystem.suppression import COMPLEMENTARY

from .outcome_world import outcome_world

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Chronic absenteeism",
    "key": "absenteeism",
    "unit": "percent",
    "good_direction": "down",
    "lowest": "",
    "highest": "",
    "description": "Missing 10% of school days or more.",
    "groups": "sex/female: Female\nsex/male: Male\nswd: Students with disabilities",
}


@pytest.fixture
def admin(world, client):
    client.force_login(world.user("admin"))
    return client


def test_an_admin_defines_a_measure_with_its_groups(admin):
    response = admin.post(reverse("datasystem:measure-new"), NEW)
    assert response.status_code == 302
    measure = Measure.objects.get(key="absenteeism")
    assert (measure.lowest, measure.highest) == (0, 100)
    assert [(g.key, g.partition, g.is_total) for g in measure.groups.order_by("position")] == [
        ("all", "", True),
        ("female", "sex", False),
        ("male", "sex", False),
        ("swd", "", False),
    ]
    assert admin.get(reverse("datasystem:measures")).content.decode().count("Chronic absenteeism")


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        ("sex/female: Female", "sex has one"),
        ("female Female", "write it as key: label"),
        ("all: Everyone", "All students is always reported"),
        ("el: English learners\nel: Learners of English", "Each group needs a key of its own"),
        ("\n".join(f"g{n}: Group {n}" for n in range(12)), "At most 11 groups"),
    ],
)
def test_groups_that_cannot_add_up_are_refused(admin, groups, problem):
    response = admin.post(reverse("datasystem:measure-new"), NEW | {"groups": groups})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not Measure.objects.filter(key="absenteeism").exists()


def test_a_group_with_values_cannot_be_removed(admin, world):
    outcomes = outcome_world(world)
    url = reverse("datasystem:measure-edit", args=[outcomes.measure.pk])
    response = admin.post(
        url,
        NEW | {"name": "Reading proficiency", "key": "reading", "groups": "el: English learners"},
    )
    assert response.status_code == 200
    assert "Female, Male already have values" in response.content.decode()
    assert outcomes.measure.groups.count() == 4


def test_changing_a_partition_decides_the_tables_again(
    admin, world, django_capture_on_commit_callbacks
):
    outcomes = outcome_world(world)
    url = reverse("datasystem:measure-edit", args=[outcomes.measure.pk])
    assert outcomes.value(world.building, "male").hidden == COMPLEMENTARY
    # Female and male as groups on their own: no longer a line that adds up.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url,
            {
                **NEW,
                "name": "Reading proficiency",
                "key": "reading",
                "good_direction": "up",
                "groups": "female: Female\nmale: Male\nel: English learners",
            },
        )
    assert response.status_code == 302
    assert not OutcomeTable.objects.filter(decided_at__isnull=True).exists()
    # Lincoln's boys were hidden beside its girls; Maple's girls still are, beside the district.
    assert outcomes.value(world.building, "male").hidden == ""


def test_an_admin_adds_a_period(admin):
    response = admin.post(
        reverse("datasystem:periods"),
        {"key": "2026-27", "label": "2026–27", "starts_on": "2026-08-01"},
    )
    assert response.status_code == 302
    assert Period.objects.get(key="2026-27").label == "2026–27"
