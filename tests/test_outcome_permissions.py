"""Who may do what with outcomes and the dashboards, per role (datasystem/rules.py): the
cabinet, sponsors and admins read the whole state's dashboard; teams read their own and
those below; admins define measures and import; nobody sees a suppressed value."""

import pytest
import rules

from .world import ROLES

pytestmark = pytest.mark.django_db

WHOLE_STATE = {"csso", "deputy", "smt", "sponsor", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_the_rules_say_with_outcomes(role, world):
    user = world.user(role)
    allowed = {
        perm
        for perm in (
            "datasystem.read_state_dashboard",
            "datasystem.define_measures",
            "datasystem.import_outcomes",
            "datasystem.read_measures",
            "datasystem.see_suppressed_value",
        )
        if rules.has_perm(perm, user)
    }
    expected = {"datasystem.read_measures"}
    if role in WHOLE_STATE:
        expected.add("datasystem.read_state_dashboard")
    if role == "admin":
        expected |= {"datasystem.define_measures", "datasystem.import_outcomes"}
    assert allowed == expected


@pytest.mark.parametrize(
    ("role", "team", "reads"),
    [
        ("district", "district", True),
        ("district", "building", True),  # below their team
        ("district", "far_district", False),
        ("building", "building", True),
        ("building", "district", False),  # above their team
        ("sts", "district", True),
        ("smt", "far_building", True),
        ("sponsor", "far_district", True),
    ],
)
def test_teams_read_their_own_dashboard_and_those_below(role, team, reads, world):
    assert rules.has_perm("datasystem.read_team_data", world.user(role), getattr(world, team)) is (
        reads
    )
