"""Team updates: logged by a team's STS and members, rolled up the cascade."""

from datetime import timedelta

import pytest

from teams.models import TeamUpdate, today
from teams.selectors import updates_visible_to

from .factories import TeamUpdateFactory

pytestmark = pytest.mark.django_db


def update_form(**overrides):
    return {
        "occurred_on": today().isoformat(),
        "summary": "The team met and reviewed its fidelity data.",
        "successes": "All coaches trained.",
        "adaptive_challenges": "Schedules leave no time for coaching.",
        "next_steps": "Ask the district for protected time.",
        **overrides,
    }


def test_sts_logs_an_update_for_a_team_they_support(world, client):
    client.force_login(world.user("sts"))
    response = client.post(
        f"/teams/{world.building.pk}/updates/new/", update_form(for_smt_attention="on")
    )
    assert response.status_code == 302 and response.url == f"/teams/{world.building.pk}/"
    update = TeamUpdate.objects.get(summary__startswith="The team met")
    assert update.team == world.building and update.author == world.user("sts")
    assert update.for_smt_attention


def test_member_logs_an_update_choosing_among_their_own_teams(world, client):
    client.force_login(world.user("district"))
    response = client.post("/teams/updates/new/", update_form(team=world.district.pk))
    assert response.status_code == 302
    assert TeamUpdate.objects.filter(team=world.district, author=world.user("district")).exists()


def test_an_update_for_someone_elses_team_is_refused_and_nothing_is_written(world, client):
    client.force_login(world.user("building"))
    before = TeamUpdate.objects.count()

    through_form = client.post("/teams/updates/new/", update_form(team=world.far_building.pk))
    assert through_form.status_code == 200
    assert "only for teams you support or sit on" in through_form.content.decode()

    through_page = client.post(f"/teams/{world.far_building.pk}/updates/new/", update_form())
    assert through_page.status_code == 403
    assert TeamUpdate.objects.count() == before


def test_an_update_cannot_be_dated_in_the_future(world, client):
    client.force_login(world.user("building"))
    response = client.post(
        f"/teams/{world.building.pk}/updates/new/",
        update_form(occurred_on=(today() + timedelta(days=2)).isoformat()),
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert not TeamUpdate.objects.filter(summary__startswith="The team met").exists()


def test_an_update_needs_a_summary(world, client):
    client.force_login(world.user("building"))
    response = client.post(f"/teams/{world.building.pk}/updates/new/", update_form(summary=""))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_updates_roll_up_the_cascade(world):
    building_update = world.building_update
    seen_by = {
        role: building_update in updates_visible_to(world.user(role))
        for role in ("csso", "smt", "sponsor", "admin", "sts", "district", "building")
    }
    assert all(seen_by.values()), seen_by
    # The district sees its buildings; a building does not see its neighbours or far teams.
    assert world.far_update not in updates_visible_to(world.user("district"))
    assert world.far_update not in updates_visible_to(world.user("building"))
    neighbour = TeamUpdateFactory(team=world.other_building)
    assert neighbour in updates_visible_to(world.user("district"))
    assert neighbour not in updates_visible_to(world.user("building"))


def test_district_team_page_shows_its_buildings_updates(world, client):
    client.force_login(world.user("district"))
    page = client.get(f"/teams/{world.district.pk}/").content.decode()
    assert "Lincoln&#x27;s team met and reviewed its data." in page


def test_a_team_member_cannot_read_an_update_beyond_their_branch(world, client):
    client.force_login(world.user("building"))
    assert client.get(f"/teams/updates/{world.far_update.pk}/").status_code == 404


def test_only_the_author_edits_an_update(world, client):
    update = world.building_update
    client.force_login(world.user("sts"))
    assert client.get(f"/teams/updates/{update.pk}/edit/").status_code == 403
    client.force_login(world.user("building"))
    response = client.post(
        f"/teams/updates/{update.pk}/edit/", update_form(summary="Corrected summary.")
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.summary == "Corrected summary."


def test_smt_attention_updates_reach_the_csso_home(world, client):
    client.force_login(world.user("csso"))
    page = client.get("/").content.decode()
    assert "Updates for SMT attention" in page
    assert "Cedar Falls needs coaching time protected" in page
    assert "Sponsor rule holds" in page


def test_each_role_lands_on_a_home_made_for_them(world, client):
    expectations = {
        "sts": ["Teams you support", "Log a team update", "Lincoln Elementary Team"],
        "building": ["Your team", "Lincoln Elementary Team"],
        "district": ["Cedar Falls District Team", "Latest updates from your teams"],
        "sponsor": ["STSs you champion", "Tina Alvarez"],
        "admin": ["Administration", "Sponsor rule holds"],
        "smt": ["Updates for SMT attention"],
    }
    for role, texts in expectations.items():
        client.force_login(world.user(role))
        page = client.get("/").content.decode()
        for text in texts:
            assert text in page, (role, text)


def test_a_refused_edit_stays_an_edit(world, client):
    client.force_login(world.user("building"))
    update = world.building_update
    future = (today() + timedelta(days=2)).isoformat()
    response = client.post(f"/teams/updates/{update.pk}/edit/", update_form(occurred_on=future))
    page = response.content.decode()
    assert "cannot be dated in the future" in page
    assert "Edit your update for Lincoln Elementary Team" in page
    update.refresh_from_db()
    assert update.occurred_on != today() + timedelta(days=2)


def test_a_list_read_in_parts_is_the_list_the_rule_gives(world, rf):
    """The updates list reads each way an update may be readable on its own; the pages it
    makes are exactly the rule's, newest first, whatever overlaps."""
    from teams.selectors import UPDATE_ORDER, update_page

    district = world.user("district")
    # Dana wrote one update for a team she no longer follows: hers to read all the same.
    TeamUpdateFactory(team=world.far_district, author=district, summary="Before the move.")
    for _ in range(30):
        TeamUpdateFactory(team=world.building, author=world.user("building"))
    expected = list(
        updates_visible_to(district).order_by(*UPDATE_ORDER).values_list("pk", flat=True)
    )
    seen, number = [], 1
    while True:
        request = rf.get("/teams/updates/", {"page": number})
        request.user = district
        page = update_page(request, district, per_page=7)
        seen += [update.pk for update in page.object_list]
        if not page.has_next:
            break
        number += 1
    assert seen == expected
    assert "Before the move." in [u.summary for u in updates_visible_to(district)]


@pytest.mark.parametrize("role", ["csso", "sponsor", "admin", "sts", "district", "building"])
def test_each_team_page_lists_exactly_the_updates_of_its_branch_the_rule_gives(world, rf, role):
    """A team page leaves the rule's filter out where the person follows the whole team;
    what it lists is the same either way."""
    from teams.models import Team
    from teams.selectors import UPDATE_ORDER, team_update_page, within_team

    person = world.user(role)
    TeamUpdateFactory(team=world.far_district, author=person, summary="Written elsewhere.")
    for team in Team.objects.exclude(is_management_team=True):
        expected = list(
            updates_visible_to(person)
            .filter(within_team(team))
            .order_by(*UPDATE_ORDER)
            .values_list("pk", flat=True)[:50]
        )
        request = rf.get(f"/teams/{team.pk}/")
        request.user = person
        page = team_update_page(request, person, team, per_page=50)
        assert [u.pk for u in page.object_list] == expected, (role, team.name)
