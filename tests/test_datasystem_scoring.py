"""Assessments: the scoring arithmetic, the completion rule, read-only results with admin
corrections in the audit history, and wording kept per version."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from datasystem import selectors, services
from datasystem.models import Administration, InstrumentVersion, ItemScore
from teams.models import today

from . import factories
from .data_world import data_world

pytestmark = pytest.mark.django_db


def run(world, scores, *, days_ago=0, instrument=None):
    return factories.administration(
        team=world.district,
        instrument=instrument or factories.instrument(),
        facilitator=world.user("district"),
        participants=[world.user("district"), world.user("sts")],
        held_on=today() - timedelta(days=days_ago),
        scores=scores,
    )


def test_sections_and_total_are_percents_of_possible_points(world):
    done = run(world, {"lead-1": 2, "lead-2": 1, "data-1": 0, "data-2": 1})

    found = selectors.results(done)

    assert [(s.title, s.points, s.possible, s.percent) for s in found.sections] == [
        ("Leadership", 3, 4, 75.0),
        ("Data", 1, 4, 25.0),
    ]
    assert (found.points, found.possible, found.percent) == (4, 8, 50.0)
    assert done.total_percent == Decimal("50.0")


def test_items_not_applicable_count_in_neither_points_nor_possible(world):
    done = run(world, {"lead-1": 2, "lead-2": "na", "data-1": 1, "data-2": "na"})

    found = selectors.results(done)

    assert [(s.points, s.possible, s.percent) for s in found.sections] == [
        (2, 2, 100.0),
        (1, 2, 50.0),
    ]
    assert found.percent == 75.0 and done.total_percent == Decimal("75.0")


def test_a_section_with_every_item_not_applicable_has_no_percent(world):
    done = run(world, {"lead-1": "na", "lead-2": "na", "data-1": 1, "data-2": 1})

    leadership = selectors.results(done).sections[0]

    assert (leadership.possible, leadership.percent) == (0, None)


def test_results_compare_with_the_last_administration_and_flag_drops_and_lows(world):
    run(world, {"lead-1": 0, "lead-2": 2, "data-1": 1, "data-2": 2}, days_ago=400)
    run(world, {"lead-1": 0, "lead-2": 2, "data-1": 2, "data-2": 2}, days_ago=200)
    latest = run(world, {"lead-1": 0, "lead-2": 1, "data-1": 2, "data-2": 2})

    found = selectors.results(latest)

    assert found.previous_total == 75.0 and found.percent == 62.5 and found.change == -12.5
    by_key = {r.item.key: r for r in found.items}
    assert by_key["lead-1"].stayed_low and by_key["lead-1"].red_without_plan
    assert by_key["lead-2"].dropped and not by_key["lead-2"].low
    assert not by_key["data-1"].dropped and not by_key["data-1"].low
    assert [p["total"] for p in found.trend] == [62.5, 75.0, 62.5]
    assert found.sections[0].previous == 50.0 and found.sections[0].change == -25.0


def test_an_assessment_is_completed_only_when_every_item_has_a_score(world):
    started = run(world, {"lead-1": 2, "lead-2": 1})

    with pytest.raises(ValidationError, match="items 3, 4"):
        services.administration_complete(administration=started, by=world.user("district"))

    services.scores_record(
        administration=started,
        entries={
            started.version.items.get(key="data-1").pk: ("1", ""),
            started.version.items.get(key="data-2").pk: ("na", "We hold no such data."),
        },
        by=world.user("district"),
    )
    done = services.administration_complete(administration=started, by=world.user("district"))
    assert done.is_completed and done.total_percent == Decimal("66.7")


def test_only_the_facilitator_completes_it(world):
    started = run(world, {"lead-1": 2, "lead-2": 1, "data-1": 0})
    ItemScore.objects.create(
        administration=started,
        item=started.version.items.get(key="data-2"),
        score=1,
        recorded_by=world.user("district"),
    )
    with pytest.raises(PermissionDenied):
        services.administration_complete(administration=started, by=world.user("sts"))


def test_a_completed_assessment_is_read_only(world, client):
    done = data_world(world).completed
    item = done.version.items.get(key="lead-2")
    client.force_login(world.user("district"))

    assert client.get(f"/data/assessments/{done.pk}/scores/").status_code == 403
    posted = client.post(f"/data/assessments/{done.pk}/live/open/{item.pk}/")
    assert posted.status_code == 403
    with pytest.raises(PermissionDenied):
        services.scores_record(
            administration=done, entries={item.pk: ("2", "")}, by=world.user("district")
        )
    assert ItemScore.objects.get(administration=done, item=item).score == 0


def test_an_admin_corrects_a_completed_assessment_and_the_history_keeps_why(world, client):
    done = data_world(world).completed
    item = done.version.items.get(key="lead-2")
    client.force_login(world.user("admin"))
    before = client.get(f"/data/assessments/{done.pk}/").context["results"].percent
    assert before != 83.3

    response = client.post(
        f"/data/assessments/{done.pk}/items/{item.pk}/correct/",
        {"score": "2", "note": "", "reason": "The team scored it 2; typed 0."},
    )

    assert response.status_code == 302
    score = ItemScore.objects.get(administration=done, item=item)
    assert score.score == 2
    # The results page, kept between visits, shows the corrected total at once.
    assert client.get(f"/data/assessments/{done.pk}/").context["results"].percent == 83.3
    latest = score.history.latest()
    assert latest.history_change_reason == "Corrected by an admin: The team scored it 2; typed 0."
    assert latest.history_user == world.user("admin")
    done.refresh_from_db()
    # (2 + 2 + 1) of 6: the fourth item is not applicable.
    assert done.total_percent == Decimal("83.3")
    history = client.get(f"/settings/history/?kind=scores&object={score.pk}")
    assert history.status_code == 200


def test_a_correction_needs_a_reason(world, client):
    done = data_world(world).completed
    item = done.version.items.get(key="lead-2")
    client.force_login(world.user("admin"))

    response = client.post(
        f"/data/assessments/{done.pk}/items/{item.pk}/correct/", {"score": "2", "reason": " "}
    )

    assert response.status_code == 200 and "Please correct" in response.content.decode()
    assert ItemScore.objects.get(administration=done, item=item).score == 0


def test_rewording_a_used_item_makes_a_new_version_and_keeps_the_old_wording(world):
    data = data_world(world)
    item = data.instrument.latest_version().items.get(key="lead-1")
    old_prompt = item.prompt

    version = services.item_reword(
        item=item,
        prompt="The team has written and shared its terms of reference.",
        meanings=["Not yet", "Partly", "Fully"],
        by=world.user("admin"),
    )

    assert version.number == 2
    assert data.completed.version.items.get(key="lead-1").prompt == old_prompt
    assert version.items.get(key="lead-1").rubric[0] == {"score": 0, "meaning": "Not yet"}
    assert version.items.count() == 4 and version.sections.count() == 2
    # The next administration is given with the new wording; the results still compare
    # the same item across versions by its key.
    later = run(
        world, {"lead-1": 2, "lead-2": 2, "data-1": 2, "data-2": 2}, instrument=data.instrument
    )
    assert later.version == version
    found = selectors.results(later)
    assert found.items[0].previous is not None and found.items[0].previous.score == 2
    assert found.previous_total is not None


def test_rewording_an_unused_version_changes_it_in_place(world):
    instrument = factories.instrument(factories.STATE_INSTRUMENT)
    item = instrument.latest_version().items.get()

    services.item_reword(
        item=item,
        prompt="Clearer.",
        meanings=["a", "b", "c"],
        by=world.user("admin"),
    )

    assert InstrumentVersion.objects.filter(instrument=instrument).count() == 1
    item.refresh_from_db()
    assert item.prompt == "Clearer."


def test_only_admins_reword_instruments(world):
    item = data_world(world).instrument.latest_version().items.first()
    with pytest.raises(PermissionDenied):
        services.item_reword(item=item, prompt="x", meanings=["a", "b", "c"], by=world.user("sts"))


def test_a_team_starts_an_instrument_for_its_level_only(world):
    state = factories.instrument(factories.STATE_INSTRUMENT)
    with pytest.raises(ValidationError, match="for State, Regional teams"):
        services.administration_start(
            team=world.district,
            instrument=state,
            held_on=today(),
            facilitator=world.user("district"),
            participants=[world.user("district")],
            by=world.user("district"),
        )


def test_participants_come_from_the_team_and_its_sts(world):
    instrument = factories.instrument()
    with pytest.raises(ValidationError, match="Not on"):
        services.administration_start(
            team=world.building,
            instrument=instrument,
            held_on=today(),
            facilitator=world.user("building"),
            participants=[world.user("district")],
            by=world.user("building"),
        )
    started = services.administration_start(
        team=world.building,
        instrument=instrument,
        held_on=today(),
        facilitator=world.user("building"),
        participants=[world.user("building"), world.user("sts")],
        by=world.user("building"),
    )
    assert started.history.exists() and started.live.item is None
    assert Administration.objects.filter(team=world.building).count() == 1


def test_the_score_sheet_records_scores_and_notes_and_clears_one_set_back(world, client):
    data = data_world(world)
    client.force_login(world.user("district"))
    url = f"/data/assessments/{data.in_progress.pk}/scores/"

    client.post(url, {"score_lead-1": "2", "note_lead-1": "Shared with all.", "score_data-2": "na"})
    scores = {s.item.key: s for s in ItemScore.objects.filter(administration=data.in_progress)}
    assert (scores["lead-1"].score, scores["lead-1"].note) == (2, "Shared with all.")
    assert scores["data-2"].not_applicable

    client.post(url, {"score_lead-1": "2", "note_lead-1": "Shared with all.", "score_data-2": ""})
    assert not ItemScore.objects.filter(
        administration=data.in_progress, item__key="data-2"
    ).exists()


def test_a_note_without_a_score_is_refused_on_the_sheet(world, client):
    data = data_world(world)
    client.force_login(world.user("district"))
    response = client.post(
        f"/data/assessments/{data.in_progress.pk}/scores/", {"note_lead-1": "We talked."}
    )
    assert "Item 1: give a score with the note." in response.content.decode()
    assert not ItemScore.objects.filter(administration=data.in_progress).exists()


def test_a_team_member_starts_an_assessment_and_lands_in_the_live_session(world, client):
    instrument = factories.instrument()
    client.force_login(world.user("building"))
    response = client.post(
        f"/data/teams/{world.building.pk}/assessments/new/",
        {
            "instrument": instrument.pk,
            "held_on": today().isoformat(),
            "facilitator": world.user("building").pk,
            "participants": [world.user("building").pk, world.user("sts").pk],
        },
    )
    started = Administration.objects.get(team=world.building)
    assert response.status_code == 302 and response.url == f"/data/assessments/{started.pk}/live/"
    assert started.version == instrument.latest_version()
    assert set(started.participant_ids) == {world.user("building").pk, world.user("sts").pk}


def test_the_instruments_list_counts_each_given_and_a_new_one_at_once(world, client):
    data = data_world(world)
    client.force_login(world.user("smt"))

    def given() -> int:
        response = client.get("/data/instruments/")
        return {i.pk: i.given for i in response.context["instruments"]}[data.instrument.pk]

    before = given()
    assert before == Administration.objects.filter(instrument=data.instrument).count() > 0
    factories.administration(
        team=world.building, instrument=data.instrument, facilitator=world.user("building")
    )
    assert given() == before + 1
