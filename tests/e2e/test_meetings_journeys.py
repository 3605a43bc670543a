"""Meetings as the cabinet and the teams use them: the SMT's next agenda, attendance and
quorum, a decision and an action item that its owner closes, and a structured
problem-solving meeting."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from meetings import services
from teams.models import today
from tests.meetings_world import meetings_of

from .locators import field, section


@pytest.fixture
def prepared(world):
    """The SMT's next meeting with what it owes carried forward: the sponsor's open action
    and a decision that has come back for review."""
    m = meetings_of(world)
    m.decision.review_on = today() + timedelta(days=2)
    m.decision.save()
    services.carry_forward(meeting=m.smt_next, by=world.user("csso"))
    return m


def test_smt_member_finds_the_next_agenda_carried_forward_and_the_flagged_updates(
    prepared, sign_in
):
    page = sign_in("smt")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name=re.compile(r"^\w+day \d+ \w+ \d{4}, 09:00$")).first.click()
    agenda = section(page, re.compile("^Agenda and minutes"))
    expect(agenda).to_contain_text("Check action: Bring options for substitute coverage")
    expect(agenda).to_contain_text("Review decision: Fund two coaching positions")
    expect(agenda.get_by_text("Carried forward")).to_have_count(2)
    offers = section(page, "Offered for this agenda")
    expect(offers).to_contain_text("Cedar Falls needs coaching time protected")
    expect(offers).to_contain_text("The meeting's facilitator can add these")
    expect(offers.get_by_role("button")).to_have_count(0)


def test_csso_runs_the_meeting_and_the_sponsor_closes_the_action(prepared, sign_in, new_page):
    page = sign_in("csso")
    page.goto(f"/meetings/{prepared.smt_next.pk}/")
    # The facilitator adds the flagged update to the agenda.
    section(page, "Offered for this agenda").get_by_role(
        "button", name=re.compile("^Add .*Cedar Falls")
    ).click()
    expect(page.get_by_role("status")).to_contain_text("is on the agenda")

    page.get_by_role("link", name="Record attendance").first.click()
    for name in ("Carmen Ortiz", "David Nguyen", "Sarah Mitchell"):
        page.get_by_label(f"Attendance of {name}").select_option("present")
    page.get_by_label("Attendance of Paul Okafor").select_option("absent")
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_role("status")).to_contain_text("quorum met")
    expect(section(page, "Attendance and quorum")).to_contain_text("3 of 5 members present")

    section(page, "Decisions").get_by_role("link", name="Record a decision").click()
    field(page, "Text").fill("Protect coaching time in the district calendars.")
    field(page, "Review date").fill((today() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(section(page, "Decisions")).to_contain_text("Protect coaching time")

    section(page, "Action items agreed").get_by_role("link", name="Add an action item").click()
    field(page, "What").fill("Tell the districts about the protected coaching time")
    field(page, "Owner").select_option(label="Paul Okafor — Special Education Services")
    field(page, "Due").fill((today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Add the action item").click()
    expect(page.get_by_role("status")).to_contain_text("The action item is Paul Okafor's")

    sponsor = new_page()
    sponsor.goto("/accounts/login/")
    sponsor.get_by_label("Username").fill("sponsor")
    sponsor.get_by_label("Password").fill("smt-demo")
    sponsor.get_by_role("button", name="Sign in").click()
    sponsor.goto("/meetings/actions/")
    mine = section(sponsor, "In your name")
    expect(mine).to_contain_text("Tell the districts about the protected coaching time")
    mine.get_by_role("button", name=re.compile("Mark done.*Tell the districts")).click()
    expect(sponsor.get_by_role("status")).to_contain_text("The action item is done.")
    expect(section(sponsor, "In your name")).not_to_contain_text("Tell the districts")


def test_the_agenda_reorders_by_keyboard(prepared, sign_in):
    page = sign_in("csso")
    page.goto(f"/meetings/{prepared.smt_next.pk}/")
    first_title = page.locator(".agenda-item h3").first
    expect(first_title).to_contain_text("Data review")
    page.get_by_role("button", name=re.compile("move “Data review” down")).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".agenda-item h3").nth(1)).to_contain_text("Data review")


def test_district_runs_a_structured_problem_solving_meeting(world, sign_in):
    m = meetings_of(world)
    page = sign_in("district")
    page.goto(f"/meetings/{m.district_meeting.pk}/")
    solving = section(page, "Problem solving")
    expect(solving).to_contain_text("Referrals rose at lunch.")

    solving.get_by_role("link", name="Record the effectiveness").click()
    field(page, "Effectiveness against the goal").select_option("improved")
    page.get_by_role("button", name="Record the effectiveness").click()
    expect(section(page, "Problem solving")).to_contain_text("Improved but not to goal")

    section(page, "Problem solving").get_by_role("link", name="Define a problem").click()
    field(page, "What").fill("Grade 2 reading is below the winter benchmark.")
    field(page, "Who").fill("Grade 2 students in two classrooms")
    field(page, "Where").fill("Core reading block")
    field(page, "When").fill("Since October")
    field(page, "Why").fill("Small groups are not formed from data.")
    field(page, "Goal").fill("80% at benchmark by spring.")
    page.get_by_role("button", name="Record the problem").click()
    expect(section(page, "Problem solving")).to_contain_text("Grade 2 reading is below")

    section(page, "Problem solving").get_by_role("link", name="Add a solution action").click()
    field(page, "Problem").select_option(
        label="Problem: Grade 2 reading is below the winter benchmark."
    )
    field(page, "Action").fill("Form small groups from the screening data")
    field(page, "Owner").select_option(label="Dana Reyes — Academic Standards and Instruction")
    field(page, "Due").fill((today() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Add the solution").click()
    expect(section(page, "Problem solving")).to_contain_text("Form small groups")

    section(page, "Problem solving").get_by_role("link", name="Do the self-check").click()
    page.get_by_label("We started on time").check()
    page.get_by_label("Every solution has an owner and a due date").check()
    page.get_by_role("button", name="Save the self-check").click()
    expect(section(page, "Problem solving")).to_contain_text("2 of 7 held.")
