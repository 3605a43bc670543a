"""The teams whose work a person follows: their own and every team below them, found from
each team's level (kept until the cascade changes) rather than by looking for every id in
every ancestry column."""

import pytest

from teams.models import Membership, Team, TeamRole, User
from teams.rules import followed_team_ids
from teams.standing import standing_changed

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def followed(user) -> set[int]:
    return set(followed_team_ids(user).values_list("pk", flat=True))


def test_a_district_lead_follows_the_region_they_sit_on_and_everything_below(world):
    lead = world.user("district")

    assert followed(lead) == {
        world.region.pk,
        world.district.pk,
        world.building.pk,
        world.other_building.pk,
    }


def test_an_sts_follows_the_teams_they_support_from_the_state_team_down(world):
    everything_below_the_state_team = set(
        Team.objects.filter(is_management_team=False).values_list("pk", flat=True)
    )

    assert followed(world.user("sts")) == everything_below_the_state_team


def test_a_member_seated_on_the_smt_follows_every_team(world):
    seated = UserFactory(username="smt-seat")
    MembershipFactory(team=world.smt, person=seated, role=TeamRole.MEMBER)

    assert followed(seated) == set(Team.objects.values_list("pk", flat=True))


def test_a_new_seat_far_away_is_followed_at_once(world):
    lead = world.user("district")
    assert world.far_building.pk not in followed(lead)

    Membership.objects.create(team=world.far_district, person=lead, role=TeamRole.MEMBER)
    standing_changed(lead)

    assert {world.far_district.pk, world.far_building.pk} <= followed(lead)


def test_a_person_with_no_team_follows_none():
    assert followed(UserFactory()) == set()


def test_a_team_given_a_new_level_is_followed_below_through_its_new_column(world):
    """A regional team made a state team while its districts skip the region: the teams
    below it carry it in another ancestry column, and its members still follow them."""
    lead = UserFactory(username="region-lead")
    MembershipFactory(team=world.region, person=lead, role=TeamRole.LEAD)
    assert world.building.pk in followed(lead)
    region = world.region
    region.level = "state"
    region.parent = world.smt
    region.save()
    Team.objects.refresh_ancestry()
    lead = User.objects.get(pk=lead.pk)  # a new request's

    assert {world.district.pk, world.building.pk} <= followed(lead)
