"""The meetings' lists run the same number of queries on a small and a ten-times larger state."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from meetings.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from teams.models import today

from .meetings_world import at, meetings_of
from .test_query_counts import MAX_QUERIES, grow, queries_for

pytestmark = pytest.mark.django_db

PAGES = [
    ("district", lambda m: reverse("meetings:index")),
    ("sts", lambda m: reverse("meetings:index")),
    ("sponsor", lambda m: reverse("meetings:actions")),
    ("district", lambda m: reverse("meetings:actions")),
    ("district", lambda m: reverse("meetings:actions") + "?closed=on"),
    ("smt", lambda m: reverse("meetings:decisions")),
    ("district", lambda m: reverse("meetings:decisions") + "?q=coaching"),
    ("district", lambda m: reverse("meetings:team", args=[m.district_series.team_id])),
    ("csso", lambda m: reverse("meetings:meeting", args=[m.smt_next.pk])),
    ("district", lambda m: reverse("meetings:meeting", args=[m.district_meeting.pk])),
    ("csso", lambda m: reverse("meetings:decision", args=[m.decision.pk])),
    ("csso", lambda m: "/"),
]


def grow_meetings(world, m, size: int) -> None:
    """More meetings, agenda items, attendance, decisions and action items everywhere."""
    users = world.users
    for n in range(size):
        for series, team, lead in (
            (m.smt_series, world.smt, users["csso"]),
            (m.district_series, world.district, users["district"]),
        ):
            meeting = Meeting.objects.create(
                series=series, team=team, starts_at=at(-40 - n), facilitator=lead, status="held"
            )
            AgendaItem.objects.create(meeting=meeting, title=f"Item {n}", minutes="Talked.")
            Attendance.objects.create(meeting=meeting, person=lead, presence="present")
            Decision.objects.create(
                team=team,
                meeting=meeting,
                text=f"Coaching decision {n}",
                decided_on=meeting.held_on,
                recorded_by=lead,
            )
            for owner in (users["sponsor"], users["district"]):
                ActionItem.objects.create(
                    team=team,
                    what=f"Action {n}",
                    owner=owner,
                    due_on=today() - timedelta(days=n % 5),
                    meeting=meeting,
                    created_by=lead,
                    origin_type=None,
                )
        AgendaItem.objects.create(meeting=m.smt_next, title=f"Next item {n}")
        AgendaItem.objects.create(meeting=m.district_meeting, title=f"District item {n}")


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_meetings_lists_use_a_fixed_number_of_queries(role, url, world, client):
    m = meetings_of(world)
    url = url(m)
    grow(world, 2)
    grow_meetings(world, m, 3)
    # The content types the generic links name are cached per process: measure the first
    # visit after a start each time, the most a page costs.
    ContentType.objects.clear_cache()
    small = queries_for(client, world.user(role), url)
    grow(world, 10)
    grow_meetings(world, m, 30)
    ContentType.objects.clear_cache()
    large = queries_for(client, world.user(role), url)
    assert small == large, f"{url} as {role}: {small} queries, then {large} with more data"
    assert large <= MAX_QUERIES, f"{url} as {role}: {large} queries"
