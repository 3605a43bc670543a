"""Every change to people, roles, teams and updates is kept: who, when, what changed."""

import pytest

from teams.models import Division, Team

pytestmark = pytest.mark.django_db


def test_renaming_a_division_is_recorded_with_who_and_what(world, client):
    admin = world.user("admin")
    client.force_login(admin)
    finance = world.divisions["finance"]
    client.post(
        f"/settings/divisions/{finance.pk}/edit/",
        {"name": "Finance and Business Services", "short_name": "FBS", "is_active": "on"},
    )

    latest = Division.history.filter(id=finance.pk).latest("history_date")
    assert latest.history_user == admin and latest.name == "Finance and Business Services"

    page = client.get("/settings/history/?kind=divisions").content.decode()
    assert "Finance and Operations → Finance and Business Services" in page
    assert str(admin) in page


def test_team_changes_show_on_the_teams_history(world, client):
    client.force_login(world.user("sts"))
    client.post(
        f"/teams/{world.district.pk}/edit/",
        {"name": "Cedar Falls DIT", "cadence": 14, "specialists": [world.user("sts").pk]},
    )
    client.force_login(world.user("admin"))
    page = client.get(f"/settings/history/?kind=teams&object={world.district.pk}").content
    page = page.decode()
    assert "Cedar Falls District Team → Cedar Falls DIT" in page
    assert "Monthly → Every two weeks" in page
    assert "Tina Alvarez" in page


def test_role_changes_and_updates_are_audited(world, client):
    client.force_login(world.user("admin"))
    role = world.user("smt").role_assignments.get()
    client.post(f"/people/roles/{role.pk}/end/")
    page = client.get("/settings/history/?kind=roles").content.decode()
    assert "Changed" in page and "Ended on" in page

    client.force_login(world.user("building"))
    client.post(
        f"/teams/{world.building.pk}/updates/new/",
        {"occurred_on": "2020-01-01", "summary": "Audited update."},
    )
    client.force_login(world.user("admin"))
    page = client.get("/settings/history/?kind=updates").content.decode()
    assert "Audited update." in page


def test_only_admins_read_the_history(world, client):
    for role in ("csso", "smt", "sts", "building"):
        client.force_login(world.user(role))
        assert client.get("/settings/history/").status_code == 403


def test_an_unknown_kind_of_record_is_a_404(world, client):
    client.force_login(world.user("admin"))
    assert client.get("/settings/history/?kind=passwords").status_code == 404


def test_deleting_is_recorded_too(world):
    team = Team.objects.create(name="Short-lived", level="building", parent=world.district)
    team_id = team.pk
    team.delete()
    assert [h.history_type for h in Team.history.filter(id=team_id)] == ["-", "+"]


def test_admin_lets_a_person_sign_in_with_a_strong_password(world, client):
    from teams.models import User

    client.force_login(world.user("admin"))
    person = User.objects.get(username="riverbend-lead")
    short = client.post(
        f"/settings/people/{person.pk}/password/",
        {"new_password1": "too-short", "new_password2": "too-short"},
    )
    assert "at least 12 characters" in short.content.decode()
    person.refresh_from_db()
    assert not person.check_password("too-short")

    client.post(
        f"/settings/people/{person.pk}/password/",
        {"new_password1": "river bend lantern 42", "new_password2": "river bend lantern 42"},
    )
    person.refresh_from_db()
    assert person.check_password("river bend lantern 42")


def test_who_supports_a_team_is_audited_as_who_joined_and_left(world, client):
    from .factories import RoleFactory, UserFactory

    newcomer = UserFactory(first_name="Nora", last_name="Vance")
    RoleFactory(person=newcomer, role="sts")
    client.force_login(world.user("admin"))
    client.post(
        f"/teams/{world.building.pk}/edit/",
        {
            "name": world.building.name,
            "level": "building",
            "parent": world.district.pk,
            "cadence": 30,
            "specialists": [newcomer.pk],
        },
    )
    page = client.get(f"/settings/history/?kind=teams&object={world.building.pk}").content
    assert "+ Nora Vance" in page.decode() and "− Tina Alvarez" in page.decode()


def test_times_in_the_history_are_the_agencys_local_minutes(world, client):
    import re

    client.force_login(world.user("admin"))
    page = client.get("/settings/history/?kind=development").content.decode()
    # "Recorded at" is a timestamp: shown like the When column, never raw UTC microseconds.
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", page)
    assert not re.search(r"\+00:00", page)


def test_every_kind_of_record_a_module_registers_is_in_the_history(world, client):
    from teams.audit import kinds

    client.force_login(world.user("admin"))
    page = client.get("/settings/history/").content.decode()
    for kind in kinds().values():
        assert f'value="{kind.key}"' in page


def test_saving_a_form_that_changes_nothing_writes_no_history(world, client):
    client.force_login(world.user("sts"))
    before = Team.history.filter(id=world.district.pk).count()
    payload = {
        "name": world.district.name,
        "cadence": world.district.cadence,
        "specialists": [world.user("sts").pk],
    }
    response = client.post(f"/teams/{world.district.pk}/edit/", payload, follow=True)
    assert "nothing was changed" in response.content.decode()
    assert Team.history.filter(id=world.district.pk).count() == before
