"""Every list page runs the same number of queries on a small and a ten-times larger state."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams.models import Level, Role, TeamRole

from .factories import (
    DevelopmentReviewFactory,
    DivisionFactory,
    MembershipFactory,
    RoleFactory,
    TeamFactory,
    TeamUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20

PAGES = [
    ("csso", "/"),
    ("sts", "/"),
    ("district", "/"),
    ("building", "/"),
    ("smt", "/teams/"),
    ("smt", "/teams/?level=building"),
    ("smt", "/teams/?zone=on"),
    ("district", "/teams/{district}/"),
    ("smt", "/teams/{region}/below/"),
    ("smt", "/teams/?region={region}"),
    ("smt", "/teams/updates/"),
    ("district", "/teams/updates/"),
    ("smt", "/teams/updates/?attention=on"),
    ("smt", "/people/"),
    ("smt", "/sponsors/"),
    ("smt", "/initiatives/"),
    ("smt", "/data/"),
    ("admin", "/settings/"),
    ("admin", "/settings/divisions/"),
    ("admin", "/settings/people/"),
    ("admin", "/settings/history/?kind=teams"),
    ("admin", "/settings/history/?kind=updates"),
    ("admin", "/settings/history/?kind=people"),
    ("admin", "/settings/lockouts/"),
]


def grow(world, size: int) -> None:
    """More of everything a page lists: teams, members, updates, reviews, people, roles."""
    sts = world.user("sts")
    for n in range(size):
        division = DivisionFactory()
        RoleFactory(person=UserFactory(division=division), role=Role.SMT_MEMBER)
        district = TeamFactory(
            level=Level.DISTRICT,
            parent=world.region,
            specialists=[sts],
            zone_entered_on=world.region.zone_entered_on,
        )
        for _ in range(2):
            building = TeamFactory(level=Level.BUILDING, parent=district, specialists=[sts])
            MembershipFactory(team=building, role=TeamRole.LEAD)
            TeamUpdateFactory(team=building, author=sts, for_smt_attention=n % 2 == 0)
            DevelopmentReviewFactory(team=building, recorded_by=sts)
        MembershipFactory(team=district)
        TeamUpdateFactory(team=world.district, author=world.user("district"))
        TeamUpdateFactory(team=world.building, author=world.user("building"))
        DevelopmentReviewFactory(team=world.district, recorded_by=sts)
        world.district.name = f"Cedar Falls District Team {n}"
        world.district.save()


def queries_for(client, user, url) -> int:
    """Queries of the page with nothing cached yet (the first visit of the day): the most
    it ever costs."""
    client.force_login(user)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_list_pages_use_a_fixed_number_of_queries(role, url, world, client):
    url = url.format(district=world.district.pk, region=world.region.pk)
    grow(world, 3)
    small = queries_for(client, world.user(role), url)
    grow(world, 30)
    large = queries_for(client, world.user(role), url)
    assert small == large, f"{url} as {role}: {small} queries, then {large} with more data"
    assert large <= MAX_QUERIES, f"{url} as {role}: {large} queries"


def test_the_cascade_stays_within_budget(world, client, django_assert_max_num_queries):
    grow(world, 10)
    client.force_login(world.user("smt"))
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/teams/")
