"""Action plans: a team turns an assessment item into an action item that lives with its
other action items in meetings, marked as coming from that item; the next administration
shows what became of it; a low item without one is flagged "red without a plan"."""

from datetime import timedelta

import pytest

from datasystem import selectors
from datasystem.actions import attach
from meetings.models import ActionItem
from meetings.services import action_item_done
from teams.models import today

from . import factories
from .data_world import data_world

pytestmark = pytest.mark.django_db


def plan(client, data, key="lead-2", owner=None):
    item = data.item(key, data.completed)
    return client.post(
        f"/data/assessments/{data.completed.pk}/items/{item.pk}/action/",
        {
            "what": "Agree protected time with the principals.",
            "owner": owner,
            "due_on": (today() + timedelta(days=30)).isoformat(),
        },
    )


def test_a_low_item_becomes_an_action_item_on_the_owners_list(world, client):
    data = data_world(world)
    found = selectors.results(data.completed, actions_for=attach)
    low = next(r for r in found.items if r.item.key == "lead-2")
    assert low.red_without_plan and found.red_without_plan == 1

    client.force_login(world.user("district"))
    response = plan(client, data, owner=world.user("sts").pk)

    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.team, action.owner, action.origin.item.key) == (
        world.district,
        world.user("sts"),
        "lead-2",
    )
    found = selectors.results(data.completed, actions_for=attach)
    low = next(r for r in found.items if r.item.key == "lead-2")
    assert low.actions == [action] and not low.red_without_plan and found.red_without_plan == 0

    client.force_login(world.user("sts"))
    listed = client.get("/meetings/actions/").content.decode()
    assert "Agree protected time with the principals." in listed
    assert "from assessment item" in listed
    shown = client.get(f"/meetings/actions/{action.pk}/").content.decode()
    assert "Assessment item" in shown and "Item 2 (Members have protected time.)" in shown


def test_the_next_administration_shows_what_became_of_the_plan(world, client):
    data = data_world(world)
    client.force_login(world.user("district"))
    plan(client, data, owner=world.user("district").pk)
    action_item_done(action=ActionItem.objects.get(), by=world.user("district"))
    later = factories.administration(
        team=world.district,
        instrument=data.instrument,
        facilitator=world.user("district"),
        held_on=today() - timedelta(days=1),
        scores={"lead-1": 2, "lead-2": 2, "data-1": 1, "data-2": 1},
    )

    found = selectors.results(later, actions_for=attach)

    row = next(r for r in found.items if r.item.key == "lead-2")
    assert [a.status for a in row.earlier_actions] == ["done"]
    page = client.get(f"/data/assessments/{later.pk}/").content.decode()
    assert "From last time: Agree protected time with the principals. (Done)" in page


def test_only_the_team_plans_from_its_items(world, client):
    data = data_world(world)
    client.force_login(world.user("smt"))
    assert plan(client, data, owner=world.user("district").pk).status_code == 403
    client.force_login(world.user("building"))
    assert plan(client, data, owner=world.user("building").pk).status_code == 404
    assert not ActionItem.objects.exists()


def test_an_owner_from_outside_the_team_is_refused(world, client):
    data = data_world(world)
    client.force_login(world.user("district"))
    response = plan(client, data, owner=world.user("csso").pk)
    assert response.status_code == 200 and "Please correct" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_a_completed_assessment_opens_on_the_items_to_act_on(world, client):
    data = data_world(world)
    client.force_login(world.user("district"))

    page = client.get(f"/data/assessments/{data.completed.pk}/")

    assert [r.item.key for r in page.context["rows"]] == ["lead-2"]
    assert "Show all 4 items" in page.content.decode()
    every = client.get(f"/data/assessments/{data.completed.pk}/", {"items": "all"})
    assert len(every.context["rows"]) == 4


def test_the_innovation_summary_counts_new_training_at_once(world, client):
    data_world(world)
    client.force_login(world.user("smt"))
    before = client.get("/data/implementation/").context["innovations"]
    assert [(r["innovation"], r["events"]) for r in before] == [("structured literacy", 1)]

    factories.training(
        team=world.district, recorded_by=world.user("sts"), attendees=[world.user("sts")]
    )

    after = client.get("/data/implementation/").context["innovations"]
    assert [(r["innovation"], r["events"]) for r in after] == [("structured literacy", 2)]


def test_the_results_page_shows_a_new_plan_at_once(world, client):
    data = data_world(world)
    client.force_login(world.user("district"))
    page = f"/data/assessments/{data.completed.pk}/"

    def low_item():
        found = client.get(page).context["results"]
        return next(r for r in found.items if r.item.key == "lead-2"), found

    low, found = low_item()
    assert low.actions == [] and found.red_without_plan == 1
    plan(client, data, owner=world.user("sts").pk)
    low, found = low_item()
    assert low.actions == [ActionItem.objects.get()] and found.red_without_plan == 0
