"""The cycle's queues and views run the same number of queries on a small and a ten-times
larger state."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from meetings.models import Barrier, SupportRequest, SystemicChange

from .cycle_world import barrier, cycle_of
from .test_query_counts import MAX_QUERIES, grow, queries_for

pytestmark = pytest.mark.django_db

PAGES = [
    ("district", lambda w, c: reverse("barriers:index")),
    ("building", lambda w, c: reverse("barriers:index")),
    ("sts", lambda w, c: reverse("barriers:index")),
    ("smt", lambda w, c: reverse("barriers:smt-queue")),
    ("sponsor", lambda w, c: reverse("barriers:follow-through")),
    ("sts", lambda w, c: reverse("barriers:follow-through")),
    ("smt", lambda w, c: reverse("barriers:changes")),
    ("csso", lambda w, c: reverse("barriers:support")),
    ("sponsor", lambda w, c: reverse("barriers:support")),
    ("sts", lambda w, c: reverse("barriers:support")),
    ("district", lambda w, c: reverse("barriers:team-protocols", args=[w.district.pk])),
    ("building", lambda w, c: reverse("barriers:chain", args=[w.building.pk])),
    ("sponsor", lambda w, c: reverse("barriers:barrier", args=[c.at_smt.pk])),
]


def grow_cycle(world, size: int) -> None:
    up = [world.building, world.district, world.region, world.state_team, world.smt]
    for n in range(size):
        barrier(world, f"Barrier {n}", up[: 2 + n % 4])
        barrier(world, f"Answered {n}", up[:3], stage="answered", answered_by=world.region,
                at=world.district)  # fmt: skip
        # Heard back in practice: the follow-through says whether the answer helped.
        heard = barrier(world, f"Heard back {n}", up[:4], stage="closed",
                        answered_by=world.state_team, at=world.building)  # fmt: skip
        Barrier.objects.filter(pk=heard.pk).update(heard_back_at=timezone.now(), helped=n % 2 == 0)
        SupportRequest.objects.create(
            specialist=world.user("sts"),
            sponsor=world.user("sponsor"),
            kind="resource",
            what=f"Request {n}",
            needed_by=timezone.localdate(),
            first_answered_at=timezone.now() + timedelta(hours=n),
        )
        SystemicChange.objects.create(
            kind="policy",
            title=f"Change {n}",
            description="x",
            division=world.divisions["finance"],
            effective_on=timezone.localdate(),
            recorded_by=world.user("csso"),
        )


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_the_cycles_lists_use_a_fixed_number_of_queries(role, url, world, client):
    c = cycle_of(world)
    url = url(world, c)
    grow(world, 2)
    grow_cycle(world, 3)
    ContentType.objects.clear_cache()
    small = queries_for(client, world.user(role), url)
    grow(world, 10)
    grow_cycle(world, 30)
    ContentType.objects.clear_cache()
    large = queries_for(client, world.user(role), url)
    assert small == large, f"{url} as {role}: {small} queries, then {large} with more data"
    assert large <= MAX_QUERIES, f"{url} as {role}: {large} queries"
