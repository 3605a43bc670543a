"""Outcomes and the dashboards in the browser: the `smt` user reads the SMT's dashboard,
compares the Zone with the rest, opens a chart's table and downloads its CSV and PNG; the
`district` user reads their team's dashboard; an admin imports a file with two bad rows
(both lines, nothing written), then the corrected file while its progress bar moves, then
the same file again (nothing changes)."""

import re
import threading
import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from datasystem import tasks
from datasystem.models import OutcomeValue
from tests.outcome_world import outcome_world

from .locators import section

HEADER = "measure,unit,period,group,value,students\n"
BAD = (
    HEADER
    + "reading,LK-LINCOLN,2025-26,all,61.0,124\n"
    + "reading,LK-LINCOLN,2025-26,femal,74.0,12\n"
    + "reading,LK-LINCOLN,2025-26,male,60.0,112\n"
    + "reading,LK-NOWHERE,2025-26,el,40.0,30\n"
)
CORRECTED = BAD.replace(",femal,", ",female,").replace("LK-NOWHERE", "LK-LINCOLN")


@pytest.fixture
def outcomes(world):
    return outcome_world(world)


def values_now() -> list[tuple]:
    return list(
        OutcomeValue.objects.order_by("pk").values_list("pk", "value", "students", "hidden")
    )


def test_the_smt_reads_the_state_and_takes_a_charts_figures_away(world, outcomes, sign_in):
    page = sign_in("smt")
    page.get_by_role("link", name="Data", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The state at a glance")
    expect(section(page, "The story in one screen")).to_contain_text(
        "Transformation Zone 61% in School year 2025-26, up 4 points; "
        "Rest of the state 51.6% in School year 2025-26"
    )

    chart = section(page, "Reading proficiency: the Transformation Zone against the rest")
    expect(chart.get_by_role("img", name=re.compile("Reading proficiency"))).to_be_visible()
    # The figures are one key press away.
    chart.get_by_text("The figures as a table").focus()
    page.keyboard.press("Enter")
    table = chart.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("2025-26"))).to_contain_text(
        "61.0% (120 students)"
    )

    with page.expect_download() as csv_download:
        chart.get_by_role("link", name=re.compile("Download CSV")).click()
    text = csv_download.value.path().read_text(encoding="utf-8")
    assert "School year 2025-26,61.0,120,51.6,290" in text
    with page.expect_download() as png_download:
        chart.get_by_role("button", name=re.compile("Download PNG")).click()
    assert png_download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png_download.value.suggested_filename == "outcome-reading.png"

    # The Zone is one building here: its girls are too few, and the rest would tell.
    groups = section(page, "Reading proficiency by student group, School year 2025-26")
    expect(groups.get_by_role("row", name=re.compile("^Female"))).to_contain_text("fewer than 10")
    expect(groups).not_to_contain_text("75.0")
    # The detail comes in below without a reload.
    expect(section(page, "Capacity by team and section")).to_be_visible()


def test_the_district_reads_its_teams_dashboard_from_the_team_page(world, outcomes, sign_in):
    page = sign_in("district")
    page.goto(f"/teams/{world.district.pk}/")
    page.get_by_role("link", name="Data dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dashboard of Cedar Falls District Team"
    )
    own = section(page, "Reading proficiency: Cedar Falls District Team")
    expect(own).to_contain_text("All students 58.4% in School year 2025-26")
    below = section(page, "Buildings below, all students, latest period")
    expect(below.get_by_role("row", name=re.compile("^Lincoln Elementary"))).to_contain_text(
        "61.0% (120 students)"
    )
    expect(page.get_by_role("main")).not_to_contain_text("75.0")


def test_an_admin_imports_a_bad_file_then_the_corrected_one_then_it_again(
    world, outcomes, sign_in, monkeypatch
):
    page = sign_in("admin")
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("link", name="Outcome measures").click()
    page.get_by_role("link", name="Import outcomes").click()
    before = values_now()

    def upload(text: str) -> None:
        page.get_by_label("File").set_input_files(
            files=[{"name": "lincoln.csv", "mimeType": "text/csv", "buffer": text.encode()}]
        )
        page.get_by_role("button", name="Import the outcomes").click()

    upload(BAD)
    problems = section(page, "Problems")
    expect(problems).to_contain_text("Line 3: group 'femal' is not a group of Reading proficiency")
    expect(problems).to_contain_text("Line 5: unit 'LK-NOWHERE' is not the state code of any team.")
    expect(page.get_by_role("main")).to_contain_text("nothing was written")
    assert values_now() == before

    # The corrected file runs in the background, as with a worker: the page follows it.
    def in_the_background(job_id: int) -> None:
        def work() -> None:
            time.sleep(2)
            try:
                tasks.import_outcomes(job_id)
            finally:
                connection.close()

        threading.Thread(target=work, daemon=True).start()

    monkeypatch.setattr(tasks.import_outcomes, "delay", in_the_background)
    page.get_by_role("link", name="Import another file").click()
    upload(CORRECTED)
    expect(page.get_by_role("progressbar", name="Rows read")).to_be_visible()
    # Polled without a reload until it is done, then the page shows the result.
    expect(page.get_by_role("status").first).to_contain_text(
        "Imported. 0 new values, 2 corrected, 2 already there.", timeout=15_000
    )
    assert outcomes.value(world.building, "female").students == 12
    after = values_now()

    page.get_by_role("link", name="Import another file").click()
    upload(CORRECTED)
    expect(page.get_by_role("status").first).to_contain_text(
        "Imported. 0 new values, 0 corrected, 4 already there.", timeout=15_000
    )
    assert values_now() == after
