"""Selection protocols as data: read from a JSON or YAML file, checked before anything is
written. A protocol names its scale and its indicators, each with a key, a name and the
prompt raters consider; the Hexagon tool's first form and its later revision (program and
site indicators) are both protocols of this shape.

    name: Hexagon (program and site)
    description: ...
    scale: {min: 1, max: 5, labels: {"1": "Weak", "5": "Strong"}}
    indicators:
      - {key: evidence, name: Evidence, group: Program, prompt: "..."}
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from django.core.exceptions import ValidationError

# A file larger than this is not a protocol.
MAX_BYTES = 200_000
MAX_INDICATORS = 40
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LIMITS = {"name": 120, "group": 60, "prompt": 2_000}


def read_protocol(raw: bytes, filename: str = "") -> dict[str, Any]:
    """The protocol a file defines, checked; a ValidationError lists what is wrong."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // 1000} KB; is it a protocol?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            "The file is not UTF-8 text. Save it as UTF-8 and load it again."
        ) from error
    if "\x00" in text:
        raise ValidationError("The file holds NUL characters; it is not a text file.")
    data = _parse(text, filename)
    return check_protocol(data)


def _parse(text: str, filename: str) -> Any:
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"The JSON could not be read (line {error.lineno}, column {error.colno}: "
                f"{error.msg})."
            ) from error
    try:
        # safe_load builds plain data only: no objects from tags.
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ValidationError(f"The YAML could not be read{where}.") from error
    except (RecursionError, ValueError) as error:
        raise ValidationError("The YAML could not be read.") from error


def check_protocol(data: Any) -> dict[str, Any]:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError("A protocol is a mapping with a name, a scale and indicators.")
    name = _text(data.get("name"), "name", 150, problems, required=True)
    description = _text(data.get("description", ""), "description", 1_000, problems)
    scale = _scale(data.get("scale"), problems)
    indicators = _indicators(data.get("indicators"), problems)
    if problems:
        raise ValidationError(problems)
    return {"name": name, "description": description, "scale": scale, "indicators": indicators}


def _text(value: Any, what: str, limit: int, problems: list[str], *, required=False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        problems.append(f"The {what} must be text.")
        return ""
    value = " ".join(str(value).split()) if what != "prompt" else str(value).strip()
    if "\x00" in value:
        problems.append(f"The {what} holds a NUL character.")
    if required and not value:
        problems.append(f"The protocol has no {what}.")
    if len(value) > limit:
        problems.append(f"The {what} is longer than {limit:,} characters.")
    return value


def _scale(value: Any, problems: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        problems.append("The protocol has no scale: give its min and max, such as 1 and 5.")
        return {"min": 1, "max": 5, "labels": {}}
    low, high = value.get("min"), value.get("max")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
        problems.append("The scale's min and max must be whole numbers.")
        return {"min": 1, "max": 5, "labels": {}}
    if not (0 <= low < high <= 10):
        problems.append("The scale runs upwards within 0 to 10 (for example from 1 to 5).")
    labels = value.get("labels") or {}
    if not isinstance(labels, dict):
        problems.append("The scale's labels map each point to its meaning.")
        labels = {}
    clean_labels = {}
    for point, label in labels.items():
        if str(point) not in {str(n) for n in range(low, high + 1)}:
            problems.append(f"The scale has no point {point} to label.")
            continue
        clean_labels[str(point)] = _text(label, f"label of point {point}", 120, problems)
    return {"min": low, "max": high, "labels": clean_labels}


def _indicators(value: Any, problems: list[str]) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        problems.append("The protocol lists no indicators.")
        return []
    if len(value) > MAX_INDICATORS:
        problems.append(f"A protocol has at most {MAX_INDICATORS} indicators.")
        return []
    found, keys = [], set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            problems.append(f"Indicator {number} is not a mapping of key, name and prompt.")
            continue
        missing = [part for part in ("key", "name", "prompt") if not item.get(part)]
        if missing:
            problems.append(f"Indicator {number} has no {' or '.join(missing)}.")
            continue
        key = str(item["key"]).strip().lower()
        if not KEY.match(key):
            problems.append(
                f"Indicator {number}'s key {key[:40]!r} is not a short word of letters, "
                "digits, - or _."
            )
        elif key in keys:
            problems.append(f"Two indicators have the key {key}.")
        keys.add(key)
        entry = {"key": key}
        for part, limit in LIMITS.items():
            entry[part] = _text(
                item.get(part, ""), f"{part} of indicator {number}", limit, problems
            )
        found.append(entry)
    return found


def as_yaml(protocol) -> str:
    """A loaded protocol written back as YAML, to download and adapt."""
    data = {
        "name": protocol.name,
        "description": protocol.description,
        "scale": {
            "min": protocol.scale_min,
            "max": protocol.scale_max,
            "labels": protocol.scale_labels,
        },
        "indicators": [
            {"key": i.key, "name": i.name, "group": i.group, "prompt": i.prompt}
            for i in protocol.indicators.all()
        ],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
