"""Rule 5 of the handouts, on every page, chart and export: a value behind fewer students
than the minimum cell size is never shown, and neither is one that would give it away.

The worked example is tests/outcome_world.py: Lincoln Elementary's 8 girls (75.0%), their
boys beside them, Maple's girls and boys that the district would give away, Maple's 6
English learners and Lincoln's beside them."""

import json
import re

import pytest
import rules
from django.urls import reverse

from datasystem.models import OutcomeTable
from datasystem.outcome_tables import decide
from datasystem.suppression import COMPLEMENTARY, SMALL

from .access_matrix import MATRIX, OK
from .outcome_world import outcome_world
from .world import ROLES

pytestmark = pytest.mark.django_db

# What must never appear: Lincoln's girls, and the cells that would give them away.
HIDDEN_FIGURES = ["75.0", "60.0% (112", "57.0% (45", "53.0% (45", "30.0% (6", "40.0% (30"]


@pytest.fixture
def outcomes(world):
    return outcome_world(world)


def csv_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode()


def test_the_small_group_and_the_cells_that_would_give_it_away_are_decided_hidden(outcomes, world):
    hidden = {
        (team, group): outcomes.value(getattr(world, team), group).hidden
        for team in ("building", "other_building", "district")
        for group in ("all", "female", "male", "el")
    }
    assert hidden == {
        ("building", "all"): "",
        ("building", "female"): SMALL,
        ("building", "male"): COMPLEMENTARY,
        ("building", "el"): COMPLEMENTARY,
        ("other_building", "all"): "",
        ("other_building", "female"): COMPLEMENTARY,
        ("other_building", "male"): COMPLEMENTARY,
        ("other_building", "el"): SMALL,
        ("district", "all"): "",
        ("district", "female"): "",
        ("district", "male"): "",
        ("district", "el"): "",
    }


def test_the_buildings_dashboard_shows_fewer_than_10_and_a_star_never_the_values(
    outcomes, world, client
):
    client.force_login(world.user("building"))
    page = client.get(reverse("datasystem:team-dashboard", args=[world.building.pk])).content
    page = page.decode()
    assert "61.0% (120 students)" in page
    assert "fewer than 10" in page and '<td class="suppressed">*</td>' in page
    for figure in HIDDEN_FIGURES:
        assert figure not in page, figure


def test_a_team_dashboard_kept_for_its_readers_shows_a_corrected_value_at_once(
    outcomes, world, client
):
    client.force_login(world.user("building"))
    url = reverse("datasystem:team-dashboard", args=[world.building.pk])
    assert "61.0% (120 students)" in client.get(url).content.decode()

    corrected = outcomes.value(world.building, "all")
    corrected.value = 64
    corrected.save()
    decide(OutcomeTable.objects.get(period=outcomes.latest))

    page = client.get(url).content.decode()
    assert "64.0% (120 students)" in page and "61.0% (120 students)" not in page


def test_a_small_group_is_never_in_the_dashboard_csv(outcomes, world, client):
    client.force_login(world.user("building"))
    text = csv_of(
        client, reverse("datasystem:team-chart-csv", args=[world.building.pk, "outcome-reading"])
    )
    rows = {row.split(",")[0]: row for row in text.splitlines() if row}
    assert rows["Female"].startswith("Female,")
    assert "fewer than 10" in rows["Female"] and "75" not in rows["Female"]
    assert rows["Male"].endswith(",*,")
    assert rows["All students"].endswith(",61.0,120")


def test_chart_data_carries_no_hidden_value(outcomes, world, client):
    client.force_login(world.user("building"))
    page = client.get(reverse("datasystem:team-dashboard", args=[world.building.pk])).content
    figures = re.search(r'id="outcome-reading-canvas" data-figures="([^"]+)"', page.decode())
    data = json.loads(figures.group(1).replace("&quot;", '"'))
    by_label = {series["label"]: series["data"] for series in data["series"]}
    assert by_label == {"All students": [57.0, 61.0], "Female": [59.0, None], "Male": [55.0, None]}


def test_the_zone_of_one_building_shows_only_what_the_building_shows(outcomes, world, client):
    client.force_login(world.user("smt"))
    text = csv_of(client, reverse("datasystem:chart-csv", args=["outcome-reading-groups"]))
    assert text.splitlines()[1:5] == [
        "All students,61.0,120,51.6,290",
        "Female,fewer than 10,,*,",
        "Male,*,,*,",
        "English learners,*,,*,",
    ]
    trend = csv_of(client, reverse("datasystem:chart-csv", args=["outcome-reading"]))
    assert "2025-26,61.0,120,51.6,290,54.3,410" in trend


def test_a_district_shows_its_buildings_all_students(outcomes, world, client):
    client.force_login(world.user("district"))
    text = csv_of(
        client, reverse("datasystem:team-chart-csv", args=[world.district.pk, "outcome-units"])
    )
    assert "Lincoln Elementary Team,61.0,120" in text or ",61.0,120" in text
    assert ",55.0,90" in text


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_a_suppressed_value_anywhere_it_may_go(role, outcomes, world, client):
    assert not rules.has_perm("datasystem.see_suppressed_value", world.user(role))
    client.force_login(world.user(role))
    for name in (
        "datasystem:index",
        "datasystem:detail",
        "datasystem:team-dashboard",
        "datasystem:chart-csv",
        "datasystem:team-chart-csv",
    ):
        row = MATRIX[name]
        if row.get[role] != OK:
            continue
        args = row.args(world)
        urls = [reverse(name, args=args)]
        if name == "datasystem:team-dashboard":
            urls += [
                reverse(name, args=[team.pk]) for team in (world.building, world.other_building)
            ]
        if name == "datasystem:chart-csv":
            urls.append(reverse(name, args=["outcome-reading-groups"]))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            body = (
                b"".join(response.streaming_content) if response.streaming else response.content
            ).decode()
            for figure in HIDDEN_FIGURES:
                assert figure not in body, f"{role} saw {figure} on {url}"


def test_a_table_decided_with_another_minimum_shows_nothing_until_decided_again(
    outcomes, world, client, settings
):
    settings.PORTAL_MINIMUM_CELL_SIZE = 100
    table = OutcomeTable.objects.get(period=outcomes.latest)
    # Pages ask for the tables to be decided again; until then, nothing of the table shows.
    from datasystem.dashboards import outcome_frame

    frame = outcome_frame()
    assert frame.shown(table.measure_id, table.period_id, 61, 120, "").label == "*"
    decide(table)
    client.force_login(world.user("building"))
    page = client.get(reverse("datasystem:team-dashboard", args=[world.building.pk]))
    page = page.content.decode()
    # Decided again: Maple's 90 students are now too few, and Lincoln's 120 would give
    # them away from the district's 210.
    assert "fewer than 100" in page
    assert "61.0% (120 students)" not in page
    assert outcomes.value(world.building, "all").hidden == COMPLEMENTARY
    assert outcomes.value(world.other_building, "all").hidden == SMALL


def test_a_team_entering_the_zone_hides_the_zone_until_its_aggregates_are_decided_again(
    outcomes, world, client, django_capture_on_commit_callbacks
):
    from datasystem.dashboards import zone_outcomes
    from datasystem.outcome_tables import current_zone_key

    world.other_building.zone_entered_on = world.building.zone_entered_on
    world.other_building.save()
    table = OutcomeTable.objects.get(period=outcomes.latest)
    assert table.zone_key != current_zone_key()
    client.force_login(world.user("smt"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("datasystem:index"))
    table.refresh_from_db()
    assert table.zone_key == current_zone_key()
    from datasystem.dashboards import outcome_frame

    trend, _ = zone_outcomes(outcome_frame())[0]
    # Lincoln and Maple now: (120 × 61 + 90 × 55) / 210.
    assert trend.rows[-1][1].text == "58.4% (210 students)"
