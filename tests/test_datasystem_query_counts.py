"""The data system's pages run the same number of queries on a small and a ten-times larger
state, and never more than 20: results, summaries and lists are counted and summed in the
database, never row by row."""

from datetime import timedelta

import pytest

from datasystem.models import OutcomeTable, OutcomeValue
from datasystem.outcome_tables import decide
from teams.models import Level, TeamRole, today

from . import factories
from .data_world import data_world
from .outcome_world import outcome_world
from .test_query_counts import MAX_QUERIES, queries_for

pytestmark = pytest.mark.django_db

PAGES = [
    ("district", "/"),
    ("sts", "/"),
    ("smt", "/data/"),
    ("district", "/data/"),
    ("district", "/data/teams/{district}/"),
    ("district", "/data/assessments/{completed}/"),
    ("district", "/data/assessments/{in_progress}/"),
    ("district", "/data/assessments/{in_progress}/live/"),
    ("sts", "/data/assessments/{in_progress}/live/state/"),
    ("district", "/data/assessments/{in_progress}/scores/"),
    ("smt", "/data/instruments/"),
    ("smt", "/data/instruments/{instrument}/"),
    ("smt", "/data/implementation/"),
    ("sts", "/data/implementation/"),
    ("district", "/data/implementation/"),
    ("smt", "/data/training/"),
    ("district", "/data/coaching/"),
    ("district", "/data/teams/{district}/implementation/"),
    ("sts", "/data/teams/{district}/training/new/"),
    ("admin", "/settings/history/?kind=scores"),
    # The dashboards and outcomes.
    ("smt", "/data/detail/"),
    ("smt", "/data/detail/?level=building&page=2"),
    ("district", "/data/teams/{district}/dashboard/"),
    ("district", "/data/teams/{district}/dashboard/detail/"),
    ("building", "/data/teams/{building}/dashboard/"),
    ("smt", "/data/charts/outcome-reading.csv"),
    ("smt", "/data/charts/capacity-heatmap.csv"),
    ("district", "/data/teams/{district}/charts/outcome-units.csv"),
    ("smt", "/data/outcomes/"),
    ("admin", "/data/outcomes/"),
    ("admin", "/data/outcomes/import/"),
    ("admin", "/data/outcomes/periods/"),
    ("admin", "/data/outcomes/imports/{job}/"),
]

ALL_TWO = {"lead-1": 2, "lead-2": 2, "data-1": 2, "data-2": 2}


def grow(world, data, size: int) -> None:
    """More of everything the pages list or sum: earlier assessments of the team, other
    teams' assessments, members, training and coaching."""
    sts = world.user("sts")
    district = world.user("district")
    for n in range(size):
        factories.administration(
            team=world.district,
            instrument=data.instrument,
            facilitator=district,
            participants=[district, sts],
            held_on=today() - timedelta(days=200 + 30 * (n + 1) + size),
            scores={"lead-1": n % 3, "lead-2": 1, "data-1": 2, "data-2": "na"},
        )
        building = factories.TeamFactory(
            level=Level.BUILDING, parent=world.district, specialists=[sts]
        )
        member = factories.MembershipFactory(team=building, role=TeamRole.LEAD).person
        factories.MembershipFactory(team=world.district, role=TeamRole.MEMBER)
        factories.administration(
            team=building,
            instrument=data.instrument,
            facilitator=member,
            held_on=today() - timedelta(days=n + 1),
            scores=ALL_TWO,
        )
        factories.training(
            team=building, recorded_by=sts, attendees=[member], innovation=f"innovation {n % 4}"
        )
        factories.training(team=world.district, recorded_by=sts, attendees=[district, member])
        factories.coaching(team=world.district, coach=sts, coachee=member)
        factories.coaching(team=building, coach=sts, innovation=f"innovation {n % 4}")
        grow_outcomes(world, building, n)
    for table in OutcomeTable.objects.all():
        decide(table)


def grow_outcomes(world, building, n: int) -> None:
    """The new building's outcome values, like Lincoln's, some groups small."""
    outcomes = outcome_world(world)
    building.code = f"LK-GROWN-{building.pk}"
    building.zone_entered_on = world.building.zone_entered_on if n % 2 else None
    building.save()
    OutcomeValue.objects.bulk_create(
        OutcomeValue(
            measure=outcomes.measure,
            period=period,
            group=group,
            team=building,
            value=50 + n % 7,
            students={"all": 60, "female": 5 + n % 9, "male": 55 - n % 9, "el": 12}[group.key],
        )
        for period in outcomes.periods.values()
        for group in outcomes.measure.groups.all()
    )


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_data_pages_use_a_fixed_number_of_queries(role, url, world, client):
    data = data_world(world)
    outcome_world(world)
    url = url.format(
        district=world.district.pk,
        building=world.building.pk,
        completed=data.completed.pk,
        in_progress=data.in_progress.pk,
        instrument=data.instrument.pk,
        job=factories.import_job(by=world.user("admin")).pk,
    )
    grow(world, data, 2)
    small = queries_for(client, world.user(role), url)
    grow(world, data, 20)
    large = queries_for(client, world.user(role), url)
    assert small == large, f"{url} as {role}: {small} queries, then {large} with more data"
    assert large <= MAX_QUERIES, f"{url} as {role}: {large} queries"
