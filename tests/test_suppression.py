"""Small-cell suppression, by hand-worked examples (datasystem/suppression.py)."""

from decimal import Decimal

import pytest

from datasystem.suppression import COMPLEMENTARY, SMALL, Cell, shown_table, suppress

SEX = {"female": "sex", "male": "sex"}
RACE = {"asian": "race", "black": "race", "hispanic": "race", "white": "race"}


def cells(unit, **groups):
    return [Cell(unit, group, count, Decimal(value)) for group, (count, value) in groups.items()]


def test_a_value_behind_fewer_students_than_the_minimum_is_hidden_as_small():
    table = cells("lincoln", all=(120, "61.0"), english_learners=(7, "40.0"))
    assert suppress(table, minimum=10, total_group="all") == {
        ("lincoln", "english_learners"): SMALL
    }


def test_exactly_the_minimum_is_shown():
    assert suppress(cells("lincoln", all=(10, "50")), minimum=10) == {}


def test_the_other_half_of_a_partition_is_hidden_or_subtraction_recovers_the_small_one():
    # all 120 at 61%, female 8 at 75%: male (112) would give 120*61 - 112*m = 8*f.
    table = cells("lincoln", all=(120, "61.0"), female=(8, "75.0"), male=(112, "60.0"))
    assert suppress(table, minimum=10, total_group="all", partitions=SEX) == {
        ("lincoln", "female"): SMALL,
        ("lincoln", "male"): COMPLEMENTARY,
    }


def test_the_next_smallest_group_of_the_partition_is_the_one_hidden_beside_it():
    table = cells(
        "lincoln",
        all=(200, "55"),
        asian=(6, "70"),
        black=(40, "50"),
        hispanic=(25, "52"),
        white=(129, "56"),
    )
    assert suppress(table, minimum=10, total_group="all", partitions=RACE) == {
        ("lincoln", "asian"): SMALL,
        ("lincoln", "hispanic"): COMPLEMENTARY,
    }


def test_two_small_groups_in_a_partition_protect_each_other():
    table = cells(
        "lincoln",
        all=(200, "55"),
        asian=(6, "70"),
        black=(4, "50"),
        hispanic=(61, "52"),
        white=(129, "56"),
    )
    assert suppress(table, minimum=10, total_group="all", partitions=RACE) == {
        ("lincoln", "asian"): SMALL,
        ("lincoln", "black"): SMALL,
    }


def test_a_group_outside_any_partition_needs_no_complement():
    table = cells(
        "lincoln", all=(120, "61"), english_learners=(7, "40"), female=(60, "62"), male=(60, "60")
    )
    hidden = suppress(table, minimum=10, total_group="all", partitions=SEX)
    assert hidden == {("lincoln", "english_learners"): SMALL}


def test_a_small_building_is_protected_from_its_district_and_its_siblings():
    # The district's 300 students are its three buildings: the 5 at Oak could be recovered
    # from the district and the other two, so the smaller of those is hidden as well.
    table = [
        Cell("district", "all", 300, Decimal("60")),
        Cell("oak", "all", 5, Decimal("20")),
        Cell("elm", "all", 95, Decimal("58")),
        Cell("pine", "all", 200, Decimal("62")),
    ]
    parents = {"oak": "district", "elm": "district", "pine": "district"}
    assert suppress(table, minimum=10, parents=parents) == {
        ("oak", "all"): SMALL,
        ("elm", "all"): COMPLEMENTARY,
    }


def test_hiding_in_one_direction_is_followed_in_the_other_until_nothing_can_be_recovered():
    # Oak's female cell is small. Its group line needs Oak's male hidden and the district's
    # female line needs Elm's female hidden; each of those leaves one hidden cell on a line
    # the other way (the male line, Elm's group line), so Elm's male goes too.
    table = [
        *cells("district", all=(200, "60"), female=(100, "61"), male=(100, "59")),
        *cells("oak", all=(50, "50"), female=(4, "40"), male=(46, "51")),
        *cells("elm", all=(150, "63"), female=(96, "62"), male=(54, "64")),
    ]
    hidden = suppress(
        table,
        minimum=10,
        total_group="all",
        partitions=SEX,
        parents={"oak": "district", "elm": "district"},
    )
    assert hidden == {
        ("oak", "female"): SMALL,
        ("oak", "male"): COMPLEMENTARY,
        ("elm", "male"): COMPLEMENTARY,
        ("elm", "female"): COMPLEMENTARY,
    }
    # Every line now holds zero or at least two hidden cells.
    lines = [
        [("oak", "female"), ("oak", "male"), ("oak", "all")],
        [("elm", "female"), ("elm", "male"), ("elm", "all")],
        [("district", "female"), ("district", "male"), ("district", "all")],
        [("oak", "female"), ("elm", "female"), ("district", "female")],
        [("oak", "male"), ("elm", "male"), ("district", "male")],
        [("oak", "all"), ("elm", "all"), ("district", "all")],
    ]
    assert all(sum(key in hidden for key in line) != 1 for line in lines)


def test_when_nothing_else_is_left_on_the_line_the_total_is_hidden():
    table = [
        Cell("district", "all", 12, Decimal("60")),
        Cell("oak", "all", 3, Decimal("20")),
        Cell("elm", "all", 9, Decimal("70")),
    ]
    hidden = suppress(table, minimum=10, parents={"oak": "district", "elm": "district"})
    assert hidden == {("oak", "all"): SMALL, ("elm", "all"): SMALL}
    # A line of one member: the member is small, the total is all that is left to hide.
    lonely = [Cell("district", "all", 30, Decimal("60")), Cell("oak", "all", 3, Decimal("20"))]
    assert suppress(lonely, minimum=10, parents={"oak": "district"}) == {
        ("oak", "all"): SMALL,
        ("district", "all"): COMPLEMENTARY,
    }


def test_shown_table_drops_the_value_and_count_of_every_hidden_cell():
    table = cells("lincoln", all=(120, "61.0"), female=(8, "75.0"), male=(112, "60.0"))
    shown = shown_table(table, minimum=10, total_group="all", partitions=SEX)
    assert shown["lincoln", "all"].value == Decimal("61.0") and shown["lincoln", "all"].count == 120
    assert (shown["lincoln", "female"].value, shown["lincoln", "female"].count) == (None, None)
    assert shown["lincoln", "female"].label == "fewer than 10"
    assert (shown["lincoln", "male"].value, shown["lincoln", "male"].label) == (None, "*")
    assert "worked out" in shown["lincoln", "male"].explanation


@pytest.mark.parametrize("minimum", [1, 5, 10, 30])
def test_the_minimum_is_the_agencys(minimum):
    table = cells("lincoln", all=(200, "50"), female=(20, "40"), male=(180, "51"))
    hidden = suppress(table, minimum=minimum, total_group="all", partitions=SEX)
    assert bool(hidden) == (minimum > 20)


def test_the_minimum_defaults_to_the_setting(settings):
    settings.PORTAL_MINIMUM_CELL_SIZE = 25
    table = cells("lincoln", all=(200, "50"), english_learners=(20, "40"))
    assert suppress(table) == {("lincoln", "english_learners"): SMALL}
