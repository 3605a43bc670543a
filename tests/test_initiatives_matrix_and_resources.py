"""The alignment matrix and the resource view: totals added up in the database, the same
on the page and in the CSV, and spreadsheet formulas never carried out."""

import csv
import io
from decimal import Decimal

import pytest

from initiatives import selectors
from initiatives.models import Initiative, InventorySettings
from initiatives.views.analysis import neutralised
from teams.models import User, today

from .factories import AlignmentFactory, FundingFactory, GoalFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def state(world):
    """Three goals (the third served by none), three running initiatives and an ended one."""
    reading, inclusion, families = (
        GoalFactory(number=1, title="Reading"),
        GoalFactory(number=2, title="Inclusion"),
        GoalFactory(number=3, title="Families"),
    )
    literacy = InitiativeFactory(name="Literacy", division=world.divisions["academics"])
    coaching = InitiativeFactory(name="Coaching", division=world.divisions["academics"])
    ramps = InitiativeFactory(name="Ramps", division=world.divisions["finance"])
    ended = InitiativeFactory(name="Old Grant", division=world.divisions["finance"], status="ended")
    AlignmentFactory(initiative=literacy, goal=reading, strength="primary")
    AlignmentFactory(initiative=literacy, goal=inclusion, strength="contributing")
    AlignmentFactory(initiative=coaching, goal=reading, strength="primary")
    AlignmentFactory(initiative=ended, goal=families, strength="primary")
    now = InventorySettings.current().fiscal_year()
    FundingFactory(initiative=literacy, fiscal_year=now, amount=Decimal("1000"), fte=Decimal("2"))
    FundingFactory(
        initiative=literacy, fiscal_year=now, source="federal", amount=Decimal("500"), fte=0
    )
    FundingFactory(initiative=literacy, fiscal_year=now + 1, amount=Decimal("1200"), fte=3)
    FundingFactory(initiative=coaching, fiscal_year=now, amount=Decimal("300"), fte=1)
    FundingFactory(initiative=ramps, fiscal_year=now, amount=Decimal("50"), fte=Decimal("0.5"))
    FundingFactory(initiative=ramps, fiscal_year=now - 1, amount=Decimal("9999"), fte=9)
    FundingFactory(initiative=ended, fiscal_year=now, amount=Decimal("7777"), fte=7)
    return {"goals": (reading, inclusion, families), "now": now, "literacy": literacy}


def test_the_matrix_counts_each_goal_and_shows_the_one_nobody_serves(state):
    columns = {c.goal.number: c for c in selectors.matrix_columns()}
    assert (columns[1].primary, columns[1].contributing) == (2, 0)
    assert (columns[2].primary, columns[2].contributing) == (0, 1)
    assert columns[3].total == 0  # only an ended initiative served it
    totals = selectors.matrix_totals()
    assert totals == {"initiatives": 3, "unaligned": 1, "alignments": 3}


def test_each_row_counts_the_goals_its_initiative_serves(state):
    columns = selectors.matrix_columns()
    initiatives = list(selectors.matrix_initiatives())
    assert [i.name for i in initiatives] == ["Ramps", "Coaching", "Literacy"]  # no goal first
    rows = {r["initiative"].name: r for r in selectors.matrix_rows(initiatives, columns)}
    assert rows["Literacy"]["cells"] == ["primary", "contributing", ""]
    assert rows["Literacy"]["total"] == 2
    assert rows["Ramps"]["total"] == 0


def test_the_matrix_page_reads_as_a_table_with_totals(state, client):
    client.force_login(_smt(state))
    page = client.get("/initiatives/alignment/").content.decode()
    assert "<caption>" in page and 'scope="row"' in page and 'scope="col"' in page
    assert "Goals no initiative serves" in page and "G3" in page
    assert "0: none" in page and "2 (2 + 0)" in page


def test_the_kept_matrix_takes_in_a_new_alignment_and_status_at_once(state, client):
    client.force_login(_smt(state))
    page = client.get("/initiatives/alignment/").content.decode()
    assert "0: none" in page and '<td class="cell-primary">Primary</td>' in page
    ramps = Initiative.objects.get(name="Ramps")

    AlignmentFactory(initiative=ramps, goal=state["goals"][2], strength="primary")
    page = client.get("/initiatives/alignment/").content.decode()
    assert "0: none" not in page and "1 (1 + 0)" in page

    ramps.status = "ended"
    ramps.save()
    assert selectors.matrix_summary().running == 2
    assert "0: none" in client.get("/initiatives/alignment/").content.decode()


def _smt(state):
    return User.objects.get(username="smt")


def test_resources_add_up_by_division_goal_and_initiative(state):
    view = selectors.resource_view()
    assert view.now == state["now"] and view.following == state["now"] + 1
    assert view.total.as_row() == [Decimal("1850"), Decimal("3.5"), Decimal("1200"), Decimal("3")]
    by_division = {name: money.as_row() for name, money in view.by_division}
    assert by_division["Academic Standards and Instruction"] == [1800, 3, 1200, 3]
    assert by_division["Finance and Operations"] == [Decimal("50"), Decimal("0.5"), 0, 0]
    by_goal = {(g.number if g else None, s): m.as_row() for g, s, m in view.by_goal}
    assert by_goal[(1, "Primary")] == [1800, 3, 1200, 3]
    assert by_goal[(2, "Contributing")] == [1500, 2, 1200, 3]
    assert by_goal[(3, "Primary")] == [0, 0, 0, 0]
    assert by_goal[(None, "Serving no current goal")] == [Decimal("50"), Decimal("0.5"), 0, 0]
    by_initiative = {i.name: selectors.money_of(i).as_row() for i in view.initiatives}
    assert by_initiative == {
        "Coaching": [300, 1, 0, 0],
        "Literacy": [1500, 2, 1200, 3],
        "Ramps": [Decimal("50"), Decimal("0.5"), 0, 0],
    }


def test_the_kept_sums_change_as_soon_as_money_goals_or_status_do(state):
    literacy, (reading, _, families) = state["literacy"], state["goals"]
    assert selectors.resource_view().total.as_row()[0] == Decimal("1850")

    FundingFactory(initiative=literacy, fiscal_year=state["now"], source="local", amount=150)
    assert selectors.resource_view().total.as_row()[0] == Decimal("2000")

    AlignmentFactory(initiative=literacy, goal=families, strength="contributing")
    by_goal = {(g.number if g else None, s): m for g, s, m in selectors.resource_view().by_goal}
    assert by_goal[(3, "Contributing")].as_row()[0] == Decimal("1650")

    literacy.status = "ended"
    literacy.save()
    assert selectors.resource_view().total.as_row()[0] == Decimal("350")

    reading.title = "Reading by grade three"
    reading.save()
    assert any(
        g and g.title == "Reading by grade three" for g, _, _ in selectors.resource_view().by_goal
    )


def test_the_fiscal_year_follows_the_agencys_start_month(state):
    InventorySettings.objects.create(fiscal_year_start_month=1)
    assert selectors.resource_view().now == today().year


def _csv_rows(client) -> list[list[str]]:
    response = client.get("/initiatives/resources.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_carries_the_pages_totals(state, client):
    client.force_login(_smt(state))
    rows = _csv_rows(client)
    assert rows[0][0] == "view" and "dollars" in rows[0][3]
    total = rows[-1]
    assert total[:2] == ["total", "All running initiatives"]
    assert [Decimal(v) for v in total[3:]] == [1850, Decimal("3.5"), 1200, 3]
    initiatives = [r for r in rows if r[0] == "by initiative"]
    assert sum(Decimal(r[3]) for r in initiatives) == Decimal("1850")
    divisions = [r for r in rows if r[0] == "by division"]
    assert sum(Decimal(r[5]) for r in divisions) == Decimal("1200")
    page = client.get("/initiatives/resources/").content.decode()
    assert "$1,850" in page and "$1,200" in page


def test_formula_cells_are_neutralised_in_the_csv(state, client):
    literacy = state["literacy"]
    literacy.name = '=HYPERLINK("http://evil.example","Click")'
    literacy.save()
    client.force_login(_smt(state))
    names = [r[1] for r in _csv_rows(client) if r[0] == "by initiative"]
    assert '\'=HYPERLINK("http://evil.example","Click")' in names
    assert all(not name.startswith(("=", "+", "-", "@")) for name in names)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1"])
def test_each_formula_start_is_neutralised(text):
    assert neutralised(text).startswith("'")


def test_numbers_and_plain_text_are_written_as_they_are():
    assert neutralised(Decimal("12.50")) == "12.50"
    assert neutralised("Literacy") == "Literacy"
    assert neutralised(None) == ""
