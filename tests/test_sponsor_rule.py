"""Rule 1: at least two sponsors, current SMT members, from at least two divisions,
appointed by the CSSO or Deputy; flagged until fixed when it breaks."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teams import services
from teams.models import Division, Role, RoleAssignment, SponsorAppointment, User, today
from teams.sponsor_rule import sponsor_appoint, sponsor_appointment_end, sponsor_rule

from .factories import (
    DivisionFactory,
    RoleFactory,
    SponsorAppointmentFactory,
    UserFactory,
    smt_member,
)

pytestmark = pytest.mark.django_db


def admin_person():
    person = UserFactory()
    RoleFactory(person=person, role=Role.ADMIN)
    return person


@pytest.fixture
def csso():
    person = UserFactory(username="the-csso")
    RoleFactory(person=person, role=Role.CSSO)
    return person


def test_two_smt_sponsors_from_two_divisions_hold_the_rule():
    SponsorAppointmentFactory(sponsor=smt_member(division=DivisionFactory(name="Finance")))
    SponsorAppointmentFactory(sponsor=smt_member(division=DivisionFactory(name="Special Ed")))
    assert sponsor_rule().holds


def test_a_single_sponsor_breaks_the_rule():
    SponsorAppointmentFactory()
    rule = sponsor_rule()
    assert not rule.holds
    assert "only 1 sponsor" in " ".join(rule.problems)


def test_sponsor_without_second_division_is_flagged():
    finance = DivisionFactory(name="Finance")
    SponsorAppointmentFactory(sponsor=smt_member(division=finance))
    SponsorAppointmentFactory(sponsor=smt_member(division=finance))
    rule = sponsor_rule()
    assert not rule.holds
    assert "at least 2 different divisions" in " ".join(rule.problems)


def test_sponsor_who_leaves_the_smt_breaks_the_rule_until_fixed(csso):
    leaving = smt_member(division=DivisionFactory(name="Finance"))
    SponsorAppointmentFactory(sponsor=leaving)
    SponsorAppointmentFactory(sponsor=smt_member(division=DivisionFactory(name="Academics")))
    assert sponsor_rule().holds

    services.role_end(
        assignment=leaving.role_assignments.get(role=Role.SMT_MEMBER), by=admin_person()
    )
    after = sponsor_rule()

    assert not after.holds
    assert f"{leaving} is no longer a current SMT member." in after.problems
    replacement = smt_member(division=DivisionFactory(name="Assessment"))
    sponsor_appoint(sponsor=replacement, appointed_by=csso)
    sponsor_appointment_end(
        appointment=SponsorAppointment.objects.get(sponsor=leaving), ended_by=csso
    )
    assert sponsor_rule().holds


def test_sponsor_who_changes_division_can_break_the_rule():
    finance = DivisionFactory(name="Finance")
    moving = smt_member(division=DivisionFactory(name="Academics"))
    SponsorAppointmentFactory(sponsor=moving)
    SponsorAppointmentFactory(sponsor=smt_member(division=finance))
    moving.division = finance
    services.person_save(person=moving)
    assert not sponsor_rule().holds


def test_only_the_csso_or_deputy_may_appoint():
    eligible = smt_member()
    admin = UserFactory(is_superuser=True)
    RoleFactory(person=admin, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        sponsor_appoint(sponsor=eligible, appointed_by=admin)
    assert not SponsorAppointment.objects.exists()


def test_deputy_may_appoint_and_the_appointment_records_who_and_when():
    deputy = UserFactory()
    RoleFactory(person=deputy, role=Role.DEPUTY)
    eligible = smt_member()
    appointment = sponsor_appoint(sponsor=eligible, appointed_by=deputy)
    assert appointment.appointed_by == deputy
    assert appointment.started_on == today()


def test_appointing_someone_outside_the_smt_is_refused_and_changes_nothing(csso):
    outsider = UserFactory()
    with pytest.raises(ValidationError, match="not a current SMT member"):
        sponsor_appoint(sponsor=outsider, appointed_by=csso)
    assert not SponsorAppointment.objects.exists()


def test_appointing_a_former_smt_member_is_refused(csso):
    former = UserFactory()
    RoleFactory(
        person=former,
        role=Role.SMT_MEMBER,
        started_on=today() - timedelta(days=400),
        ended_on=today() - timedelta(days=10),
    )
    with pytest.raises(ValidationError):
        sponsor_appoint(sponsor=former, appointed_by=csso)


def test_appointing_someone_without_a_division_is_refused(csso):
    with pytest.raises(ValidationError, match="no active division"):
        sponsor_appoint(sponsor=smt_member(division=None), appointed_by=csso)


def test_appointing_a_sitting_sponsor_twice_is_refused(csso):
    sitting = SponsorAppointmentFactory().sponsor
    with pytest.raises(ValidationError, match="already a sponsor"):
        sponsor_appoint(sponsor=sitting, appointed_by=csso)
    assert SponsorAppointment.objects.count() == 1


def test_ending_an_appointment_that_breaks_the_rule_needs_confirmation(csso):
    first = SponsorAppointmentFactory(sponsor=smt_member(division=DivisionFactory(name="A")))
    SponsorAppointmentFactory(sponsor=smt_member(division=DivisionFactory(name="B")))
    with pytest.raises(ValidationError, match="breaks the sponsor rule"):
        sponsor_appointment_end(appointment=first, ended_by=csso)
    first.refresh_from_db()
    assert first.ended_on is None

    after = sponsor_appointment_end(appointment=first, ended_by=csso, accept_broken_rule=True)
    assert not after.holds
    first.refresh_from_db()
    assert first.ended_by == csso


def test_the_warning_shows_to_the_csso_deputy_and_admins_only(world, client):
    services.role_end(
        assignment=world.user("sponsor").role_assignments.get(role=Role.SMT_MEMBER),
        by=world.user("admin"),
    )
    for role, sees in [
        ("csso", True),
        ("deputy", True),
        ("admin", True),
        ("smt", False),
        ("sts", False),
        ("building", False),
    ]:
        client.force_login(world.user(role))
        page = client.get("/teams/").content.decode()
        assert ("The sponsor rule is broken" in page) is sees, role


def test_appoint_page_refuses_an_ineligible_choice_with_a_message(world, client):
    client.force_login(world.user("csso"))
    response = client.post("/sponsors/appoint/", {"sponsor": world.user("sts").pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert SponsorAppointment.objects.current().count() == 2


def test_sponsors_page_names_the_stss_nobody_champions(world, client):
    lone = UserFactory(first_name="Lonely", last_name="Specialist")
    RoleFactory(person=lone, role=Role.STS)
    client.force_login(world.user("smt"))
    page = client.get("/sponsors/").content.decode()
    assert "No sponsor champions" in page and "Lonely Specialist" in page
    assert "Tina Alvarez</a>." not in page


def test_csso_pairs_a_sponsor_with_an_sts(world, client):
    from teams.models import SponsorPairing

    client.force_login(world.user("csso"))
    sponsor2 = world.user("sponsor").__class__.objects.get(username="sponsor2")
    response = client.post(
        "/sponsors/pairings/new/", {"sponsor": sponsor2.pk, "specialist": world.user("sts").pk}
    )
    assert response.status_code == 302
    assert SponsorPairing.objects.current().filter(sponsor=sponsor2).exists()


# --- The rule counts what is real ---------------------------------------------------------


def two_sponsors_from_two_divisions():
    finance, academics = DivisionFactory(name="Finance"), DivisionFactory(name="Academics")
    first = SponsorAppointmentFactory(sponsor=smt_member(division=finance)).sponsor
    second = SponsorAppointmentFactory(sponsor=smt_member(division=academics)).sponsor
    assert sponsor_rule().holds
    return first, second


def test_a_sponsor_whose_account_is_deactivated_no_longer_counts():
    first, _ = two_sponsors_from_two_divisions()
    first.is_active = False
    first.save()
    rule = sponsor_rule()
    assert not rule.holds
    assert f"{first}'s account is deactivated." in rule.problems


def test_a_sponsor_who_left_the_agency_no_longer_counts():
    first, _ = two_sponsors_from_two_divisions()
    first.left_on = today() - timedelta(days=1)
    first.save()
    assert f"{first} has left the agency." in sponsor_rule().problems


def test_an_inactive_division_is_not_a_second_division():
    first, _ = two_sponsors_from_two_divisions()
    first.division.is_active = False
    first.division.save()
    rule = sponsor_rule()
    assert not rule.holds
    assert f"{first}'s division, Finance, is inactive." in rule.problems


def test_division_names_are_one_division_whatever_their_case():
    DivisionFactory(name="Finance")
    with pytest.raises(ValidationError, match="already exists"):
        services.division_save(division=Division(name="  FINANCE "))
    assert Division.objects.filter(name__iexact="finance").count() == 1


def test_usernames_are_one_person_whatever_their_case():
    UserFactory(username="pokafor")
    with pytest.raises(ValidationError, match="username is taken"):
        services.person_save(person=User(username="POkafor", first_name="P", last_name="O"))


def test_the_database_refuses_divisions_differing_only_in_case():
    from django.db import IntegrityError, transaction

    DivisionFactory(name="Finance")
    with pytest.raises(IntegrityError), transaction.atomic():
        Division.objects.create(name="finance")


# --- Re-checked, and flagged, wherever a change can break it ---------------------------------

BROKE = "This change broke the sponsor rule"


def test_ending_a_sponsors_smt_role_on_their_page_flags_the_rule(world, client):
    client.force_login(world.user("admin"))
    role = world.user("sponsor").role_assignments.get(role=Role.SMT_MEMBER)
    response = client.post(f"/people/roles/{role.pk}/end/", follow=True)
    assert BROKE in response.content.decode()
    assert "Paul Okafor is no longer a current SMT member." in response.content.decode()


def test_deactivating_a_sponsor_in_settings_flags_the_rule(world, client):
    client.force_login(world.user("admin"))
    sponsor = world.user("sponsor")
    response = client.post(
        f"/settings/people/{sponsor.pk}/edit/",
        {
            "username": "sponsor",
            "first_name": "Paul",
            "last_name": "Okafor",
            "division": sponsor.division_id,
        },
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert BROKE in page
    assert "Paul Okafor's account is deactivated." in page


def test_moving_a_sponsor_to_the_other_sponsors_division_flags_the_rule(world, client):
    client.force_login(world.user("admin"))
    sponsor = world.user("sponsor")
    response = client.post(
        f"/settings/people/{sponsor.pk}/edit/",
        {
            "username": "sponsor",
            "first_name": "Paul",
            "last_name": "Okafor",
            "division": world.divisions["academics"].pk,
            "is_active": "on",
        },
        follow=True,
    )
    assert BROKE in response.content.decode()


def test_closing_a_sponsors_division_flags_the_rule(world, client):
    client.force_login(world.user("admin"))
    special = world.divisions["special"]
    response = client.post(
        f"/settings/divisions/{special.pk}/edit/",
        {"name": special.name, "short_name": "SES"},
        follow=True,
    )
    assert BROKE in response.content.decode()


def test_recording_that_a_sponsor_left_flags_the_rule_and_ends_everything(world, client):
    from teams.models import Membership, SponsorPairing

    client.force_login(world.user("admin"))
    sponsor = world.user("sponsor")
    response = client.post(
        f"/people/{sponsor.pk}/leave/", {"left_on": today().isoformat()}, follow=True
    )
    assert BROKE in response.content.decode()
    sponsor.refresh_from_db()
    assert not sponsor.is_active and sponsor.left_on == today()
    assert not RoleAssignment.objects.current().filter(person=sponsor).exists()
    assert not SponsorAppointment.objects.current().filter(sponsor=sponsor).exists()
    assert not SponsorPairing.objects.current().filter(sponsor=sponsor).exists()
    assert not Membership.objects.current().filter(person=sponsor).exists()


def test_a_change_that_keeps_the_rule_says_nothing_of_it(world, client):
    client.force_login(world.user("admin"))
    role = world.user("smt").role_assignments.get()
    response = client.post(f"/people/roles/{role.pk}/end/", follow=True)
    assert BROKE not in response.content.decode()


# --- Ending an appointment --------------------------------------------------------------------


def test_the_end_page_asks_for_a_yes_only_when_the_rule_would_break(world, client):
    client.force_login(world.user("csso"))
    third = smt_member(division=world.divisions["finance"])
    SponsorAppointmentFactory(sponsor=third)
    appointment = SponsorAppointment.objects.get(sponsor=world.user("sponsor"))
    page = client.get(f"/sponsors/{appointment.pk}/end/").content.decode()
    assert "The sponsor rule still holds without this appointment." in page
    assert "I understand" not in page
    assert "btn-danger" in page
    response = client.post(f"/sponsors/{appointment.pk}/end/")
    assert response.status_code == 302
    assert SponsorAppointment.objects.get(pk=appointment.pk).ended_on == today()


def test_the_end_page_warns_and_asks_when_the_rule_would_break(world, client):
    client.force_login(world.user("csso"))
    appointment = SponsorAppointment.objects.get(sponsor=world.user("sponsor"))
    page = client.get(f"/sponsors/{appointment.pk}/end/").content.decode()
    assert "Without this appointment the sponsor rule breaks" in page
    assert "I understand that this leaves the sponsor rule broken" in page
    refused = client.post(f"/sponsors/{appointment.pk}/end/")
    assert refused.status_code == 200
    assert SponsorAppointment.objects.get(pk=appointment.pk).ended_on is None


def test_ending_an_appointment_ends_its_pairings_in_the_history(world):
    from teams.models import SponsorPairing

    pairing = SponsorPairing.objects.get(sponsor=world.user("sponsor"))
    appointment = SponsorAppointment.objects.get(sponsor=world.user("sponsor"))
    sponsor_appointment_end(
        appointment=appointment, ended_by=world.user("csso"), accept_broken_rule=True
    )
    latest = SponsorPairing.history.filter(id=pairing.pk).latest("history_date")
    assert latest.ended_on == today()
    assert latest.history_type == "~"
