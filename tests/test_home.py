"""The home page: one page of panels, each shown to the people whose work it is."""

import pytest

from teams.registry import HomePanel, portal
from teams.views.home import PANELS

pytestmark = pytest.mark.django_db


def panels(client, user) -> dict:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    shown = [*response.context["main"], *response.context["side"]]
    return {s.panel.key: s.data for s in shown}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("csso", {"sponsor-rule", "attention", "quiet", "recent"}),
        ("deputy", {"sponsor-rule", "attention", "quiet", "recent"}),
        ("smt", {"sponsor-rule", "attention", "quiet", "recent"}),
        ("sponsor", {"sponsor-rule", "champion", "attention", "quiet", "recent"}),
        ("sts", {"supported", "quiet", "recent"}),
        ("district", {"my-teams", "quiet", "recent"}),
        ("building", {"my-teams", "quiet", "recent"}),
        ("admin", {"sponsor-rule", "attention", "quiet", "administration"}),
    ],
)
def test_each_role_sees_the_panels_of_its_work(role, expected, world, client):
    # The base's own panels; the modules test theirs.
    shown = set(panels(client, world.user(role))) & {panel.key for panel in PANELS}
    # The cabinet sit on the SMT, so their team is listed too.
    assert shown - {"my-teams"} == expected - {"my-teams"}


def test_the_sponsor_sees_their_stss_teams_and_what_those_teams_flagged(world, client):
    data = panels(client, world.user("sponsor"))["champion"]
    (pairing,) = data["pairings"]
    assert pairing.specialist == world.user("sts")
    assert pairing.team_count == 4
    assert [u.summary for u in data["flagged"]] == [world.attention_update.summary]


def test_quiet_teams_are_flagged_on_the_home_page(world, client):
    data = panels(client, world.user("district"))["quiet"]
    # Cedar Falls and Lincoln have news; Maple Middle and the Northern Region have none.
    assert (data["quiet"], data["total"]) == (2, 4)
    page = client.get("/").content.decode()
    assert "2 of 4" in page
    assert 'href="/teams/?quiet=on"' in page


def test_the_sts_table_puts_quiet_teams_first_and_says_so(world, client):
    data = panels(client, world.user("sts"))["supported"]
    quiet = [team.gone_quiet for team in data["teams"]]
    assert quiet == sorted(quiet, reverse=True)
    page = client.get("/").content.decode()
    assert "Gone quiet" in page
    assert "<strong>F</strong> formed" in page  # the legend of the development marks


def test_a_member_with_one_team_does_not_pick_it_from_a_blank_list(world, client):
    client.force_login(world.user("building"))
    form = client.get("/teams/updates/new/").context["form"]
    assert form.fields["team"].empty_label is None
    assert form.fields["team"].initial == world.building.pk


def test_a_higher_app_adds_a_panel_without_the_base_knowing_it(world, client, monkeypatch):
    monkeypatch.setattr(portal.home_panels, "_entries", dict(portal.home_panels._entries))
    portal.home_panels.register(
        HomePanel(
            "module",
            "teams/home/administration.html",
            lambda request: {} if request.user.username == "admin" else None,
            column="side",
        )
    )
    assert "module" in panels(client, world.user("admin"))
    assert "module" not in panels(client, world.user("building"))


def test_a_person_with_no_team_is_told_how_to_start(world, client):
    from .factories import UserFactory

    newcomer = UserFactory()
    client.force_login(newcomer)
    page = client.get("/").content.decode()
    assert "You are not on a team yet" in page
