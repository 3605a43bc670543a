"""Selection protocols are data: loaded from JSON or YAML, refused whole when any part is
wrong, with a message that says what, and nothing written."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from initiatives.models import Indicator, SelectionProtocol
from initiatives.protocols import read_protocol

from .bad_input import EXAMPLES

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Hexagon (program and site)",
    "scale": {"min": 1, "max": 5, "labels": {"1": "Weak", "5": "Strong"}},
    "indicators": [
        {"key": "evidence", "name": "Evidence", "group": "Program", "prompt": "How strong?"},
        {"key": "need", "name": "Need", "group": "Site", "prompt": "What need?"},
    ],
}


def test_a_protocol_reads_from_json_and_from_yaml():
    from_json = read_protocol(json.dumps(GOOD).encode(), "p.json")
    yaml_text = (
        "name: Hexagon (program and site)\nscale: {min: 1, max: 5, labels: {1: Weak, 5: Strong}}\n"
        "indicators:\n  - key: evidence\n    name: Evidence\n    group: Program\n"
        "    prompt: How strong?\n  - key: need\n    name: Need\n    group: Site\n"
        "    prompt: What need?\n"
    )
    assert read_protocol(yaml_text.encode(), "p.yaml") == from_json


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"indicators": []}, "lists no indicators"),
        ({"indicators": None}, "lists no indicators"),
        ({"indicators": [{"key": "need", "name": "Need"}]}, "Indicator 1 has no prompt"),
        ({"indicators": [{"name": "Need", "prompt": "?"}]}, "Indicator 1 has no key"),
        ({"indicators": [GOOD["indicators"][0], GOOD["indicators"][0]]}, "Two indicators"),
        ({"indicators": ["need"]}, "Indicator 1 is not a mapping"),
        ({"scale": None}, "no scale"),
        ({"scale": {"min": 5, "max": 1}}, "runs upwards"),
        ({"scale": {"min": 1, "max": 50}}, "runs upwards"),
        ({"scale": {"min": "one", "max": 5}}, "whole numbers"),
        ({"scale": {"min": 1, "max": 5, "labels": {"9": "Huge"}}}, "no point 9"),
        ({"name": ""}, "has no name"),
        ({"name": "x" * 200}, "longer than"),
    ],
)
def test_a_protocol_with_a_missing_or_wrong_part_is_refused_with_a_message(change, message):
    with pytest.raises(ValidationError) as refused:
        read_protocol(json.dumps(GOOD | change).encode(), "p.json")
    assert message in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "JSON could not be read"),
        (b"name: [unclosed", "YAML could not be read"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"- just\n- a list\n", "is a mapping"),
        (b"!!python/object/apply:os.system ['true']", "YAML could not be read"),
        (b"a" * 300_000, "larger than"),
    ],
)
def test_an_unreadable_file_is_refused(raw, message):
    with pytest.raises(ValidationError, match=message):
        read_protocol(raw, "protocol.yaml")


def _upload(client, raw: bytes, name: str = "protocol.yaml"):
    return client.post(
        "/initiatives/protocols/load/", {"file": SimpleUploadedFile(name, raw)}, format="multipart"
    )


def test_an_admin_loads_a_protocol_file_and_edits_its_wording(world, client):
    client.force_login(world.user("admin"))
    response = _upload(client, json.dumps(GOOD).encode(), "hexagon.json")
    protocol = SelectionProtocol.objects.get()
    assert response.status_code == 302 and response.url == protocol.get_absolute_url()
    assert [i.key for i in protocol.indicators.all()] == ["evidence", "need"]
    need = Indicator.objects.get(key="need")
    client.post(
        f"/initiatives/indicators/{need.pk}/edit/",
        {"name": "Need", "group": "Site", "prompt": "Which need do our data show?"},
    )
    need.refresh_from_db()
    assert need.prompt == "Which need do our data show?"
    assert need.history.count() == 2


def test_the_demo_protocol_files_load(world, client):
    from initiatives.demo import PROTOCOL_FILES

    client.force_login(world.user("admin"))
    for path in sorted(PROTOCOL_FILES.glob("*.yaml")):
        assert _upload(client, path.read_bytes(), path.name).status_code == 302
    assert SelectionProtocol.objects.count() == 2
    assert Indicator.objects.count() == 12


def test_a_protocol_with_a_missing_indicator_changes_nothing(world, client):
    client.force_login(world.user("admin"))
    broken = GOOD | {"indicators": [GOOD["indicators"][0], {"key": "need", "name": "Need"}]}
    response = _upload(client, json.dumps(broken).encode(), "broken.json")
    assert response.status_code == 200
    assert "Indicator 2 has no prompt" in response.content.decode()
    assert not SelectionProtocol.objects.exists() and not Indicator.objects.exists()


def test_only_admins_load_protocols(world, client):
    client.force_login(world.user("csso"))
    assert _upload(client, json.dumps(GOOD).encode()).status_code == 403
    assert not SelectionProtocol.objects.exists()


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 50) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _broken_definitions():
    """A good protocol with one part replaced by something random, or random data."""
    part = st.sampled_from(["name", "scale", "indicators", "description"])
    replaced = st.builds(lambda key, value: json.dumps(GOOD | {key: value}), part, JSONISH)
    indicator = st.builds(
        lambda value: json.dumps(GOOD | {"indicators": [GOOD["indicators"][0], value]}), JSONISH
    )
    return replaced | indicator | JSONISH.map(json.dumps)


@EXAMPLES
@given(text=_broken_definitions(), as_yaml=st.booleans())
def test_generated_protocol_files_never_crash_and_write_nothing_unless_sound(
    text, as_yaml, world, client
):
    client.force_login(world.user("admin"))
    before = (SelectionProtocol.objects.count(), Indicator.objects.count())
    response = _upload(client, text.encode(), "p.yaml" if as_yaml else "p.json")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "Please correct" in response.content.decode()
        assert (SelectionProtocol.objects.count(), Indicator.objects.count()) == before
    else:
        SelectionProtocol.objects.all().delete()


@EXAMPLES
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_protocol_file_are_refused(raw, world, client):
    client.force_login(world.user("admin"))
    response = _upload(client, raw)
    assert response.status_code in (200, 302)
    SelectionProtocol.objects.all().delete()
