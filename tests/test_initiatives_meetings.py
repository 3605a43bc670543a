"""Decisions of the SMT about initiatives and candidates land in the meetings' decision
register; reviews due are offered for the SMT's agenda; action items come from reviews;
a team's page links to its innovations and stages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiatives import services
from initiatives.models import Affirmation, Review
from meetings.models import ActionItem, Decision
from meetings.registry import agenda_offers, linkable_for
from teams.models import today

from .factories import initiatives_world, rated
from .meetings_world import meetings_of

pytestmark = pytest.mark.django_db


def _review_payload(meeting, **extra) -> dict:
    return {
        "held_on": meeting.held_on.isoformat(),
        "meeting": str(meeting.pk),
        "decision": "modify",
        "rationale": "Narrow it to the Zone until fidelity holds.",
        **extra,
    }


def test_a_review_at_an_smt_meeting_lands_in_its_decision_register(world, client):
    w, m = initiatives_world(world), meetings_of(world)
    client.force_login(world.user("csso"))
    response = client.post(
        reverse("initiatives:review-new", args=[w.literacy.pk]), _review_payload(m.smt_held)
    )
    assert response.status_code == 302
    review = Review.objects.get(initiative=w.literacy)
    decision = review.recorded_decision
    assert decision.meeting == m.smt_held and decision.team == world.smt
    assert "Structured Literacy K-3: modify" in decision.text
    assert decision.review_on == review.next_review_on
    assert [e.target for e in decision.evidence.all()] == [review]
    register = client.get(reverse("meetings:decisions")).content.decode()
    assert "Structured Literacy K-3: modify" in register
    page = client.get(review.get_absolute_url()).content.decode()
    assert reverse("meetings:decision", args=[decision.pk]) in page


def test_someone_who_may_not_record_the_meetings_decisions_is_told_who_may(world, client):
    w, m = initiatives_world(world), meetings_of(world)
    # Sarah takes no meeting's minutes here.
    m.smt_next.note_taker = None
    m.smt_next.save()
    client.force_login(world.user("smt"))
    page = client.get(reverse("initiatives:review-new", args=[w.literacy.pk]))
    meeting = page.context["form"].fields["meeting"]
    assert not meeting.queryset.exists()
    assert "through its facilitator, its minute taker or the SMT's chair" in meeting.help_text
    before = Decision.objects.count()
    with pytest.raises(ValidationError, match=r"through its facilitator \(Carmen Ortiz\)"):
        services.review_record(
            review=Review(
                initiative=w.literacy,
                held_on=m.smt_held.held_on,
                meeting=m.smt_held,
                decision="modify",
                rationale="Narrow it.",
            ),
            by=world.user("smt"),
        )
    assert not Review.objects.filter(initiative=w.literacy).exists()
    assert Decision.objects.count() == before


def test_a_review_dated_off_the_meetings_day_is_refused(world, client):
    w, m = initiatives_world(world), meetings_of(world)
    client.force_login(world.user("csso"))
    response = client.post(
        reverse("initiatives:review-new", args=[w.literacy.pk]),
        _review_payload(m.smt_held, held_on=today().isoformat()),
    )
    assert "The meeting chosen was on" in response.content.decode()
    assert not Review.objects.filter(initiative=w.literacy).exists()


def test_only_the_smts_meetings_are_offered(world, client):
    w, m = initiatives_world(world), meetings_of(world)
    client.force_login(world.user("csso"))
    form = client.get(reverse("initiatives:review-new", args=[w.literacy.pk])).context["form"]
    offered = set(form.fields["meeting"].queryset)
    assert m.smt_held in offered and m.district_meeting not in offered


def test_adopting_a_candidate_at_a_meeting_records_the_decision(world):
    w, m = initiatives_world(world), meetings_of(world)
    candidate = services.candidate_decide(
        candidate=w.candidate,
        outcome="adopt",
        decided_on=m.smt_held.held_on,
        rationale="Strong need and evidence.",
        by=world.user("csso"),
        meeting=m.smt_held,
    )
    assert candidate.recorded_decision.text == "Selection of Check & Connect: adopt."
    assert candidate.initiative.is_innovation


def test_an_affirmation_names_the_meeting_it_was_made_at(world, client):
    initiatives_world(world)
    m = meetings_of(world)
    client.force_login(world.user("deputy"))
    wrong = client.post(
        reverse("initiatives:affirmation-new"),
        {"affirmed_on": today().isoformat(), "meeting": str(m.smt_held.pk)},
    )
    assert "The meeting chosen was on" in wrong.content.decode()
    right = client.post(
        reverse("initiatives:affirmation-new"),
        {"affirmed_on": m.smt_held.held_on.isoformat(), "meeting": str(m.smt_held.pk)},
    )
    assert right.status_code == 302
    assert Affirmation.objects.filter(meeting=m.smt_held).exists()


def test_an_action_item_comes_from_a_review(world, client):
    w = initiatives_world(world)
    client.force_login(world.user("sponsor"))
    response = client.post(
        reverse("initiatives:review-action", args=[w.review.pk]),
        {
            "what": "Gather the fidelity data by region.",
            "owner": str(world.user("smt").pk),
            "due_on": (today() + timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(what="Gather the fidelity data by region.")
    assert item.origin == w.review and item.team == world.smt
    assert (
        "Gather the fidelity data by region."
        in client.get(w.review.get_absolute_url()).content.decode()
    )


def test_reviews_due_are_offered_for_the_smts_next_meeting_only(world):
    w, m = initiatives_world(world), meetings_of(world)
    offer = agenda_offers["initiative-reviews-due"]
    offered = offer.offered(m.smt_next)
    assert w.literacy in offered  # started years ago, never reviewed: overdue
    assert w.inclusion not in offered  # reviewed 100 days ago
    assert offer.offered(m.district_meeting) == []
    assert offer.offered(m.smt_held) == []


def test_initiatives_reviews_and_candidates_may_be_linked_from_meetings(world):
    w = initiatives_world(world)
    for record in (w.literacy, w.review, w.candidate, w.version):
        assert linkable_for(record) is not None
        assert record.get_absolute_url()


def test_a_teams_page_links_to_its_innovations_and_stages(world, client):
    initiatives_world(world)
    client.force_login(world.user("building"))
    page = client.get(reverse("teams:team", args=[world.district.pk])).content.decode()
    assert reverse("initiatives:team-stages", args=[world.district.pk]) in page
    stages = client.get(reverse("initiatives:team-stages", args=[world.district.pk]))
    assert "Structured Literacy K-3" in stages.content.decode()
    assert "2. Installation" in stages.content.decode()


def test_a_rated_candidate_shows_in_the_comparison(world, client):
    w = initiatives_world(world)
    rated(w.candidate, world.user("smt"), [5, 1, 4])
    client.force_login(world.user("district"))
    page = client.get(reverse("initiatives:compare")).content.decode()
    assert "Check &amp; Connect" in page and "disagree" in page


def test_the_smts_minute_taker_records_a_review_in_the_register(world, client):
    w, m = initiatives_world(world), meetings_of(world)
    m.smt_held.note_taker = world.user("smt")
    m.smt_held.save()
    client.force_login(world.user("smt"))
    response = client.post(
        reverse("initiatives:review-new", args=[w.literacy.pk]), _review_payload(m.smt_held)
    )
    assert response.status_code == 302
    decision = Review.objects.get(initiative=w.literacy).recorded_decision
    assert decision.meeting == m.smt_held and decision.recorded_by == world.user("smt")
    assert (
        "Structured Literacy K-3: modify"
        in client.get(reverse("meetings:decisions")).content.decode()
    )
