"""Results kept in the cache follow the records they came from: whatever changes, the next
page shows it, and nothing kept for one person reaches another."""

import re

import pytest
from django.test import Client

from teams import freshness, services
from teams.models import TeamRole, TeamUpdate, today

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_topic_moves_on_with_each_change():
    before = freshness.versions("updates", "cascade")
    freshness.moved("updates")
    after = freshness.versions("updates", "cascade")
    assert before != after
    assert after.split(".")[1] == before.split(".")[1]  # the cascade's did not move


def test_a_kept_result_is_computed_again_after_its_topic_moves():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert freshness.remembered("sample", ("people",), compute) == 1
    assert freshness.remembered("sample", ("people",), compute) == 1
    freshness.moved("people")
    assert freshness.remembered("sample", ("people",), compute) == 2


def test_the_team_page_shows_a_new_member_at_once(world, client):
    client.force_login(world.user("smt"))
    assert "Nina Okoye" not in client.get(f"/teams/{world.district.pk}/").content.decode()
    newcomer = UserFactory(first_name="Nina", last_name="Okoye")
    services.membership_add(team=world.district, person=newcomer, role=TeamRole.MEMBER)
    assert "Nina Okoye" in client.get(f"/teams/{world.district.pk}/").content.decode()


def test_the_tree_shows_a_renamed_team_at_once(world, client):
    client.force_login(world.user("smt"))
    assert "Northern Region Team" in client.get("/teams/").content.decode()
    world.region.name = "North Country Region Team"
    services.team_save(team=world.region)
    page = client.get("/teams/").content.decode()
    assert "North Country Region Team" in page and "Northern Region Team" not in page


def test_the_cabinets_home_shows_a_newly_flagged_update_at_once(world, client):
    client.force_login(world.user("csso"))
    client.get("/")
    services.team_update_save(
        update=TeamUpdate(
            team=world.building,
            author=world.user("building"),
            summary="Lincoln asks the SMT for substitute cover.",
            for_smt_attention=True,
            occurred_on=today(),
        )
    )
    assert "Lincoln asks the SMT for substitute cover." in client.get("/").content.decode()


def test_quiet_counts_follow_activity(world, client):
    client.force_login(world.user("district"))
    quiet = client.get("/").context["side"][0].data
    assert quiet["quiet"] == 2
    services.team_update_save(
        update=TeamUpdate(
            team=world.region,
            author=world.user("district"),
            summary="The Northern Region team met for the first time.",
            occurred_on=today(),
        )
    )
    assert client.get("/").context["side"][0].data["quiet"] == 1


def test_an_editor_records_a_leaving_from_the_kept_page(world):
    other_editor = Client()
    other_editor.force_login(world.user("admin"))
    other_editor.get(f"/teams/{world.building.pk}/")  # someone else fills the cache first
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(world.user("sts"))
    page = editor.get(f"/teams/{world.building.pk}/").content.decode()
    link = re.search(r'href="(/teams/memberships/\d+/end/)"', page)
    assert link, "the editor sees how to record a member leaving"
    form = editor.get(link.group(1)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = editor.post(
        link.group(1), {"csrfmiddlewaretoken": token, "left_on": today().isoformat()}
    )
    assert response.status_code == 302


def test_no_kept_part_of_a_page_holds_a_form_token(world, client):
    for role in ("smt", "sts", "admin"):
        client.force_login(world.user(role))
        for path in (f"/teams/{world.district.pk}/", "/sponsors/", "/teams/"):
            page = client.get(path).content.decode()
            main = page.split('id="main"')[1]
            tokens = main.count("csrfmiddlewaretoken")
            assert tokens == 0, f"{path} as {role}: {tokens} form tokens in the page's body"


def test_a_readers_page_holds_no_form_token(world, client):
    client.force_login(world.user("smt"))
    page = client.get(f"/teams/{world.district.pk}/").content.decode()
    assert (
        "csrfmiddlewaretoken"
        not in page.split('aria-labelledby="updates-title"')[0].split('id="main"')[1]
    )
