"""The initiatives module as its people use it, in Chromium: the SMT finds what serves which
goal, runs an overdue review to a decision, compares candidates and adopts one; the CSSO
is warned about the affirmation and records the decision in the meeting's register; the
resource CSV carries the page's totals; the heat-map shows the Zone ahead."""

import csv
import io
import re
from datetime import timedelta

from playwright.sync_api import expect

from initiatives.models import Review
from teams.models import today
from tests.factories import initiatives_world
from tests.meetings_world import meetings_of

from .locators import field, section


def test_smt_finds_what_serves_each_goal_the_overlaps_and_the_gap(world, sign_in):
    initiatives_world(world)
    page = sign_in("smt")
    expect(section(page, "The vision")).to_contain_text("Every child reads by grade 3")
    page.get_by_role("link", name="Initiatives", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The initiative inventory")

    field(page, "Goal").select_option(label="Goal 1: Every child reads by grade 3")
    page.get_by_role("button", name="Show").click()
    found = section(page, re.compile("^Initiatives found"))
    expect(found.get_by_role("link", name="Structured Literacy K-3")).to_be_visible()
    expect(found.get_by_role("link", name="Inclusive Practices")).to_have_count(0)

    page.get_by_role("navigation", name="Initiatives sections").get_by_role(
        "link", name="Alignment"
    ).click()
    expect(section(page, "Goals no initiative serves")).to_contain_text(
        "A skilled, stable workforce"
    )
    expect(section(page, "Serving no goal")).to_contain_text("1 of 3 running initiatives")
    matrix = section(page, "Initiatives by goal")
    literacy = matrix.get_by_role("row", name=re.compile("Structured Literacy K-3"))
    expect(literacy.get_by_role("cell")).to_have_text(
        ["Primary", "Contributing", re.compile("Not served"), "2"]
    )
    expect(section(page, re.compile("^Recorded overlaps"))).to_contain_text("population")


def test_smt_runs_an_overdue_review_to_a_decision(world, sign_in):
    w = initiatives_world(world)
    page = sign_in("smt")
    page.goto("/initiatives/reviews/")
    due = section(page, re.compile("^Due or overdue"))
    row = due.get_by_role("row", name=re.compile("Structured Literacy K-3"))
    expect(row).to_contain_text("Overdue since")
    row.get_by_role("link", name="Review Structured Literacy K-3").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review Structured Literacy K-3")
    field(page, "Alignment notes").fill("Serves goal 1 as its aim.")
    field(page, "Results notes").fill("Benchmark rates up in the Zone.")
    page.get_by_label("Expand").check()
    field(page, "Rationale").fill("Results in the Zone justify two more regions.")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("status")).to_contain_text(
        "The review of Structured Literacy K-3 is recorded: expand."
    )
    expect(section(page, "Decision: Expand")).to_contain_text("two more regions")
    review = Review.objects.get(initiative=w.literacy)
    assert review.held_on == today() and review.recorded_by == world.user("smt")
    page.get_by_role("link", name="The initiative").click()
    expect(section(page, "About")).to_contain_text("Scaling")


def test_csso_is_warned_and_records_a_review_in_the_meetings_register(world, sign_in):
    w, m = initiatives_world(world), meetings_of(world)
    page = sign_in("csso")
    warning = section(page, "Affirm the vision")
    expect(warning).to_contain_text("Affirmation overdue")
    expect(warning).to_contain_text("14 months ago")

    page.goto(f"/initiatives/{w.legacy.pk}/review/")
    field(page, "Reviewed on").fill(m.smt_held.held_on.isoformat())
    field(page, "SMT meeting").select_option(value=str(m.smt_held.pk))
    page.get_by_label("Sunset").check()
    field(page, "Rationale").fill("It serves no goal and overlaps Structured Literacy.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("sunset")
    page.get_by_role("link", name="the decision in its register").click()
    expect(page.locator("main")).to_contain_text("Legacy Reading Grant: sunset")


def test_smt_rates_compares_and_adopts_a_candidate(world, sign_in):
    w = initiatives_world(world)
    page = sign_in("smt")
    page.goto("/initiatives/selection/")
    page.get_by_role("link", name="Check & Connect").click()
    expect(section(page, "Ratings")).to_contain_text("The others' scores show once you submit")
    page.get_by_role("link", name="Rate this candidate").click()
    for name, score in (("Need", "5"), ("Fit", "1"), ("Evidence", "4")):
        field(page, f"{name}: score").fill(score)
    page.get_by_label("Submit my ratings now").check()
    page.get_by_role("button", name="Save my ratings").click()

    ratings = section(page, "Ratings")
    expect(ratings).to_contain_text("Discuss first: Fit (spread 2)")
    fit = ratings.get_by_role("row", name=re.compile("^Fit"))
    expect(fit).to_contain_text("disagree")

    page.get_by_role("link", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare candidates")
    expect(section(page, "Side by side")).to_contain_text("Check & Connect")

    page.goto(f"/initiatives/selection/{w.candidate.pk}/decide/")
    page.get_by_label("Adopt", exact=True).check()
    field(page, "Rationale").fill("Strong on need and evidence; fit to work through.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check & Connect")
    expect(section(page, "About")).to_contain_text("Proposed")
    expect(section(page, "About")).to_contain_text("Innovation")


def test_the_resource_csv_carries_the_pages_totals(world, sign_in):
    initiatives_world(world)
    page = sign_in("deputy")
    page.goto("/initiatives/resources/")
    expect(section(page, "In total")).to_contain_text("$125,000")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    total = rows[-1]
    assert total[0] == "total" and total[3] in ("125000.00", "125000")


def test_an_sts_records_a_stage_and_the_heat_map_shows_the_zone_ahead(world, sign_in):
    w = initiatives_world(world)
    world.district.zone_entered_on = today() - timedelta(days=400)
    world.district.save()
    page = sign_in("sts")
    page.goto("/initiatives/stages/")
    page.get_by_role("link", name="Record a stage").click()
    field(page, "Unit (team)").select_option(label="Cedar Falls District Team")
    field(page, "Innovation").select_option(label="Structured Literacy K-3")
    field(page, "Stage").select_option(label="Full implementation")
    field(page, "Evidence").fill("Fidelity at threshold in every building.")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Cedar Falls District Team is in full implementation of Structured Literacy K-3."
    )
    expect(section(page, "History of moves")).to_contain_text("Installation")

    page.goto("/initiatives/stages/")
    zone = section(page, "The Transformation Zone against the rest")
    expect(zone.get_by_role("row", name=re.compile("Structured Literacy"))).to_contain_text(
        "1 of 1 (100%)"
    )
    heat = section(page, re.compile("^Units by innovation"))
    expect(heat.get_by_role("row", name=re.compile("Cedar Falls District Team"))).to_contain_text(
        "4. Full implementation"
    )
    assert w.literacy.stages.filter(is_current=True, stage="full").exists()
