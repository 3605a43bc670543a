"""The CSSO and/or Deputy choose the sponsors, so nobody may make themselves one of them:
not through Django's admin, not by granting themselves the role, not by setting the
CSSO's password unnoticed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teams import services
from teams.models import (
    PasswordNotice,
    Role,
    RoleAssignment,
    SponsorAppointment,
    User,
    today,
)
from teams.sponsor_rule import sponsor_appoint

from .factories import RoleFactory, UserFactory, set_agency, smt_member
from .world import PASSWORD

pytestmark = pytest.mark.django_db


def second_admin() -> User:
    person = UserFactory(username="second-admin")
    RoleFactory(person=person, role=Role.ADMIN)
    return person


# --- Django's admin is for reading ---------------------------------------------------------


def test_the_django_admin_cannot_create_an_appointment_in_anyones_name(world, client):
    client.force_login(world.user("admin"))
    add = "/admin/teams/sponsorappointment/add/"
    assert client.get(add).status_code == 403
    response = client.post(
        add,
        {
            "sponsor": world.user("smt").pk,
            "appointed_by": world.user("csso").pk,
            "started_on": today().isoformat(),
        },
    )
    assert response.status_code == 403
    assert not SponsorAppointment.objects.filter(sponsor=world.user("smt")).exists()


@pytest.mark.parametrize(
    "model", ["roleassignment", "sponsorpairing", "team", "membership", "division", "user"]
)
def test_governance_records_are_read_only_in_the_django_admin(model, world, client):
    client.force_login(world.user("admin"))
    assert client.get(f"/admin/teams/{model}/").status_code == 200
    assert client.get(f"/admin/teams/{model}/add/").status_code == 403


def test_the_django_admin_cannot_set_a_password(world, client):
    client.force_login(world.user("admin"))
    csso = world.user("csso")
    url = f"/admin/teams/user/{csso.pk}/password/"
    response = client.post(
        url, {"password1": "taken over 2026 now", "password2": "taken over 2026 now"}
    )
    assert response.status_code == 403
    csso.refresh_from_db()
    assert csso.check_password(PASSWORD)


def test_the_django_admin_still_shows_records_and_their_history(world, client):
    client.force_login(world.user("admin"))
    appointment = SponsorAppointment.objects.get(sponsor=world.user("sponsor"))
    change = client.get(f"/admin/teams/sponsorappointment/{appointment.pk}/change/")
    assert change.status_code == 200
    history = client.get(f"/admin/teams/sponsorappointment/{appointment.pk}/history/")
    assert history.status_code == 200


# --- Nobody grants themselves a role ---------------------------------------------------------


def test_an_admin_cannot_grant_themselves_the_deputy_role(world, client):
    admin = world.user("admin")
    with pytest.raises(PermissionDenied):
        services.role_assign(person=admin, role=Role.DEPUTY, by=admin)
    client.force_login(admin)
    assert client.get(f"/people/{admin.pk}/roles/new/").status_code == 403
    response = client.post(
        f"/people/{admin.pk}/roles/new/", {"role": Role.DEPUTY, "started_on": today()}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(person=admin, role=Role.DEPUTY).exists()
    # And so cannot appoint sponsors.
    with pytest.raises(PermissionDenied):
        sponsor_appoint(sponsor=world.user("smt"), appointed_by=admin)


@pytest.mark.parametrize("role", [Role.SMT_MEMBER, Role.STS, Role.ADMIN])
def test_nobody_grants_any_role_to_themselves(role, world):
    admin = world.user("admin")
    with pytest.raises(PermissionDenied):
        services.role_assign(person=admin, role=role, by=admin)


def test_a_second_admin_grants_the_deputy_role_when_the_agency_says_admins(world):
    newcomer = smt_member(username="new-deputy")
    RoleAssignment.objects.filter(role=Role.DEPUTY).update(ended_on=today())
    assignment = services.role_assign(person=newcomer, role=Role.DEPUTY, by=world.user("admin"))
    assert assignment.granted_by == world.user("admin")


def test_only_the_csso_grants_cabinet_roles_when_the_agency_says_so(world, client):
    set_agency(cabinet_granted_by="csso", max_deputies=2)
    newcomer = smt_member(username="new-deputy")
    with pytest.raises(PermissionDenied):
        services.role_assign(person=newcomer, role=Role.DEPUTY, by=world.user("admin"))
    # The admin still grants roles that choose no sponsor.
    services.role_assign(person=newcomer, role=Role.STS, by=world.user("admin"))

    client.force_login(world.user("csso"))
    page = client.get(f"/people/{newcomer.pk}/roles/new/")
    assert page.status_code == 200
    offered = [value for value, _ in page.context["form"].fields["role"].choices if value]
    # The appointing roles only: the CSSO records a successor, or names a Deputy.
    assert offered == [Role.CSSO, Role.DEPUTY]
    response = client.post(
        f"/people/{newcomer.pk}/roles/new/",
        {"role": Role.DEPUTY, "started_on": today().isoformat()},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.current().filter(person=newcomer, role=Role.DEPUTY).exists()


def test_an_admin_names_the_first_csso_when_the_csso_grants_and_there_is_none(world):
    set_agency(cabinet_granted_by="csso")
    RoleAssignment.objects.filter(role=Role.CSSO).update(ended_on=today())
    successor = smt_member(username="successor")
    services.role_assign(person=successor, role=Role.CSSO, by=world.user("admin"))
    assert User.objects.holding(Role.CSSO).get() == successor


# --- One CSSO; as many Deputies as the agency allows -----------------------------------------


def test_the_agency_has_one_csso_at_a_time(world):
    rival = smt_member(username="rival")
    with pytest.raises(ValidationError, match="one CSSO at a time"):
        services.role_assign(person=rival, role=Role.CSSO, by=world.user("admin"))
    assert User.objects.holding(Role.CSSO).count() == 1


def test_a_successor_csso_may_start_when_the_current_one_ends(world):
    services.role_correct(
        assignment=world.user("csso").role_assignments.get(role=Role.CSSO),
        by=world.user("admin"),
        started_on=today() - timedelta(days=365),
        ended_on=today() + timedelta(days=30),
        note="Term ends next month.",
    )
    successor = smt_member(username="successor")
    services.role_assign(
        person=successor,
        role=Role.CSSO,
        by=world.user("admin"),
        started_on=today() + timedelta(days=30),
    )
    assert User.objects.holding(Role.CSSO).get() == world.user("csso")
    later = today() + timedelta(days=31)
    assert User.objects.holding(Role.CSSO, day=later).get() == successor


def test_a_second_deputy_needs_the_agency_to_allow_two(world):
    second = smt_member(username="second-deputy")
    with pytest.raises(ValidationError, match="allows 1 Deputy CSSO at a time"):
        services.role_assign(person=second, role=Role.DEPUTY, by=world.user("admin"))
    set_agency(max_deputies=2)
    services.role_assign(person=second, role=Role.DEPUTY, by=world.user("admin"))
    assert User.objects.holding(Role.DEPUTY).count() == 2


# --- A password set by an admin is recorded and told -----------------------------------------


def test_an_admin_setting_a_password_is_recorded_as_exactly_that(world, client):
    client.force_login(world.user("admin"))
    csso = world.user("csso")
    response = client.post(
        f"/settings/people/{csso.pk}/password/",
        {
            "new_password1": "granite lantern orchard 47",
            "new_password2": "granite lantern orchard 47",
        },
    )
    assert response.status_code == 302
    latest = User.history.filter(id=csso.pk).latest("history_date")
    assert latest.history_change_reason == "Password set by an admin (Alex Morgan)"
    assert latest.history_user == world.user("admin")
    page = client.get(f"/settings/history/?kind=people&object={csso.pk}").content.decode()
    assert "Password set by an admin (Alex Morgan)" in page
    assert "No recorded field changed" not in page


def test_the_person_is_told_at_their_next_sign_in_and_only_then(world, client):
    csso = world.user("csso")
    services.person_password_set(
        person=csso, password="granite lantern orchard 47", by=world.user("admin")
    )
    response = client.post(
        "/accounts/login/",
        {"username": "csso", "password": "granite lantern orchard 47"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    page = response.content.decode()
    assert "Alex Morgan, a portal administrator, set your password on" in page
    assert PasswordNotice.objects.get(person=csso).seen_at is not None

    client.logout()
    again = client.post(
        "/accounts/login/", {"username": "csso", "password": "granite lantern orchard 47"}
    )
    assert again.url == "/"


def test_an_admin_cannot_set_their_own_password_through_settings(world, client):
    admin = world.user("admin")
    client.force_login(admin)
    assert client.get(f"/settings/people/{admin.pk}/password/").status_code == 403


def test_a_sign_in_writes_no_history(world, client):
    before = User.history.filter(id=world.user("sts").pk).count()
    response = client.post("/accounts/login/", {"username": "sts", "password": PASSWORD})
    assert response.status_code == 302
    assert User.history.filter(id=world.user("sts").pk).count() == before
    world.user("sts").refresh_from_db()
    assert world.user("sts").last_login is not None


def test_usernames_sign_in_whatever_their_case(world, client):
    response = client.post("/accounts/login/", {"username": "STS", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"


def test_a_second_admin_is_a_real_person_not_the_same_one(world):
    other = second_admin()
    services.role_assign(person=world.user("building"), role=Role.STS, by=other)
    assert RoleAssignment.objects.get(person=world.user("building")).granted_by == other
