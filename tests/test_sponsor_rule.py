"""Rule 1: at least two sponsors, current SMT members, from at least two divisions,
appointed by the CSSO or Deputy; flagged until fixed when it breaks."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teams import services
from teams.models import Role, SponsorAppointment, today
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
