"""Imports: an instrument file (JSON or YAML) with every problem reported by its path, and
CSV files of training and coaching with every problem reported by its line; nothing is
written unless the whole file is right."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datasystem.importers import ImportProblems, parse_instrument
from datasystem.models import CoachingSession, Instrument, Item, TrainingEvent
from teams.models import today

from .data_world import data_world
from .factories import DISTRICT_INSTRUMENT

pytestmark = pytest.mark.django_db

GOOD = {
    "key": "imported-capacity",
    "name": "Imported Capacity Check",
    "kind": "capacity",
    "levels": ["district"],
    "sections": [
        {
            "key": "one",
            "title": "One",
            "items": [{"key": "one-1", "prompt": "First."}, {"key": "one-2", "prompt": "Second."}],
        }
    ],
}


def test_every_problem_of_an_instrument_file_is_reported_by_its_path():
    broken = json.loads(json.dumps(GOOD))
    broken["levels"] = ["county"]
    broken["sections"][0]["items"][1]["prompt"] = ""
    broken["sections"][0]["items"].append({"key": "one-1", "prompt": "Again."})

    with pytest.raises(ImportProblems) as raised:
        parse_instrument(json.dumps(broken))

    assert raised.value.problems == [
        "levels[0]: 'county' is not a team level (state, regional, district, building).",
        "sections[0].items[1].prompt: required.",
        "sections[0].items[2].key: 'one-1' is used by another item.",
    ]


def test_a_fidelity_instrument_needs_its_innovation_and_threshold():
    with pytest.raises(ImportProblems) as raised:
        parse_instrument(json.dumps(GOOD | {"kind": "fidelity"}))
    assert [p.split(":")[0] for p in raised.value.problems] == ["innovation", "threshold"]


@pytest.mark.parametrize(
    "text",
    ["", "[1, 2", "key: [unclosed", "- just\n- a list", "\x00", "name: x\n" * 3, "{}"],
)
def test_unreadable_files_are_refused_with_a_message(text):
    with pytest.raises(ImportProblems) as raised:
        parse_instrument(text)
    assert raised.value.problems


def test_an_admin_imports_a_file_with_two_errors_then_a_good_one(world, client):
    client.force_login(world.user("admin"))
    broken = DISTRICT_INSTRUMENT.replace("levels: [district, building]", "levels: [county]")
    broken = broken.replace("prompt: Members have protected time.", "prompt: ''")
    upload = SimpleUploadedFile("district.yaml", broken.encode(), content_type="application/yaml")

    response = client.post("/data/instruments/import/", {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200 and "nothing was imported" in page
    assert "levels[0]: &#x27;county&#x27; is not a team level" in page
    assert "sections[0].items[1].prompt: required." in page
    assert not Instrument.objects.exists() and not Item.objects.exists()

    good = SimpleUploadedFile("district.yaml", DISTRICT_INSTRUMENT.encode())
    response = client.post("/data/instruments/import/", {"file": good})

    instrument = Instrument.objects.get(key="test-district-capacity")
    assert response.status_code == 302 and response.url == f"/data/instruments/{instrument.pk}/"
    assert instrument.latest_version().items.count() == 4
    assert instrument.history.count() == 1


def test_importing_the_same_file_again_changes_nothing_and_a_changed_one_versions(world, client):
    client.force_login(world.user("admin"))
    client.post("/data/instruments/import/", {"text": DISTRICT_INSTRUMENT})
    client.post("/data/instruments/import/", {"text": DISTRICT_INSTRUMENT})
    instrument = Instrument.objects.get()
    assert instrument.versions.count() == 1

    changed = DISTRICT_INSTRUMENT.replace("protected time.", "protected time each week.")
    client.post("/data/instruments/import/", {"text": changed})
    assert [v.number for v in instrument.versions.all()] == [2, 1]


def test_only_admins_import_instruments(world, client):
    client.force_login(world.user("sts"))
    assert (
        client.post("/data/instruments/import/", {"text": DISTRICT_INSTRUMENT}).status_code == 403
    )
    assert not Instrument.objects.exists()


def csv_text(
    *rows: str, header="team_code,innovation,date,trainer,hours,essential_functions,attendees"
):
    return "\n".join([header, *rows]) + "\n"


def test_a_training_csv_is_imported_whole(world, client):
    data_world(world)
    day = (today() - timedelta(days=5)).isoformat()
    client.force_login(world.user("sts"))

    response = client.post(
        "/data/training/import/",
        {
            "text": csv_text(
                f"LK-CEDAR,structured literacy,{day},Regional trainers,6,yes,district;sts",
                f"lk-cedar,structured literacy,{day},Regional trainers,1.5,no,DISTRICT",
            )
        },
    )

    assert response.status_code == 302
    events = TrainingEvent.objects.filter(held_on=day).order_by("hours")
    assert [(e.hours, e.attendees.count()) for e in events] == [(1.5, 1), (6, 2)]
    assert events[0].history.exists()


def test_every_bad_row_of_a_training_csv_is_reported_and_nothing_written(world, client):
    data_world(world)
    before = TrainingEvent.objects.count()
    day = (today() - timedelta(days=5)).isoformat()
    client.force_login(world.user("sts"))

    response = client.post(
        "/data/training/import/",
        {
            "text": csv_text(
                f"LK-CEDAR,structured literacy,{day},Regional trainers,6,yes,district",
                "LK-NOWHERE,structured literacy,2024-02-30,Regional trainers,99,maybe,nobody",
                f"LK-CEDAR,,{day},Regional trainers,abc,yes,",
            )
        },
    )

    page = response.content.decode()
    assert response.status_code == 200 and "nothing was imported" in page
    for problem in (
        "Line 3: no team with state code &#x27;LK-NOWHERE&#x27; that you may record for.",
        "Line 3: date &#x27;2024-02-30&#x27; is not a date",
        "Line 3: hours must be between 0.5 and 80.",
        "Line 3: essential_functions &#x27;maybe&#x27; is not yes or no.",
        "Line 3: attendee &#x27;nobody&#x27; is not the username of anyone here.",
        "Line 4: innovation is empty.",
        "Line 4: hours &#x27;abc&#x27; is not a number.",
        "Line 4: attendees is empty",
    ):
        assert problem in page, problem
    assert TrainingEvent.objects.count() == before


def test_an_sts_imports_only_for_the_teams_they_support(world, client):
    data_world(world)
    world.far_district.code = "LK-FAR"
    world.far_district.save()
    client.force_login(world.user("sts"))
    day = (today() - timedelta(days=5)).isoformat()

    response = client.post(
        "/data/training/import/",
        {"text": csv_text(f"LK-FAR,structured literacy,{day},Trainers,6,yes,district")},
    )

    assert "Line 2: no team with state code" in response.content.decode()
    assert not TrainingEvent.objects.filter(team=world.far_district).exists()


def test_a_coaching_csv_needs_the_right_header(world, client):
    data_world(world)
    client.force_login(world.user("sts"))
    response = client.post("/data/coaching/import/", {"text": "team,date\nLK-CEDAR,2026-01-01\n"})
    assert "Line 1: the header lacks the columns" in response.content.decode()


def test_a_coaching_csv_is_imported_whole(world, client):
    data_world(world)
    before = CoachingSession.objects.count()
    day = (today() - timedelta(days=2)).isoformat()
    client.force_login(world.user("sts"))
    header = "team_code,date,coach,coachee,innovation,focus,minutes"

    bad = client.post(
        "/data/coaching/import/",
        {
            "text": csv_text(
                f"LK-CEDAR,{day},sts,,literacy,groups,45",
                f"LK-CEDAR,{day},sts,,literacy,groups,4",
                header=header,
            )
        },
    )
    assert "Line 3: minutes must be between 5 and 600." in bad.content.decode()
    assert CoachingSession.objects.count() == before

    good = client.post(
        "/data/coaching/import/",
        {"text": csv_text(f"LK-CEDAR,{day},sts,,literacy,groups,45", header=header)},
    )
    assert good.status_code == 302 and CoachingSession.objects.count() == before + 1
