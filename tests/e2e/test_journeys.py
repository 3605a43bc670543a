"""One journey per demo role: from the sign-in form to the role's main work, as it is seen."""

import re

from playwright.sync_api import expect

from teams.models import SponsorAppointment

from .locators import field, section


def test_csso_sees_the_sponsor_rule_and_what_teams_flag_for_the_smt(world, sign_in):
    page = sign_in("csso")

    rule = section(page, "Executive Leadership Sponsors")
    expect(rule).to_contain_text("Sponsor rule holds")
    expect(rule).to_contain_text("2 sponsors from the current SMT represent 2 divisions")
    flagged = section(page, "Updates for SMT attention")
    expect(
        flagged.get_by_role("link", name=re.compile("^Cedar Falls District Team"))
    ).to_be_visible()
    expect(flagged).to_contain_text("Cedar Falls needs coaching time protected in the calendar.")
    expect(flagged).not_to_contain_text("Oak Park trained two new coaches.")
    expect(page.get_by_role("region", name="Sponsor rule warning")).to_have_count(0)


def test_csso_mends_a_broken_sponsor_rule_by_appointing_a_sponsor(world_with_one_sponsor, sign_in):
    page = sign_in("csso")
    expect(section(page, "Executive Leadership Sponsors")).to_contain_text("Sponsor rule broken")
    banner = page.get_by_role("region", name="Sponsor rule warning")
    expect(banner).to_contain_text("The sponsor rule is broken.")

    banner.get_by_role("link", name="Review the sponsors", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sponsors/$"))
    expect(section(page, "The sponsor rule")).to_contain_text("Broken")
    page.get_by_role("link", name="Appoint a sponsor", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Appoint an Executive Leadership Sponsor"
    )
    field(page, "Sponsor").select_option(label="Grace Lee — Academic Standards and Instruction")
    page.get_by_role("button", name="Appoint").click()

    expect(page).to_have_url(re.compile(r"/sponsors/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Grace Lee is appointed as an Executive Leadership Sponsor. The sponsor rule holds."
    )
    expect(section(page, "The sponsor rule")).to_contain_text("Holds")
    expect(
        section(page, "Current sponsors").get_by_role("link", name="Grace Lee", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("region", name="Sponsor rule warning")).to_have_count(0)
    page.get_by_role("link", name="Home", exact=True).click()
    expect(section(page, "Executive Leadership Sponsors")).to_contain_text("Sponsor rule holds")


def test_deputy_may_appoint_only_eligible_smt_members(world, sign_in):
    page = sign_in("deputy")
    page.get_by_role("link", name="Sponsors", exact=True).click()
    page.get_by_role("link", name="Appoint a sponsor", exact=True).click()

    choices = field(page, "Sponsor").locator("option")
    expect(choices).to_have_text(
        [
            "---------",
            "Sarah Mitchell — Finance and Operations",
            "David Nguyen — Special Education Services",
            "Carmen Ortiz — Academic Standards and Instruction",
        ]
    )

    # Even a forged choice (an STS, not an SMT member) is refused by the server.
    tina = world.user("sts")
    field(page, "Sponsor").evaluate(
        "(select, pk) => { select.add(new Option('Tina Alvarez', pk, true, true)); }", str(tina.pk)
    )
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_role("alert")).to_contain_text("Select a valid choice")
    assert not SponsorAppointment.objects.filter(sponsor=tina).exists()


def test_smt_member_reads_the_cascade_down_to_a_team(world, sign_in):
    page = sign_in("smt")
    page.get_by_role("link", name="Cascade", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The cascade of implementation teams")
    tree = section(page, "The cascade as a tree")
    expect(tree.get_by_role("link", name="Southern Region Team", exact=True)).to_be_visible()

    field(page, "Region").select_option(label="Northern Region Team")
    expect(page).to_have_url(re.compile(r"region="))
    expect(tree.get_by_role("link", name="Southern Region Team", exact=True)).to_have_count(0)
    lincoln = tree.get_by_role("link", name="Lincoln Elementary Team", exact=True)
    expect(lincoln).to_be_hidden()

    tree.locator("summary").filter(has_text="2 teams below Cedar Falls District Team").click()
    expect(lincoln).to_be_visible()
    lincoln.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary Team")
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(
        breadcrumb.get_by_role("link", name="Cedar Falls District Team", exact=True)
    ).to_be_visible()
    expect(section(page, "About the team")).to_contain_text("Tina Alvarez")


def test_sponsor_sees_the_sts_they_champion_and_what_their_teams_flagged(world, sign_in):
    page = sign_in("sponsor")
    expect(
        page.get_by_text("SMT member · Executive Leadership Sponsor", exact=True)
    ).to_be_visible()
    champions = section(page, "The STSs you champion")
    tina = champions.get_by_role("row", name=re.compile("Tina Alvarez"))
    expect(tina.get_by_role("cell")).to_have_text(
        [re.compile("Tina Alvarez"), "4", re.compile(".")]
    )
    expect(champions).to_contain_text("Cedar Falls needs coaching time protected in the calendar.")
    expect(champions).not_to_contain_text("Oak Park trained two new coaches.")
    champions.get_by_role("link", name="Tina Alvarez", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tina Alvarez")
    expect(section(page, "Sponsor and STS pairings")).to_contain_text("Paul Okafor")


def test_sts_logs_an_update_that_rolls_up_to_the_district(world, sign_in):
    summary = "Lincoln's team walked the data wall and chose two reading goals."
    page = sign_in("sts")
    supported = section(page, "Teams you support")
    supported.get_by_role("link", name="Log update for Lincoln Elementary Team", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Log an update for Lincoln Elementary Team"
    )
    field(page, "Summary").fill(summary)
    field(page, "Next steps").fill("Share the goals with Cedar Falls.")
    page.get_by_role("button", name="Save the update").click()

    expect(page.get_by_role("status")).to_have_text(
        "Your update for Lincoln Elementary Team is logged."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary Team")
    expect(section(page, "Updates from this team")).to_contain_text(summary)

    lead = sign_in("district")
    section(lead, "Your teams").get_by_role(
        "link", name="Cedar Falls District Team", exact=True
    ).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Cedar Falls District Team")
    rolled_up = section(lead, "Updates from this team and the teams below")
    expect(rolled_up).to_contain_text(summary)

    lead.get_by_role("link", name="Updates", exact=True).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Team updates")
    expect(lead.get_by_role("article").filter(has_text=summary)).to_contain_text(
        "Lincoln Elementary Team"
    )


def test_district_lead_sees_their_team_and_the_buildings_below(world, sign_in):
    page = sign_in("district")
    teams = section(page, "Your teams")
    expect(teams.get_by_role("link", name="Cedar Falls District Team", exact=True)).to_be_visible()
    expect(teams.get_by_role("link", name="Northern Region Team", exact=True)).to_be_visible()

    teams.get_by_role("link", name="Cedar Falls District Team", exact=True).click()
    links = section(page, "Links up and down")
    expect(links.get_by_role("link", name="Lincoln Elementary Team", exact=True)).to_be_visible()
    expect(links.get_by_role("link", name="Maple Middle Team", exact=True)).to_be_visible()
    members = section(page, re.compile(r"^Members"))
    expect(members.get_by_role("row", name=re.compile("Dana Reyes"))).to_contain_text("Lead")


def test_building_member_cannot_edit_another_team(world, sign_in, browser_errors, live_server):
    page = sign_in("building")
    team = section(page, "Your team")
    expect(team.get_by_role("link", name="Lincoln Elementary Team", exact=True)).to_be_visible()

    page.goto(f"/teams/{world.other_building.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not allowed to do that")
    expect(page).to_have_title(re.compile("^Not allowed"))
    # The refusal itself is the only thing the browser may complain about.
    assert browser_errors == [
        f"{live_server.url}/teams/{world.other_building.pk}/edit/: console error: "
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
    browser_errors.clear()


def test_admin_adds_and_renames_a_division(world, sign_in):
    page = sign_in("admin")
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="Divisions"
    ).click()
    page.get_by_role("link", name="Add a division", exact=True).click()

    field(page, "Name").fill("Federal Programs")
    field(page, "Short name").fill("FP")
    page.get_by_role("button", name="Save the division").click()
    expect(page.get_by_role("status")).to_contain_text("The division Federal Programs is saved.")
    divisions = page.get_by_role("table", name="Divisions")
    expect(divisions.get_by_role("row", name=re.compile("^Federal Programs"))).to_contain_text(
        "Active"
    )

    divisions.get_by_role("link", name="Edit Federal Programs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Federal Programs")
    field(page, "Name").fill("Federal Programs and Grants")
    page.get_by_role("button", name="Save the division").click()

    expect(
        divisions.get_by_role("cell", name="Federal Programs and Grants", exact=True)
    ).to_be_visible()
    expect(divisions.get_by_role("cell", name="Federal Programs", exact=True)).to_have_count(0)


def test_a_person_who_forgot_their_password_gets_back_in_by_email(world, new_page):
    from django.core import mail

    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    field(page, "Email").fill("sts@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/\S+", message.body).group(0)
    # The link names the server that sent it; open its path on this one.
    page.goto(link[link.index("/accounts/") :])
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    field(page, "New password").fill("harbour willow kite 2026")
    field(page, "New password confirmation").fill("harbour willow kite 2026")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")

    page.get_by_role("link", name="Sign in", exact=True).click()
    field(page, "Username").fill("sts")
    field(page, "Password").fill("harbour willow kite 2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Tina")


def test_a_branch_of_the_cascade_opens_on_demand_by_keyboard(world, sign_in):
    page = sign_in("smt")
    page.get_by_role("link", name="Cascade", exact=True).click()
    tree = section(page, "The cascade as a tree")
    district = tree.get_by_role("link", name="Cedar Falls District Team", exact=True)
    expect(district).to_have_count(0)  # not on the page until its branch is opened

    branch = tree.locator("summary").filter(has_text="below Northern Region Team")
    branch.focus()
    page.keyboard.press("Enter")

    expect(district).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Showing the 1 team below Northern Region Team."
    )
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("link", name="Show the 1 team below Northern Region Team")
    ).to_have_count(0)
