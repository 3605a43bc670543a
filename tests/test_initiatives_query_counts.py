"""The initiatives module's pages run the same number of queries on a small state and on one
ten times larger, and never more than 20 (the approach of tests/test_query_counts.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Candidate, Overlap, Review, StageRecord
from teams.models import Level, today

from .factories import (
    AlignmentFactory,
    FundingFactory,
    GoalFactory,
    InitiativeFactory,
    TeamFactory,
    UserFactory,
    initiatives_world,
    rated,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20

PAGES = [
    ("csso", "/"),
    ("smt", "/"),
    ("smt", "/initiatives/"),
    ("smt", "/initiatives/?q=literacy&status=active&sort=review"),
    ("smt", "/initiatives/?review=overdue&goal={goal}"),
    ("building", "/initiatives/?division={division}"),
    ("smt", "/initiatives/{literacy}/"),
    ("smt", "/initiatives/{literacy}/summary/"),
    ("smt", "/initiatives/alignment/"),
    ("smt", "/initiatives/resources/"),
    ("smt", "/initiatives/reviews/"),
    ("smt", "/initiatives/{literacy}/review/"),
    ("smt", "/initiatives/vision/"),
    ("smt", "/initiatives/stages/"),
    ("smt", "/initiatives/stages/?zone=in&level=building"),
    ("smt", "/initiatives/stages/?region={region}"),
    ("sts", "/initiatives/stages/teams/{district}/"),
    ("smt", "/initiatives/selection/"),
    ("smt", "/initiatives/selection/{candidate}/"),
    ("building", "/initiatives/selection/{candidate}/"),
    ("smt", "/initiatives/selection/compare/"),
    ("smt", "/initiatives/protocols/"),
    ("smt", "/initiatives/zone/"),
]


def grow(world, size: int) -> None:
    """More of everything the pages list: initiatives, goals, funding, alignments,
    overlaps, reviews, units with stages and candidates with ratings."""
    w = initiatives_world(world)
    sts = world.user("sts")
    for n in range(size):
        goal = GoalFactory(
            number=10 + GoalFactory._meta.model.objects.count(), adopted_in=w.version
        )
        initiative = InitiativeFactory(
            division=world.divisions["academics"],
            is_innovation=n % 3 == 0,
            started_on=today() - timedelta(days=300 + 20 * n),
        )
        FundingFactory(initiative=initiative, fiscal_year=2027, amount=Decimal(1000 + n))
        FundingFactory(
            initiative=w.literacy,
            fiscal_year=2000 + n % 90,
            source="grant",
            source_detail=f"{size}",
        )
        AlignmentFactory(initiative=initiative, goal=goal)
        AlignmentFactory(initiative=initiative, goal=w.goals[0], strength="contributing")
        first, second = sorted((initiative, w.literacy), key=lambda i: i.pk)
        Overlap.objects.create(
            first=first, second=second, shares_staff=True, note="Same coaches.", recorded_by=sts
        )
        Review.objects.create(
            initiative=w.literacy,
            held_on=today() - timedelta(days=400 + n),
            decision="continue",
            rationale="On track.",
            next_review_on=today(),
            recorded_by=world.user("csso"),
        )
        team = TeamFactory(level=Level.BUILDING, parent=world.district, specialists=[sts])
        for innovation in (w.literacy, initiative if initiative.is_innovation else w.literacy):
            StageRecord.objects.get_or_create(
                innovation=innovation,
                team=team,
                is_current=True,
                defaults={
                    "stage": "installation",
                    "entered_on": today() - timedelta(days=n + 1),
                    "evidence": "Trained.",
                    "recorded_by": sts,
                },
            )
        StageRecord.objects.create(
            innovation=w.literacy,
            team=world.district,
            stage="exploration",
            entered_on=today() - timedelta(days=800 + n),
            evidence="Earlier.",
            recorded_by=sts,
            is_current=False,
        )
        candidate = Candidate.objects.create(
            name=f"Candidate {n} {size}",
            description="A practice.",
            division=world.divisions["special"],
            protocol=w.protocol,
            proposed_by=world.user("csso"),
        )
        candidate.raters.set([world.user("deputy"), world.user("csso")])
        rated(candidate, world.user("deputy"), [3, 4, 5])
        # The candidate's raters submit, with notes, one by one.
        rater = UserFactory()
        w.candidate.raters.add(rater)
        rated(w.candidate, rater, [2, 3, 4], note=f"Note {n}")


def queries_for(client, user, url) -> int:
    client.force_login(user)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_initiative_pages_use_a_fixed_number_of_queries(role, url, world, client):
    w = initiatives_world(world)
    url = url.format(
        literacy=w.literacy.pk,
        goal=w.goals[0].pk,
        division=world.divisions["academics"].pk,
        region=world.region.pk,
        district=world.district.pk,
        candidate=w.candidate.pk,
    )
    grow(world, 3)
    small = queries_for(client, world.user(role), url)
    grow(world, 30)
    large = queries_for(client, world.user(role), url)
    assert small == large, f"{url} as {role}: {small} queries, then {large} with more data"
    assert large <= MAX_QUERIES, f"{url} as {role}: {large} queries"
