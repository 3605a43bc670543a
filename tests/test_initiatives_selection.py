"""Innovation selection: private ratings until submitted, the arithmetic of the summary
(means, spread), raters only where chosen, and adoption into the inventory."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives import selectors, services
from initiatives.models import Candidate, Initiative, RatingSheet, SelectionRating
from teams.models import today

from .factories import protocol_with_indicators, rated

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(world):
    protocol = protocol_with_indicators("need", "fit", "evidence")
    candidate = Candidate.objects.create(
        name="Check & Connect",
        description="Mentoring for students at risk.",
        division=world.divisions["special"],
        protocol=protocol,
        proposed_by=world.user("csso"),
    )
    candidate.raters.set([world.user(r) for r in ("csso", "deputy", "smt", "sponsor")])
    return candidate


def test_means_and_spreads_come_from_the_submitted_sheets(candidate, world):
    rated(candidate, world.user("csso"), [5, 2, 4])
    rated(candidate, world.user("deputy"), [5, 4, 4])
    rated(candidate, world.user("smt"), [4, 5, 3])
    rated(candidate, world.user("sponsor"), [1, 1, 1], submitted=False)  # a private draft
    summary = selectors.selection_summary(candidate)
    need, fit, evidence = summary.indicators
    assert (need.mean, need.low, need.high, need.spread) == (pytest.approx(14 / 3), 4, 5, 1)
    assert (fit.mean, fit.spread) == (pytest.approx(11 / 3), 3)
    assert (evidence.mean, evidence.spread) == (pytest.approx(11 / 3), 1)
    assert fit.deviation == pytest.approx(1.2472, abs=1e-3)
    assert summary.mean == pytest.approx((14 / 3 + 11 / 3 + 11 / 3) / 3)
    assert summary.total == pytest.approx(12)
    assert (summary.submitted, summary.chosen) == (3, 4)
    assert summary.most_disputed[0].indicator.key == "fit"
    assert {s.rater.username for s in summary.sheets} == {"csso", "deputy", "smt"}


def test_a_summary_with_no_submitted_sheet_has_no_scores(candidate, world):
    rated(candidate, world.user("smt"), [3, 3, 3], submitted=False)
    summary = selectors.selection_summary(candidate)
    assert summary.submitted == 0 and summary.mean is None
    assert all(i.spread is None for i in summary.indicators)


def _scores(candidate, *values):
    return {i.pk: (v, "") for i, v in zip(candidate.protocol.indicators.all(), values, strict=True)}


def test_a_rater_saves_a_draft_then_submits_and_may_not_change_it(candidate, world):
    smt = world.user("smt")
    sheet = services.ratings_save(
        candidate=candidate, rater=smt, scores=_scores(candidate, 3, 3, 3), submit=False
    )
    assert sheet.submitted_at is None
    services.ratings_save(
        candidate=candidate, rater=smt, scores=_scores(candidate, 4, 3, 2), submit=True
    )
    assert list(sheet.ratings.order_by("indicator__order").values_list("score", flat=True)) == [
        4,
        3,
        2,
    ]
    with pytest.raises(ValidationError, match="no longer change"):
        services.ratings_save(
            candidate=candidate, rater=smt, scores=_scores(candidate, 1, 1, 1), submit=True
        )


@pytest.mark.parametrize("score", [0, 6, 99])
def test_a_score_outside_the_scale_is_refused_and_nothing_is_written(candidate, world, score):
    with pytest.raises(ValidationError, match="Scores run from 1 to 5"):
        services.ratings_save(
            candidate=candidate,
            rater=world.user("smt"),
            scores=_scores(candidate, 3, score, 3),
            submit=True,
        )
    assert not SelectionRating.objects.exists() and not RatingSheet.objects.exists()


def test_only_the_chosen_raters_rate(candidate, world):
    for role in ("sts", "admin", "building"):
        with pytest.raises(PermissionDenied):
            services.ratings_save(
                candidate=candidate,
                rater=world.user(role),
                scores=_scores(candidate, 3, 3, 3),
                submit=True,
            )


def test_a_rater_sees_the_others_scores_only_after_submitting(candidate, world, client):
    rated(candidate, world.user("deputy"), [5, 1, 4])
    client.force_login(world.user("smt"))
    page = client.get(candidate.get_absolute_url())
    assert page.context["holds_back"] and page.context["summary"] is None
    rated(candidate, world.user("smt"), [4, 5, 3])
    page = client.get(candidate.get_absolute_url())
    assert not page.context["holds_back"] and page.context["summary"].submitted == 2
    # Someone who does not rate sees the submitted sheets at once.
    client.force_login(world.user("building"))
    assert client.get(candidate.get_absolute_url()).context["summary"].submitted == 2


def test_a_draft_stays_private(candidate, world, client):
    rated(candidate, world.user("deputy"), [1, 1, 1], submitted=False)
    client.force_login(world.user("csso"))
    rated(candidate, world.user("csso"), [5, 5, 5])
    summary = client.get(candidate.get_absolute_url()).context["summary"]
    assert [s.rater.username for s in summary.sheets] == ["csso"]


def test_adopting_makes_a_proposed_innovation_without_retyping(candidate, world):
    rated(candidate, world.user("deputy"), [4, 4, 5])
    decided = services.candidate_decide(
        candidate=candidate,
        outcome="adopt",
        decided_on=today(),
        rationale="Strong on need.",
        by=world.user("smt"),
    )
    initiative = decided.initiative
    assert initiative.name == "Check & Connect"
    assert initiative.status == "proposed" and initiative.is_innovation
    assert initiative.division == candidate.division
    assert initiative.purpose == candidate.description
    assert "mean score 4.3 of 5" in initiative.evidence_base
    assert initiative.next_review_on is not None
    with pytest.raises(ValidationError, match="already recorded"):
        services.candidate_decide(
            candidate=candidate,
            outcome="do_not_adopt",
            decided_on=today(),
            rationale="Changed our minds.",
            by=world.user("smt"),
        )


def test_nothing_is_adopted_before_anyone_has_submitted(candidate, world):
    with pytest.raises(ValidationError, match="rate the candidate before adopting"):
        services.candidate_decide(
            candidate=candidate,
            outcome="adapt",
            decided_on=today(),
            rationale="Looks good.",
            by=world.user("smt"),
        )
    assert not Initiative.objects.exists()
    candidate.refresh_from_db()
    assert candidate.is_open


def test_an_outcome_in_the_future_is_refused(candidate, world):
    with pytest.raises(ValidationError):
        services.candidate_decide(
            candidate=candidate,
            outcome="gather_more",
            decided_on=today() + timedelta(days=3),
            rationale="Later.",
            by=world.user("smt"),
        )


def test_a_rater_who_submitted_stays_a_rater(candidate, world):
    rated(candidate, world.user("deputy"), [3, 3, 3])
    with pytest.raises(ValidationError, match="already submitted"):
        services.candidate_save(
            candidate=candidate, raters=[world.user("smt")], by=world.user("csso")
        )
    assert candidate.raters.count() == 4


def test_the_comparison_sets_candidates_side_by_side(candidate, world, client):
    other = Candidate.objects.create(
        name="Good Behavior Game",
        description="A classroom game.",
        division=world.divisions["special"],
        protocol=candidate.protocol,
        proposed_by=world.user("csso"),
    )
    other.raters.set([world.user("smt")])
    rated(candidate, world.user("deputy"), [5, 1, 4])
    rated(candidate, world.user("smt"), [5, 5, 4])
    rated(other, world.user("smt"), [2, 3, 4])
    client.force_login(world.user("smt"))
    response = client.get(
        f"/initiatives/selection/compare/?candidate={candidate.pk}&candidate={other.pk}"
    )
    rows = response.context["rows"]
    fit = rows[1]["cells"]
    assert [c.spread for c in fit] == [4, 0]
    assert "disagree" in response.content.decode()
