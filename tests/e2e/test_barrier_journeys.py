"""The practice-policy cycle as the cascade lives it: a barrier's round trip from a building
to the SMT and back, and an STS's request for support answered by their sponsor."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from teams.models import today
from tests.meetings_world import meetings_of

from .locators import field, section


def open_barrier(page, title):
    page.goto("/barriers/")
    page.get_by_role("link", name=title).first.click()


def test_a_barrier_goes_up_to_the_smt_and_its_answer_comes_back(world, sign_in, new_page):
    meetings_of(world)  # the SMT's next meeting is scheduled
    title = "Coaching days clash with the testing window"

    building = sign_in("building")
    building.get_by_role("navigation", name="Main").get_by_role("link", name="Barriers").click()
    building.get_by_role("link", name="Raise a barrier").click()
    field(building, "Raised by the team").select_option(label="Lincoln Elementary Team")
    field(building, "Title").fill(title)
    field(building, "Practice").fill("Coaching days fall in the state testing window.")
    field(building, "Effect").fill("Two months without coaching for every teacher.")
    field(building, "Would help").fill("A testing calendar that leaves coaching days free.")
    building.get_by_role("button", name="Raise the barrier").click()
    expect(building.get_by_role("status")).to_contain_text("The barrier is with Cedar Falls")

    def as_user(username):
        page = new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("smt-demo")
        page.get_by_role("button", name="Sign in").click()
        return page

    district = as_user("district")
    open_barrier(district, title)
    district.get_by_role("link", name=re.compile("^Pass it up to")).click()
    field(district, "What your team knows and has tried").fill("Principals cannot move testing.")
    district.get_by_role("button", name="Pass it up").click()
    expect(district.get_by_role("status")).to_contain_text("passed up to Northern Region Team")

    sts = as_user("sts")
    for above in ("State Literacy Implementation Team", "State Management Team"):
        open_barrier(sts, title)
        sts.get_by_role("link", name=f"Pass it up to {above}").click()
        field(sts, "What your team knows and has tried").fill(
            "The testing calendar is set above us."
        )
        sts.get_by_role("button", name="Pass it up").click()
    sts.goto("/barriers/follow-through/")
    row = section(sts, "Items that reached the state level, newest first").get_by_role(
        "row", name=re.compile(title)
    )
    expect(row).to_contain_text("Not yet")

    sponsor = as_user("sponsor")
    sponsor.goto("/barriers/follow-through/")
    expect(sponsor.get_by_role("row", name=re.compile(title))).to_be_visible()

    smt = as_user("smt")
    smt.goto("/barriers/smt/")
    smt.get_by_role("link", name=title).click()
    smt.get_by_role("button", name=re.compile("^Place on State Management Team")).click()
    expect(smt.get_by_role("status")).to_contain_text("on the agenda")
    smt.get_by_role("link", name="Record a systemic change").click()
    field(smt, "What changed").select_option("policy")
    field(smt, "Title").fill("Coaching days protected in the testing calendar")
    field(smt, "Description").fill("The testing calendar leaves two coaching days a month.")
    field(smt, "Owning division").select_option(label="Finance and Operations")
    field(smt, "Effective on").fill(today().isoformat())
    smt.get_by_role("button", name="Record the change").click()
    expect(smt.get_by_role("status")).to_contain_text("in the log")
    smt.goto("/barriers/smt/")
    smt.get_by_role("link", name=title).click()
    smt.get_by_role("link", name="Answer it").click()
    field(smt, "How it is resolved").select_option("systemic")
    field(smt, "Answer").fill("The testing calendar now protects two coaching days a month.")
    field(smt, "The systemic change that resolves it").select_option(
        label="Coaching days protected in the testing calendar"
    )
    smt.get_by_role("button", name="Send the answer down").click()
    expect(smt.get_by_role("status")).to_contain_text("on its way back down")

    for page in (sts, sts, district):
        open_barrier(page, title)
        page.get_by_role("link", name="Pass the answer down").click()
        page.get_by_role("button", name="Pass it down").click()

    open_barrier(building, title)
    expect(section(building, re.compile("^The answer"))).to_contain_text(
        "protects two coaching days"
    )
    building.get_by_role("link", name="Did it reach practice?").click()
    building.get_by_label("Yes: the answer reached practice").check()
    building.get_by_role("button", name="Send").click()
    expect(building.get_by_role("status")).to_contain_text("journey is recorded")

    sponsor.goto("/barriers/follow-through/")
    expect(sponsor.get_by_role("row", name=re.compile(title))).to_contain_text("Yes, it helped")


def test_an_sts_asks_their_sponsor_and_the_response_time_shows(world, sign_in, new_page):
    sts = sign_in("sts")
    sts.goto("/barriers/support/")
    sts.get_by_role("link", name="Ask a sponsor").click()
    field(sts, "Sponsor").select_option(label="Paul Okafor — Special Education Services")
    field(sts, "What kind of support").select_option("introduction")
    field(sts, "What").fill("An introduction to the Riverbend superintendent.")
    field(sts, "Needed by").fill((today() + timedelta(days=10)).isoformat())
    sts.get_by_role("button", name="Send the request").click()
    expect(sts.get_by_role("status")).to_contain_text("Your request is with Paul Okafor")

    sponsor = new_page()
    sponsor.goto("/accounts/login/")
    sponsor.get_by_label("Username").fill("sponsor")
    sponsor.get_by_label("Password").fill("smt-demo")
    sponsor.get_by_role("button", name="Sign in").click()
    sponsor.goto("/barriers/support/")
    sponsor.get_by_role("link", name=re.compile("^An introduction to the Riverbend")).click()
    field(sponsor, "Your reply").fill("Yes: I will introduce you on Monday.")
    sponsor.get_by_role("button", name="Send the reply").click()
    expect(sponsor.get_by_role("main")).to_contain_text("First answered after 0 working days")

    sponsor.goto("/barriers/support/")
    times = section(sponsor, "First-response times, last 12 months")
    expect(times.get_by_role("row", name=re.compile("Paul Okafor"))).to_contain_text("1")

    csso = new_page()
    csso.goto("/accounts/login/")
    csso.get_by_label("Username").fill("csso")
    csso.get_by_label("Password").fill("smt-demo")
    csso.get_by_role("button", name="Sign in").click()
    csso.goto("/barriers/support/")
    expect(section(csso, "First-response times, last 12 months")).to_contain_text("Paul Okafor")
