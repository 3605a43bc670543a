"""What waits on the dashboards: the open barriers held in scope, counted by level with the
longest waiting first, kept between visits and counted again as soon as a barrier moves."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from meetings.services import cycle as barriers

from .cycle_world import cycle_of

pytestmark = pytest.mark.django_db


def waiting_on(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.context["waiting"]


def test_a_teams_dashboard_waits_on_what_its_teams_hold_and_follows_a_move(world, client):
    cycle = cycle_of(world)
    cache.clear()
    district = reverse("datasystem:team-dashboard", args=[world.district.pk])
    state = reverse("datasystem:index")

    before = waiting_on(client, world.user("district"), district)
    # Held by the district and its building: the one open with it, an answer on its way
    # down and one back with the building that raised it.
    assert before.by_level == [("District teams", 2), ("Building teams", 1)]
    assert cycle.open_at_district in before.longest
    state_before = dict(waiting_on(client, world.user("smt"), state).by_level)

    barriers.barrier_escalate(
        barrier=cycle.open_at_district, by=world.user("district"), note="We tried locally."
    )

    # Kept under the barriers' newest change: the move shows at once, however cached.
    after = waiting_on(client, world.user("district"), district)
    assert after.by_level == [("District teams", 1), ("Building teams", 1)]
    assert cycle.open_at_district not in after.longest
    state_after = dict(waiting_on(client, world.user("smt"), state).by_level)
    assert state_after["Regional teams"] == state_before["Regional teams"] + 1
    assert state_after["District teams"] == state_before["District teams"] - 1


def test_the_state_waits_longest_first(world, client):
    cycle = cycle_of(world)
    longest = waiting_on(client, world.user("smt"), reverse("datasystem:index")).longest
    assert [b.moved_at for b in longest] == sorted(b.moved_at for b in longest)
    assert {b.pk for b in longest} >= {cycle.at_smt.pk, cycle.at_region.pk}
