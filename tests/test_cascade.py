"""Rule 2 (a tree by level, the SMT at its root, no cycles) and rule 3 (linking members)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from teams import services
from teams.models import Level, Membership, Team, TeamRole, today
from teams.selectors import team_page

from .factories import (
    AgencyFactory,
    MembershipFactory,
    RoleFactory,
    SmtFactory,
    UserFactory,
    set_agency,
)

pytestmark = pytest.mark.django_db


def test_a_team_cannot_sit_under_its_own_building(world):
    district = world.district
    district.parent = world.building
    with pytest.raises(ValidationError, match="cannot sit under itself"):
        services.team_save(team=district)
    district.refresh_from_db()
    assert district.parent == world.region


def test_a_team_cannot_be_its_own_parent(world):
    world.region.parent = world.region
    with pytest.raises(ValidationError, match="cannot sit under itself"):
        services.team_save(team=world.region)


def test_a_building_cannot_skip_the_district_level(world):
    building = Team(name="Skipping School", level=Level.BUILDING, parent=world.region)
    with pytest.raises(ValidationError, match="sits under a district team"):
        services.team_save(team=building)
    assert not Team.objects.filter(name="Skipping School").exists()


def test_a_district_may_skip_the_region_only_where_the_agency_allows_it(world):
    district = Team(name="Island District", level=Level.DISTRICT, parent=world.state_team)
    with pytest.raises(ValidationError, match="regional team"):
        services.team_save(team=district)

    agency = AgencyFactory()
    agency.districts_may_report_to_state = True
    agency.save()
    services.team_save(team=district)
    assert district.pk


def test_state_teams_sit_directly_under_the_smt(world):
    team = Team(name="Nested State Team", level=Level.STATE, parent=world.state_team)
    with pytest.raises(ValidationError, match="directly under the SMT"):
        services.team_save(team=team)


def test_regional_teams_sit_under_a_state_implementation_team(world):
    team = Team(name="Loose Region", level=Level.REGIONAL, parent=world.smt)
    with pytest.raises(ValidationError, match="state implementation team"):
        services.team_save(team=team)


def test_every_team_but_the_smt_needs_a_parent():
    team = Team(name="Floating", level=Level.DISTRICT)
    with pytest.raises(ValidationError, match="sits under another"):
        services.team_save(team=team)


def test_there_is_only_one_smt():
    SmtFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="Second SMT", level=Level.STATE, is_management_team=True)


def test_changing_a_teams_level_may_not_strand_the_teams_below(world):
    world.district.level = Level.REGIONAL
    world.district.parent = world.state_team
    with pytest.raises(ValidationError, match="no longer be one level down"):
        services.team_save(team=world.district)


def test_leaving_the_zone_before_entering_it_is_refused(world):
    world.district.zone_entered_on = today()
    world.district.zone_left_on = today() - timedelta(days=5)
    with pytest.raises(ValidationError, match="after it entered"):
        services.team_save(team=world.district)


def test_zone_membership_follows_the_dates(world):
    world.district.zone_entered_on = today() - timedelta(days=30)
    world.district.save()
    world.region.zone_entered_on = today() - timedelta(days=300)
    world.region.zone_left_on = today() - timedelta(days=1)
    world.region.save()
    assert set(Team.objects.in_zone()) == {world.district}
    assert world.district.in_zone() and not world.region.in_zone()


def test_within_a_team_finds_every_team_below_it(world):
    below_region = set(Team.objects.within(world.region))
    assert below_region == {world.region, world.district, world.building, world.other_building}
    assert world.far_building not in below_region
    assert set(Team.objects.within(world.smt)) == set(Team.objects.all())


def test_a_linking_member_must_sit_on_the_team_above(world):
    newcomer = UserFactory()
    with pytest.raises(ValidationError, match="also sits on the team above"):
        services.membership_add(team=world.building, person=newcomer, role=TeamRole.LINKING)
    assert not Membership.objects.filter(person=newcomer).exists()

    services.membership_add(team=world.district, person=newcomer, role=TeamRole.MEMBER)
    link = services.membership_add(team=world.building, person=newcomer, role=TeamRole.LINKING)
    assert link.pk


def test_the_smt_cabinet_counts_as_sitting_on_the_smt(world):
    link = services.membership_add(
        team=world.state_team, person=world.user("smt"), role=TeamRole.LINKING
    )
    assert link.pk


def test_the_smt_has_no_team_above_to_link_to(world):
    with pytest.raises(ValidationError, match="top of the cascade"):
        services.membership_add(team=world.smt, person=UserFactory(), role=TeamRole.LINKING)


def test_a_person_sits_on_a_team_once(world):
    with pytest.raises(ValidationError, match="already on"):
        services.membership_add(
            team=world.building, person=world.user("building"), role=TeamRole.LEAD
        )


def test_team_page_shows_links_up_and_down_and_broken_links(world):
    linker = UserFactory(first_name="Lena", last_name="Link")
    parent_seat = MembershipFactory(team=world.district, person=linker)
    MembershipFactory(team=world.building, person=linker, role=TeamRole.LINKING)

    district_page = team_page(world.district)
    building = next(c for c in district_page.children if c == world.building)
    assert [m.person for m in building.linking_members] == [linker]
    assert [m.person for m in team_page(world.building).up_links] == [linker]
    assert team_page(world.building).linking_gaps == []

    services.membership_end(membership=parent_seat)
    assert [m.person for m in team_page(world.building).linking_gaps] == [linker]


def test_the_smt_page_lists_the_cabinet(world):
    cabinet = team_page(world.smt).cabinet
    assert {p.username for p in cabinet} >= {"csso", "deputy", "smt", "sponsor"}
    assert world.user("sts") not in cabinet


def test_only_specialists_can_support_a_team(world):
    with pytest.raises(ValidationError, match="not a State Transformation Specialist"):
        services.team_save(team=world.district, specialists=[world.user("building")])


def test_admin_adds_a_team_in_the_right_place_through_the_page(world, client):
    client.force_login(world.user("admin"))
    response = client.post(
        "/teams/new/",
        {
            "name": "Birch High Team",
            "level": "building",
            "parent": world.district.pk,
            "cadence": 14,
            "specialists": [world.user("sts").pk],
        },
    )
    team = Team.objects.get(name="Birch High Team")
    assert response.status_code == 302 and response.url == f"/teams/{team.pk}/"
    assert list(team.specialists.all()) == [world.user("sts")]


def test_a_cycle_through_the_page_gets_a_clear_message_and_changes_nothing(world, client):
    client.force_login(world.user("admin"))
    response = client.post(
        f"/teams/{world.region.pk}/edit/",
        {
            "name": world.region.name,
            "level": "regional",
            "parent": world.district.pk,
            "cadence": 30,
        },
    )
    assert response.status_code == 200
    assert "cannot sit under itself" in response.content.decode()
    world.region.refresh_from_db()
    assert world.region.parent == world.state_team


def test_an_sts_edits_their_teams_details_but_not_where_it_sits(world, client):
    client.force_login(world.user("sts"))
    response = client.post(
        f"/teams/{world.district.pk}/edit/",
        {
            "name": "Cedar Falls DIT",
            "cadence": 14,
            "parent": world.far_district.pk,
            "level": "building",
            "specialists": [world.user("sts").pk],
        },
    )
    assert response.status_code == 302
    world.district.refresh_from_db()
    assert world.district.name == "Cedar Falls DIT"
    assert world.district.parent == world.region and world.district.level == Level.DISTRICT


def test_an_sts_adds_a_member_and_records_a_development_review(world, client):
    client.force_login(world.user("sts"))
    person = UserFactory()
    client.post(
        f"/teams/{world.building.pk}/members/new/",
        {"person": person.pk, "role": "data_lead", "started_on": today().isoformat()},
    )
    assert Membership.objects.current().filter(team=world.building, person=person).exists()
    client.post(
        f"/teams/{world.building.pk}/development/new/",
        {"reviewed_on": today().isoformat(), "formed": "on", "linked": "on"},
    )
    review = world.building.development_reviews.get()
    assert review.formed and review.linked and not review.members_trained
    assert review.recorded_by == world.user("sts")


def test_a_future_development_review_is_refused(world):
    from teams.models import DevelopmentReview

    review = DevelopmentReview(
        team=world.district, recorded_by=world.user("sts"), reviewed_on=today() + timedelta(days=3)
    )
    with pytest.raises(ValidationError, match="future"):
        services.development_record(review=review)


def test_a_member_who_leaves_no_longer_counts(world, client):
    membership = Membership.objects.get(team=world.building, person=world.user("building"))
    client.force_login(world.user("sts"))
    page = client.get(f"/teams/memberships/{membership.pk}/end/").content.decode()
    assert "Record that Ben Carter has left Lincoln Elementary Team" in page
    response = client.post(
        f"/teams/memberships/{membership.pk}/end/", {"left_on": today().isoformat()}
    )
    assert response.status_code == 302
    assert not Membership.objects.current().filter(pk=membership.pk).exists()


def test_leaving_a_team_cannot_be_recorded_ahead_of_the_day(world, client):
    membership = Membership.objects.get(team=world.building, person=world.user("building"))
    client.force_login(world.user("sts"))
    later = (today() + timedelta(days=7)).isoformat()
    response = client.post(f"/teams/memberships/{membership.pk}/end/", {"left_on": later})
    assert response.status_code == 200
    assert "on or after the day" in response.content.decode()
    assert Membership.objects.current().filter(pk=membership.pk).exists()


def test_roles_held_through_dates_not_flags():
    person = UserFactory()
    RoleFactory(person=person, role="smt", started_on=today() + timedelta(days=10))
    from teams.models import User

    assert not User.objects.smt_members().filter(pk=person.pk).exists()
    assert User.objects.smt_members(today() + timedelta(days=11)).filter(pk=person.pk).exists()


def test_adding_a_member_searches_people_instead_of_listing_everyone(world, client):
    from teams.forms import MembershipForm

    for n in range(MembershipForm.SHOWN + 5):
        UserFactory(first_name="Extra", last_name=f"Person {n:03}")
    wanted = UserFactory(first_name="Quincy", last_name="Zimmerman")
    client.force_login(world.user("sts"))
    page = client.get(f"/teams/{world.building.pk}/members/new/").content.decode()
    people = page[
        page.index('name="person"') : page.index("</select>", page.index('name="person"'))
    ]
    assert people.count("<option") == MembershipForm.SHOWN + 1  # and the empty choice
    assert "Dana Reyes" in page  # on the district team above: a likely linking member
    assert "Quincy Zimmerman" not in page

    found = client.get(f"/teams/{world.building.pk}/members/new/?q=zimmer").content.decode()
    assert "Quincy Zimmerman" in found

    client.post(
        f"/teams/{world.building.pk}/members/new/",
        {"person": wanted.pk, "role": "member", "started_on": today().isoformat()},
    )
    assert Membership.objects.current().filter(team=world.building, person=wanted).exists()


# --- No unconfigured level skip, ever ------------------------------------------------------


def allow_the_skip_and_use_it(world) -> Team:

    set_agency(districts_may_report_to_state=True)
    return services.team_save(
        team=Team(name="Island District Team", level=Level.DISTRICT, parent=world.state_team)
    )


def test_turning_the_skip_off_is_refused_while_a_district_uses_it(world, client):
    from teams.models import Agency

    allow_the_skip_and_use_it(world)
    client.force_login(world.user("admin"))
    response = client.post(
        "/settings/agency/",
        {
            "name": "Lakeland Department of Education",
            "short_name": "LDE",
            "state_name": "Lakeland",
            "cabinet_granted_by": "admins",
            "max_deputies": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Island District Team still report directly to a state team" in page
    assert Agency.objects.get().districts_may_report_to_state


def test_turning_the_skip_off_is_allowed_once_no_district_uses_it(world):
    from teams.models import Agency

    island = allow_the_skip_and_use_it(world)
    island.parent = world.region
    services.team_save(team=island)
    agency = Agency.objects.get()
    agency.districts_may_report_to_state = False
    services.agency_save(agency=agency)
    assert not Agency.objects.get().districts_may_report_to_state


def test_a_new_level_that_strands_the_teams_below_is_refused_in_the_model(world):
    world.district.level = Level.REGIONAL
    world.district.parent = world.state_team
    with pytest.raises(ValidationError, match="would no longer be one level down"):
        world.district.full_clean()


# --- A model error on a field the form does not show ------------------------------------------


def test_an_sts_editing_a_misplaced_team_gets_a_message_not_a_crash(world, client):
    # The team's place broke after the fact (a level skip turned off by hand in the database).
    Team.objects.filter(pk=world.district.pk).update(parent=world.state_team)
    client.force_login(world.user("sts"))
    response = client.post(
        f"/teams/{world.district.pk}/edit/",
        {"name": "Cedar Falls DIT", "cadence": 30, "specialists": [world.user("sts").pk]},
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "Team above: A district team sits under a regional team, not a state one. "
        "A portal administrator can move the team to its right place."
    ]
    world.district.refresh_from_db()
    assert world.district.name == "Cedar Falls District Team"


def test_every_model_form_puts_hidden_field_errors_on_top():
    from django import forms

    import teams.forms
    from teams.forms import PortalModelForm

    model_forms = [
        value
        for value in vars(teams.forms).values()
        if isinstance(value, type) and issubclass(value, forms.ModelForm)
    ]
    assert len(model_forms) > 5
    assert all(issubclass(form, PortalModelForm) for form in model_forms), [
        form.__name__ for form in model_forms if not issubclass(form, PortalModelForm)
    ]


# --- Gone quiet --------------------------------------------------------------------------------


def test_a_team_goes_quiet_when_nothing_is_recorded_within_its_cadence(world):
    from .factories import TeamUpdateFactory

    monthly = world.building  # monthly cadence
    Team.objects.filter(pk=monthly.pk).refresh_activity()
    monthly.refresh_from_db()
    assert monthly.last_active_on == world.building_update.occurred_on
    assert not Team.objects.quiet().filter(pk=monthly.pk).exists()

    TeamUpdateFactory(team=world.far_district, occurred_on=today() - timedelta(days=45))
    Team.objects.refresh_activity()
    quiet = set(Team.objects.quiet().values_list("name", flat=True))
    assert world.far_district.name in quiet
    assert world.other_building.name in quiet  # never recorded anything
    assert world.building.name not in quiet


def test_logging_an_update_brings_a_team_back_from_quiet(world, client):
    Team.objects.refresh_activity()
    assert Team.objects.quiet().filter(pk=world.other_building.pk).exists()
    client.force_login(world.user("sts"))
    client.post(
        f"/teams/{world.district.pk}/updates/new/",
        {"occurred_on": today().isoformat(), "summary": "Met and planned coaching."},
    )
    world.district.refresh_from_db()
    assert world.district.last_active_on == today()


# --- Each team knows the teams above it ------------------------------------------------------


def test_each_team_keeps_the_state_regional_and_district_teams_above_it(world):
    world.building.refresh_from_db()
    assert (
        world.building.state_team,
        world.building.region_team,
        world.building.district_team,
    ) == (world.state_team, world.region, world.district)
    world.region.refresh_from_db()
    assert (world.region.state_team, world.region.region_team) == (world.state_team, None)


def test_moving_a_district_carries_its_buildings_along(world):
    world.district.parent = world.far_district.parent  # the Southern region
    services.team_save(team=world.district)
    world.building.refresh_from_db()
    assert world.building.region_team == world.far_district.parent
    assert set(Team.objects.within(world.far_district.parent)) >= {world.district, world.building}
    assert world.building not in set(Team.objects.within(world.region))


def test_rebuilding_the_ancestry_after_bulk_writes_gives_the_same_columns(world):
    columns = ("state_team_id", "region_team_id", "district_team_id")
    before = set(Team.objects.values_list("pk", *columns))
    Team.objects.update(state_team=None, region_team=None, district_team=None)
    Team.objects.refresh_ancestry()
    assert set(Team.objects.values_list("pk", *columns)) == before


def test_the_tree_loads_a_branch_on_demand_and_has_a_page_without_scripts(world, client):
    client.force_login(world.user("smt"))
    tree = client.get("/teams/").content.decode()
    assert "Northern Region Team" in tree
    assert "Cedar Falls District Team" not in tree  # below a closed branch
    assert f'hx-get="/teams/{world.region.pk}/below/"' in tree
    assert f'href="/teams/{world.region.pk}/below/"' in tree  # the link without htmx

    branch = client.get(f"/teams/{world.region.pk}/below/", HTTP_HX_REQUEST="true")
    assert "Cedar Falls District Team" in branch.content.decode()
    assert "<html" not in branch.content.decode()
    page = client.get(f"/teams/{world.region.pk}/below/").content.decode()
    assert "<h1>The teams below Northern Region Team</h1>" in page
    assert "Cedar Falls District Team" in page


def test_a_team_knows_whether_it_sits_within_teams_from_its_own_ancestry(
    world, django_assert_num_queries
):
    from teams.models import Team

    building = Team.objects.get(pk=world.building.pk)
    with django_assert_num_queries(0):
        assert building.is_within([world.region.pk])
        assert building.is_within([world.building.pk])
        assert not building.is_within([world.far_district.pk, world.other_building.pk])
    # Without its ancestry loaded it does not guess: the caller asks the database.
    assert Team.objects.only("name").get(pk=world.building.pk).is_within([1]) is None
