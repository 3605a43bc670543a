"""The data system in the browser: a live consensus round with two participants, each in
their own browser; an STS recording training; an admin importing an instrument."""

import re

import pytest
from playwright.sync_api import expect

from datasystem.models import Instrument, ItemScore, TrainingEvent
from tests.data_world import data_world
from tests.factories import DISTRICT_INSTRUMENT

from .locators import field, section


@pytest.fixture
def data(world):
    return data_world(world)


def test_a_consensus_round_with_two_participants_in_two_browsers(world, data, sign_in):
    facilitator = sign_in("district")
    facilitator.on("dialog", lambda dialog: dialog.accept())
    facilitator.get_by_role("link", name="Data", exact=True).click()
    section(facilitator, "Your teams' data").get_by_role(
        "link", name="Cedar Falls District Team"
    ).click()
    facilitator.get_by_role("link", name="Join the live session").click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text(
        "Live session: District Capacity Check (test)"
    )

    participant = sign_in("sts")
    participant.goto(f"/data/assessments/{data.in_progress.pk}/live/")
    expect(participant.get_by_role("heading", name="Waiting for the facilitator")).to_be_visible()

    facilitator.get_by_role("button", name="Open item 1", exact=True).click()
    expect(facilitator.get_by_role("heading", name="Item 1 of 4")).to_be_visible()
    # The participant's page follows without a reload.
    expect(participant.get_by_role("heading", name="Item 1 of 4")).to_be_visible(timeout=10_000)

    facilitator.get_by_label("2: Fully in place").check()
    facilitator.get_by_role("button", name="Vote", exact=True).click()
    expect(participant.get_by_text("Votes: 1 of 2, hidden until everyone has voted")).to_be_visible(
        timeout=10_000
    )
    expect(participant.get_by_text("Dana Reyes: voted")).to_be_visible()

    # The participant votes by keyboard alone.
    participant.get_by_label("1: Partly in place").focus()
    participant.keyboard.press("Space")
    participant.keyboard.press("Tab")
    participant.keyboard.press("Enter")

    expect(participant.get_by_text("Votes: 2 of 2, shown")).to_be_visible()
    expect(facilitator.get_by_text("Votes: 2 of 2, shown")).to_be_visible(timeout=10_000)
    expect(facilitator.get_by_text("Spread: 0 × 0 · 1 × 1 · 1 × 2")).to_be_visible()

    consensus = facilitator.get_by_role("group", name="The team's score for item 1")
    consensus.get_by_label("1: Partly in place").check()
    facilitator.get_by_label("Note (what the team agreed, and why)").fill("Written, not shared.")
    facilitator.get_by_role("button", name="Record the team's score").click()
    expect(facilitator.get_by_role("status").first).to_contain_text(
        "Item 1: the team's score is recorded."
    )
    expect(facilitator.get_by_role("heading", name="Item 2 of 4")).to_be_visible()
    expect(participant.get_by_role("heading", name="Item 2 of 4")).to_be_visible(timeout=10_000)
    score = ItemScore.objects.get(administration=data.in_progress, item__key="lead-1")
    assert (score.score, score.spread) == (1, {"0": 0, "1": 1, "2": 1})

    # The rest on the score sheet, then completed, and read against last time.
    facilitator.goto(f"/data/assessments/{data.in_progress.pk}/")
    facilitator.get_by_role("link", name="Score sheet").click()
    facilitator.get_by_label("Score for item 2").select_option("2")
    facilitator.get_by_label("Score for item 3").select_option("1")
    facilitator.get_by_label("Score for item 4").select_option("0")
    facilitator.get_by_role("button", name="Save the scores").click()
    expect(facilitator.get_by_role("status")).to_contain_text("3 scores saved.")
    facilitator.get_by_role("button", name="Complete the assessment").click()
    expect(facilitator.get_by_role("status")).to_contain_text("The assessment is completed")
    results = section(facilitator, "Results")
    # 1 + 2 + 1 + 0 of 8 against 5 of 6 last time.
    expect(results).to_contain_text("Total: 50.0% of possible points (4 of 8)")
    expect(results).to_contain_text("last time")
    expect(results.get_by_role("row", name=re.compile("^Leadership"))).to_contain_text("75.0%")
    expect(section(facilitator, "Items to act on")).to_contain_text("Red without a plan")
    expect(section(facilitator, "Over time").get_by_role("table")).to_be_visible()

    # The low item becomes an action item, on the team's list in meetings.
    facilitator.get_by_role("link", name="Turn into an action item (item 4)").click()
    field(facilitator, "Owner").select_option(
        label="Dana Reyes — Academic Standards and Instruction"
    )
    facilitator.get_by_role("button", name="Add the action item").click()
    expect(facilitator.get_by_role("status").first).to_contain_text(
        "Item 4 is now an action item for Dana Reyes."
    )
    facilitator.goto("/meetings/actions/")
    expect(facilitator.get_by_role("main")).to_contain_text(
        "Put in place: Low items have action items."
    )
    expect(facilitator.get_by_role("main")).to_contain_text("from assessment item")


def test_an_sts_records_training_and_sees_the_teams_training(world, data, sign_in):
    page = sign_in("sts")
    page.goto(f"/data/teams/{world.district.pk}/implementation/")
    page.get_by_role("link", name="Record training").click()
    field(page, "Innovation").fill("structured literacy")
    field(page, "Trainer").fill("Regional reading trainers")
    field(page, "Hours").fill("3")
    field(page, "Attendees").select_option(label="Dana Reyes")
    page.get_by_role("button", name="Save the training").click()

    expect(page.get_by_role("status")).to_contain_text("The training for Cedar Falls District Team")
    members = section(page, "Who has been trained")
    expect(members.get_by_role("row", name=re.compile("^Dana Reyes"))).to_contain_text("2")
    expect(section(page, "Latest training")).to_contain_text("Regional reading trainers")
    assert TrainingEvent.objects.filter(trainer="Regional reading trainers").count() == 1


def test_an_admin_imports_an_instrument_file_with_two_errors_then_a_good_one(world, sign_in):
    page = sign_in("admin")
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("link", name="Instruments", exact=True).click()
    page.get_by_role("link", name="Import an instrument").click()
    broken = DISTRICT_INSTRUMENT.replace("[district, building]", "[county]").replace(
        "prompt: Members have protected time.", "prompt: ''"
    )
    page.get_by_label("File").set_input_files(
        files=[{"name": "district.yaml", "mimeType": "application/yaml", "buffer": broken.encode()}]
    )
    page.get_by_role("button", name="Import the instrument").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("nothing was imported")
    expect(summary).to_contain_text("levels[0]: 'county' is not a team level")
    expect(summary).to_contain_text("sections[0].items[1].prompt: required.")
    assert not Instrument.objects.exists()

    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "district.yaml",
                "mimeType": "application/yaml",
                "buffer": DISTRICT_INSTRUMENT.encode(),
            }
        ]
    )
    page.get_by_role("button", name="Import the instrument").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("District Capacity Check (test)")
    expect(page.get_by_role("status")).to_contain_text("is imported")
    expect(section(page, "Wording, version 1 (current)")).to_contain_text(
        "Members have protected time."
    )
