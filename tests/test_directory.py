"""What each person sees of others, as an agency's privacy officer would decide it:
names, titles, divisions, current roles and teams for everyone signed in; who held which
role when for the cabinet, admins and the person themselves."""

from datetime import timedelta

import pytest

from teams.models import Role, today

from .factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_history(world):
    """Sarah Mitchell was an STS before she joined the SMT."""
    RoleFactory(
        person=world.user("smt"),
        role=Role.STS,
        started_on=today() - timedelta(days=900),
        ended_on=today() - timedelta(days=400),
    )
    return world


@pytest.mark.parametrize(
    ("role", "sees_history"),
    [
        ("csso", True),
        ("deputy", True),
        ("sponsor", True),
        ("admin", True),
        ("smt", True),  # her own page
        ("sts", False),
        ("district", False),
        ("building", False),
    ],
)
def test_role_history_is_for_the_cabinet_admins_and_the_person(
    role, sees_history, with_history, client
):
    client.force_login(with_history.user(role))
    page = client.get(f"/people/{with_history.user('smt').pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "SMT member" in text  # current roles are for everyone
    assert ("Earlier roles" in text) is sees_history
    assert (page.context["profile"].past_roles is not None) is sees_history


def test_the_directory_names_sponsors_among_the_roles(world, client):
    client.force_login(world.user("building"))
    page = client.get("/people/?q=Okafor").content.decode()
    assert "SMT member, Executive Leadership Sponsor" in page


def test_a_cabinet_member_sits_on_the_smt_on_their_own_page(world, client):
    client.force_login(world.user("building"))
    page = client.get(f"/people/{world.user('csso').pk}/").content.decode()
    assert "Not on any team" not in page
    assert "State Management Team</a>: Cabinet (Chief State School Officer)" in page


def test_the_home_page_names_the_persons_team_role(world, client):
    client.force_login(world.user("district"))
    context = client.get("/").context
    assert context["role_names"] == [
        "Lead of Cedar Falls District Team",
        "Member of Northern Region Team",
    ]


def test_people_who_left_are_not_in_the_directory(world, client):
    from teams import services

    services.person_leave(person=world.user("building"), left_on=today(), by=world.user("admin"))
    client.force_login(world.user("district"))
    assert client.get(f"/people/{world.user('building').pk}/").status_code == 404
    assert "Ben Carter" not in client.get("/people/").content.decode()
