"""The live consensus session: each participant votes from their own device, votes stay
hidden until everyone has voted or the facilitator reveals them, and the facilitator
records the team's score with the spread of the votes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasystem import selectors
from datasystem.models import ItemScore, LiveRound, Vote

from .bad_input import EXAMPLES, database_state
from .data_world import data_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world, client):
    data = data_world(world)
    administration = data.in_progress
    item = data.item("lead-1")

    def as_(role):
        client.force_login(world.user(role))
        return client

    as_("district").post(f"/data/assessments/{administration.pk}/live/open/{item.pk}/")
    return administration, item, as_


def test_votes_are_hidden_until_everyone_has_voted(world, session):
    administration, item, as_ = session
    as_("district").post(f"/data/assessments/{administration.pk}/live/vote/", {"score": "2"})

    page = as_("sts").get(f"/data/assessments/{administration.pk}/live/").content.decode()
    assert "Votes: 1 of 2, hidden until everyone has voted" in page
    assert "Dana Reyes: voted" in page and "<strong>2</strong>" not in page

    as_("sts").post(f"/data/assessments/{administration.pk}/live/vote/", {"score": "1"})
    page = as_("district").get(f"/data/assessments/{administration.pk}/live/").content.decode()
    assert "Votes: 2 of 2, shown" in page
    assert "Dana Reyes: <strong>2</strong>" in page and "Tina Alvarez: <strong>1</strong>" in page


def test_the_facilitator_reveals_and_records_the_consensus_with_its_spread(world, session):
    administration, item, as_ = session
    as_("sts").post(f"/data/assessments/{administration.pk}/live/vote/", {"score": "1"})
    as_("district").post(f"/data/assessments/{administration.pk}/live/reveal/")
    state = selectors.live_state(administration, world.user("district"))
    assert state.shown and state.spread == [(0, 0), (1, 1), (2, 0)]

    response = as_("district").post(
        f"/data/assessments/{administration.pk}/live/record/",
        {"consensus-score": "1", "consensus-note": "Written, not yet shared."},
    )

    assert response.status_code == 302
    score = ItemScore.objects.get(administration=administration, item=item)
    assert (score.score, score.note, score.spread) == (
        1,
        "Written, not yet shared.",
        {"0": 0, "1": 1, "2": 0},
    )
    # The session moves on to the next item without a score.
    assert LiveRound.objects.get(administration=administration).item.key == "lead-2"


def test_only_participants_vote_and_only_the_facilitator_leads(world, session):
    administration, item, as_ = session
    assert (
        as_("smt")
        .post(f"/data/assessments/{administration.pk}/live/vote/", {"score": "1"})
        .status_code
        == 403
    )
    assert as_("sts").post(f"/data/assessments/{administration.pk}/live/reveal/").status_code == 403
    assert as_("building").get(f"/data/assessments/{administration.pk}/live/").status_code == 404
    assert not Vote.objects.filter(voter=world.user("smt")).exists()


def test_the_polled_fragment_is_204_until_the_session_moves(world, session):
    administration, item, as_ = session
    url = f"/data/assessments/{administration.pk}/live/state/"
    step = LiveRound.objects.get(administration=administration).step

    assert as_("sts").get(url, {"step": step}).status_code == 204
    as_("district").post(f"/data/assessments/{administration.pk}/live/vote/", {"score": "0"})
    moved = as_("sts").get(url, {"step": step})
    assert moved.status_code == 200 and "1 of 2" in moved.content.decode()
    assert 'hx-swap-oob="innerHTML"' in moved.content.decode()


def test_a_participant_who_lost_the_connection_rejoins_where_the_team_is(world, session):
    administration, item, as_ = session
    as_("district").post(f"/data/assessments/{administration.pk}/live/vote/", {"score": "2"})
    page = as_("district").get(f"/data/assessments/{administration.pk}/live/").content.decode()
    assert "Item 1 of 4" in page and "Your vote: 2" in page


def test_a_vote_after_the_votes_are_shown_is_refused(world, session):
    administration, item, as_ = session
    as_("district").post(f"/data/assessments/{administration.pk}/live/reveal/")
    response = as_("sts").post(
        f"/data/assessments/{administration.pk}/live/vote/", {"score": "1"}, follow=True
    )
    assert "The votes are already shown" in response.content.decode()
    assert not Vote.objects.filter(voter=world.user("sts")).exists()


@EXAMPLES
@given(
    action=st.sampled_from(["vote", "record"]),
    body=st.dictionaries(
        st.sampled_from(["score", "consensus-score", "consensus-note", "x"]),
        st.one_of(
            st.text(max_size=20), st.sampled_from(["-1", "3", "na", "2.0", "\x00", "9" * 30])
        ),
        max_size=3,
    ),
)
def test_bad_votes_and_records_never_crash_or_write(world, client, action, body):
    from django.db import transaction

    data = data_world(world)
    client.force_login(world.user("district"))
    client.post(f"/data/assessments/{data.in_progress.pk}/live/open/{data.item('lead-1').pk}/")
    valid = {"0", "1", "2"} | ({"na"} if action == "record" else set())
    key = "score" if action == "vote" else "consensus-score"
    if body.get(key) in valid:
        body[key] = "7"
    savepoint = transaction.savepoint()
    try:
        before = database_state()
        response = client.post(f"/data/assessments/{data.in_progress.pk}/live/{action}/", body)
        assert response.status_code == 302
        after = database_state()
        assert {k for k in before if before[k] != after[k]} <= {"datasystem_liveround"}
    finally:
        transaction.savepoint_rollback(savepoint)
