"""The data system's home panel: live sessions to join, and low items without a plan."""

from datetime import timedelta

import pytest

from meetings.services import action_item_add
from teams.models import today

from .data_world import data_world
from .test_home import panels

pytestmark = pytest.mark.django_db


def test_a_participant_sees_the_live_session_and_the_low_items_without_a_plan(world, client):
    data = data_world(world)

    shown = panels(client, world.user("sts"))["assessments"]

    assert shown["live"] == [data.in_progress]
    assert [(r["administration_id"], r["low"]) for r in shown["without_plan"]] == [
        (data.completed.pk, 1)
    ]
    page = client.get("/").content.decode()
    assert "1 red without a plan" in page


def test_a_planned_low_item_is_no_longer_counted(world, client):
    data = data_world(world)
    score = data.completed.scores.get(item__key="lead-2")
    # Counted, and kept: the plan below must show at once all the same.
    assert panels(client, world.user("district"))["assessments"]["without_plan"] != []
    action_item_add(
        team=world.district,
        by=world.user("district"),
        what="Agree protected time.",
        owner=world.user("district"),
        due_on=today() + timedelta(days=30),
        origin=score,
    )

    assert panels(client, world.user("district"))["assessments"]["without_plan"] == []


def test_the_panel_is_for_people_on_teams(world, client):
    data_world(world)
    assert "assessments" not in panels(client, world.user("admin"))
    assert panels(client, world.user("building"))["assessments"] == {"live": [], "without_plan": []}
