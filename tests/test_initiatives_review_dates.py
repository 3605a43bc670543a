"""Review dates: the cycle counted from the last review, the decision's own interval,
month ends and fiscal-year edges, and the 60-day window of reviews due."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from initiatives import services
from initiatives.models import (
    Initiative,
    Review,
    add_months,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    next_review_after,
)
from teams.models import today

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 6, 30), 12, date(2027, 6, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
    ],
)
def test_months_are_added_to_the_months_end_at_most(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "start", "year"),
    [
        (date(2026, 6, 30), 7, 2026),
        (date(2026, 7, 1), 7, 2027),
        (date(2026, 12, 31), 7, 2027),
        (date(2027, 1, 1), 7, 2027),
        (date(2026, 9, 30), 10, 2026),
        (date(2026, 10, 1), 10, 2027),
        (date(2026, 12, 31), 1, 2026),
        (date(2027, 1, 1), 1, 2027),
    ],
)
def test_a_day_falls_in_the_fiscal_year_named_by_the_year_it_ends(day, start, year):
    assert fiscal_year_of(day, start) == year


def test_a_fiscal_year_runs_from_its_first_month_to_the_day_before_the_next():
    assert fiscal_year_bounds(2027, 7) == (date(2026, 7, 1), date(2027, 6, 30))
    assert fiscal_year_bounds(2027, 1) == (date(2027, 1, 1), date(2027, 12, 31))
    assert fiscal_year_bounds(2028, 10) == (date(2027, 10, 1), date(2028, 9, 30))
    assert fiscal_year_label(2027, 7) == "FY 2027 (2026–27)"


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("continue", date(2027, 6, 30)),
        ("expand", date(2027, 6, 30)),
        ("modify", date(2026, 12, 30)),
        ("consolidate", date(2026, 12, 30)),
        ("sunset", date(2026, 12, 30)),
    ],
)
def test_the_next_review_follows_from_the_decision(decision, expected):
    # Held on the last day of FY 2026: a yearly review falls on the last day of FY 2027.
    assert next_review_after(decision, date(2026, 6, 30), 12) == expected


def test_a_review_held_on_the_first_day_of_a_fiscal_year_is_next_due_a_year_on():
    held = date(2026, 7, 1)
    following = next_review_after("continue", held, 12)
    assert (fiscal_year_of(held, 7), fiscal_year_of(following, 7)) == (2027, 2028)


def test_without_a_review_the_cycle_counts_from_the_start():
    initiative = InitiativeFactory(started_on=date(2025, 2, 28), review_cycle_months=12)
    assert initiative.next_review_on == date(2026, 2, 28)
    assert initiative.last_reviewed_on is None


def _review(initiative, by, *, held_on, decision="continue", **extra) -> Review:
    return services.review_record(
        review=Review(
            initiative=initiative, held_on=held_on, decision=decision, rationale="Why.", **extra
        ),
        by=by,
    )


def test_a_decision_sets_the_status_and_the_next_review(world):
    initiative = InitiativeFactory(started_on=today() - timedelta(days=800))
    review = _review(initiative, world.user("smt"), held_on=today(), decision="expand")
    initiative.refresh_from_db()
    assert initiative.status == "scaling"
    assert initiative.last_reviewed_on == today()
    assert initiative.next_review_on == add_months(today(), 12) == review.next_review_on
    assert review.was_due_on == add_months(initiative.started_on, 12)


def test_a_review_recorded_late_does_not_undo_a_newer_decision(world):
    initiative = InitiativeFactory(started_on=today() - timedelta(days=800))
    _review(initiative, world.user("smt"), held_on=today() - timedelta(days=10), decision="sunset")
    _review(initiative, world.user("smt"), held_on=today() - timedelta(days=300))
    initiative.refresh_from_db()
    assert initiative.status == "sunsetting"
    assert initiative.next_review_on == add_months(today() - timedelta(days=10), 6)


def test_a_review_in_the_future_or_before_the_start_is_refused(world):
    initiative = InitiativeFactory(started_on=today() - timedelta(days=100))
    for held_on in (today() + timedelta(days=1), today() - timedelta(days=101)):
        with pytest.raises(ValidationError):
            _review(initiative, world.user("smt"), held_on=held_on)
    assert not Review.objects.exists()


def test_a_consolidation_names_another_running_initiative(world):
    initiative = InitiativeFactory(started_on=today() - timedelta(days=400))
    with pytest.raises(ValidationError, match="Choose another"):
        _review(
            initiative,
            world.user("smt"),
            held_on=today(),
            decision="consolidate",
            consolidate_with=initiative,
        )
    partner = InitiativeFactory()
    _review(
        initiative,
        world.user("smt"),
        held_on=today(),
        decision="consolidate",
        consolidate_with=partner,
    )
    initiative.refresh_from_db()
    assert initiative.status == "sunsetting"


def test_reviews_due_are_those_overdue_or_due_within_sixty_days(world):
    day = today()
    overdue = InitiativeFactory(started_on=add_months(day, -12) - timedelta(days=1))
    due = InitiativeFactory(started_on=add_months(day, -12) + timedelta(days=60))
    later = InitiativeFactory(started_on=add_months(day, -12) + timedelta(days=61))
    ended = InitiativeFactory(started_on=add_months(day, -24), status="ended")
    found = set(Initiative.objects.review_due(day))
    assert {overdue, due} <= found
    assert later not in found and ended not in found
    assert overdue.review_state(day) == "overdue"
    assert Initiative.objects.get(pk=due.pk).review_state(day) == "due"
    assert Initiative.objects.get(pk=later.pk).review_state(day) == "later"


def test_only_the_cabinet_and_sponsors_review(world):
    initiative = InitiativeFactory()
    for role in ("sts", "district", "admin"):
        with pytest.raises(Exception, match="not allowed"):
            _review(initiative, world.user(role), held_on=today())
    assert not Review.objects.exists()
