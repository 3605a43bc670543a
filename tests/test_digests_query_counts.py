"""The notification centre and the digest's pages run the same number of queries on a small
and a ten-times larger state."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digests.digest import month_of, previous_month
from digests.models import Digest, DigestDelivery, DigestRecipient, Notification
from teams.models import today

from .digests_world import digests_of
from .factories import RoleFactory, UserFactory
from .test_query_counts import MAX_QUERIES, grow, queries_for

pytestmark = pytest.mark.django_db


def _month(w):
    return previous_month(month_of(today()))


PAGES = [
    ("district", lambda w: reverse("digests:notifications")),
    ("sts", lambda w: reverse("digests:preferences")),
    ("csso", lambda w: reverse("digests:archive")),
    ("csso", lambda w: reverse("digests:digest", args=[_month(w).year, _month(w).month])),
    ("csso", lambda w: reverse("digests:recipients")),
    ("admin", lambda w: reverse("digests:settings")),
]


def grow_digests(world, size: int) -> None:
    """More notifications for everyone, more months in the archive, more recipients."""
    people = list(world.users.values())
    oldest = Digest.objects.order_by("month").first()
    month = oldest.month if oldest else month_of(today())
    template = digests_of(world).digest.content
    start = Notification.objects.count()
    for n in range(start, start + size):
        for person in people:
            for k in range(3):
                Notification.objects.create(
                    recipient=person,
                    kind="action_due",
                    occasion=f"grow:{n}:{k}",
                    title=f"Due soon: item {n}.{k}",
                    url="/meetings/actions/",
                    delivery="immediate" if k else "weekly",
                    created_at=timezone.now() - timedelta(hours=n * 3 + k),
                    read_at=None if k else timezone.now(),
                )
        month = previous_month(month)
        digest = Digest.objects.create(month=month, content=template)
        for person in (world.user("csso"), world.user("deputy")):
            DigestDelivery.objects.create(digest=digest, recipient=person, sent_at=timezone.now())
        added = UserFactory()
        RoleFactory(person=added, role="smt")
        DigestRecipient.objects.create(person=added, added_by=world.user("csso"))


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_the_digests_pages_use_a_fixed_number_of_queries(role, url, world, client):
    digests_of(world)
    url = url(world)
    grow(world, 2)
    grow_digests(world, 3)
    small = queries_for(client, world.user(role), url)
    grow(world, 10)
    grow_digests(world, 30)
    large = queries_for(client, world.user(role), url)
    assert small == large, f"{url} as {role}: {small} queries, then {large} with more data"
    assert large <= MAX_QUERIES, f"{url} as {role}: {large} queries"
