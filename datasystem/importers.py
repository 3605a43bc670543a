"""Reading instrument files (JSON or YAML) and CSV files of training and coaching.

Every reader checks the whole input and reports every problem it finds, each by where it
is (a path such as `sections[1].items[0].prompt` in an instrument, a line number in a CSV),
before anything is written: an import writes all of it or nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from teams.models import Level, date_window

from .models import PROMPT_LIMIT, Kind

MAX_FILE_BYTES = 1_000_000
KEY = re.compile(r"\A[a-z0-9][a-z0-9-]{0,59}\Z")
DEFAULT_RUBRIC = [
    {"score": 0, "meaning": "Not in place"},
    {"score": 1, "meaning": "Partly in place"},
    {"score": 2, "meaning": "Fully in place"},
]
# The fields an instrument file may hold, at the top and in each section and item.
TOP_FIELDS = {
    "key",
    "name",
    "kind",
    "description",
    "levels",
    "due_every_days",
    "innovation",
    "threshold",
    "demo",
    "rubric",
    "sections",
}
SECTION_FIELDS = {"key", "title", "items"}
ITEM_FIELDS = {"key", "prompt", "rubric"}


class ImportProblems(ValidationError):
    """Every problem of one file, each a line of its own."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            problems[:50] + ([f"… and {len(problems) - 50} more."] if len(problems) > 50 else [])
        )
        self.problems = problems


# --- Instruments -----------------------------------------------------------------------------


@dataclass
class ItemDefinition:
    key: str
    prompt: str
    rubric: list[dict[str, Any]]

    @property
    def max_score(self) -> int:
        return max(level["score"] for level in self.rubric)


@dataclass
class SectionDefinition:
    key: str
    title: str
    items: list[ItemDefinition] = field(default_factory=list)


@dataclass
class InstrumentDefinition:
    key: str
    name: str
    kind: str
    description: str
    levels: list[str]
    due_every_days: int
    innovation: str
    threshold: int | None
    is_demo: bool
    sections: list[SectionDefinition]

    def wording(self) -> list[tuple[str, str, list[tuple[str, str, list]]]]:
        """What a version holds, to tell whether a new file changes it."""
        return [
            (s.key, s.title, [(i.key, i.prompt, i.rubric) for i in s.items]) for s in self.sections
        ]


def parse_instrument(text: str, *, filename: str = "") -> InstrumentDefinition:
    """The instrument a JSON or YAML text defines, or ImportProblems with every problem."""
    if "\x00" in text:
        raise ImportProblems(["The file holds a NUL character: is it really a text file?"])
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        raise ImportProblems(["The file is over 1 MB: an instrument is far smaller."])
    data = _load(text, filename)
    problems: list[str] = []
    definition = _instrument(data, problems)
    if problems:
        raise ImportProblems(problems)
    return definition


def _load(text: str, filename: str) -> Any:
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportProblems(
                [
                    f"The JSON cannot be read: {error.msg} at line {error.lineno}, "
                    f"column {error.colno}."
                ]  # fmt: skip
            ) from error
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "it is not valid YAML"
        raise ImportProblems([f"The YAML cannot be read: {problem}{where}."]) from error


def _instrument(data: Any, problems: list[str]) -> InstrumentDefinition:
    if not isinstance(data, dict):
        problems.append("(top): the file must hold one instrument: a mapping with key, name, "
                        "kind and sections.")  # fmt: skip
        return None  # type: ignore[return-value]
    _unknown(data, TOP_FIELDS, "", problems)
    key = _key(data, "key", "", problems)
    name = _text(data, "name", "", problems, limit=200)
    kind = data.get("kind", Kind.CAPACITY)
    if kind not in Kind.values:
        problems.append(f"kind: must be one of {', '.join(Kind.values)}, not {kind!r}.")
    levels = data.get("levels", [])
    if not isinstance(levels, list) or not levels:
        problems.append(f"levels: list the team levels it applies to ({', '.join(Level.values)}).")
        levels = []
    for n, level in enumerate(levels):
        if level not in Level.values:
            problems.append(f"levels[{n}]: {level!r} is not a team level "
                            f"({', '.join(Level.values)}).")  # fmt: skip
    due = data.get("due_every_days", 182)
    if not isinstance(due, int) or isinstance(due, bool) or not 7 <= due <= 1096:
        problems.append("due_every_days: a whole number of days between 7 and 1096.")
        due = 182
    innovation = _text(data, "innovation", "", problems, limit=150, required=kind == Kind.FIDELITY)
    threshold = data.get("threshold")
    if kind == Kind.FIDELITY:
        if (
            not isinstance(threshold, int)
            or isinstance(threshold, bool)
            or not 1 <= threshold <= 100
        ):
            problems.append("threshold: a fidelity instrument needs a threshold, a whole "
                            "percent between 1 and 100.")  # fmt: skip
            threshold = None
    elif threshold is not None:
        problems.append("threshold: only fidelity instruments have a threshold.")
        threshold = None
    demo = data.get("demo", False)
    if not isinstance(demo, bool):
        problems.append("demo: true or false.")
        demo = False
    description = _text(data, "description", "", problems, limit=2000, required=False)
    default_rubric = (
        _rubric(data["rubric"], "rubric", problems) if "rubric" in data else DEFAULT_RUBRIC
    )
    sections = _sections(data.get("sections"), default_rubric, problems)
    return InstrumentDefinition(
        key=key,
        name=name,
        kind=kind,
        description=description,
        levels=list(levels),
        due_every_days=due,
        innovation=innovation,
        threshold=threshold,
        is_demo=demo,
        sections=sections,
    )


def _sections(raw: Any, default_rubric, problems: list[str]) -> list[SectionDefinition]:
    if not isinstance(raw, list) or not raw:
        problems.append("sections: list the instrument's sections, each with its items.")
        return []
    sections, section_keys, item_keys = [], set(), set()
    for s, section in enumerate(raw):
        where = f"sections[{s}]"
        if not isinstance(section, dict):
            problems.append(f"{where}: a section is a mapping with key, title and items.")
            continue
        _unknown(section, SECTION_FIELDS, where, problems)
        key = _key(section, "key", where, problems)
        if key and key in section_keys:
            problems.append(f"{where}.key: {key!r} is used by another section.")
        section_keys.add(key)
        definition = SectionDefinition(key, _text(section, "title", where, problems, limit=200))
        items = section.get("items")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}.items: list the section's items.")
            items = []
        for i, item in enumerate(items):
            at = f"{where}.items[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{at}: an item is a mapping with key and prompt.")
                continue
            _unknown(item, ITEM_FIELDS, at, problems)
            item_key = _key(item, "key", at, problems)
            if item_key and item_key in item_keys:
                problems.append(f"{at}.key: {item_key!r} is used by another item.")
            item_keys.add(item_key)
            prompt = _text(item, "prompt", at, problems, limit=PROMPT_LIMIT)
            rubric = (
                _rubric(item["rubric"], f"{at}.rubric", problems)
                if "rubric" in item
                else default_rubric
            )
            definition.items.append(ItemDefinition(item_key, prompt, rubric))
        sections.append(definition)
    if len(item_keys) > 300:
        problems.append("sections: at most 300 items in one instrument.")
    return sections


def _rubric(raw: Any, where: str, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.append(f"{where}: list at least two scores, each with what it means.")
        return DEFAULT_RUBRIC
    levels, seen = [], set()
    for n, level in enumerate(raw):
        at = f"{where}[{n}]"
        if not isinstance(level, dict):
            problems.append(f"{at}: a score is a mapping with score and meaning.")
            continue
        _unknown(level, {"score", "meaning"}, at, problems)
        score = level.get("score")
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
            problems.append(f"{at}.score: a whole number from 0 to 10.")
            continue
        if score in seen:
            problems.append(f"{at}.score: {score} is given twice.")
        seen.add(score)
        levels.append({"score": score, "meaning": _text(level, "meaning", at, problems, limit=300)})
    if levels and 0 not in seen:
        problems.append(f"{where}: the scores start at 0.")
    return sorted(levels, key=lambda level: level["score"])


def _unknown(data: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    for name in data:
        if name not in allowed:
            at = f"{where}.{name}" if where else str(name)
            problems.append(f"{at}: not a field of an instrument file here "
                            f"(expected {', '.join(sorted(allowed))}).")  # fmt: skip


def _key(data: dict, name: str, where: str, problems: list[str]) -> str:
    value = data.get(name)
    at = f"{where}.{name}" if where else name
    if not isinstance(value, str) or not KEY.match(value):
        problems.append(f"{at}: required, lowercase letters, digits and dashes (at most 60).")
        return ""
    return value


def _text(
    data: dict, name: str, where: str, problems: list[str], *, limit: int, required=True
) -> str:
    value = data.get(name, "")
    at = f"{where}.{name}" if where else name
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f"{at}: must be text.")
        return ""
    value = value.strip()
    if "\x00" in value:
        problems.append(f"{at}: holds a NUL character.")
        return ""
    if required and not value:
        problems.append(f"{at}: required.")
    if len(value) > limit:
        problems.append(f"{at}: at most {limit:,} characters (it has {len(value):,}).")
    return value


# --- CSV of training and coaching ---------------------------------------------------------------

TRAINING_COLUMNS = [
    "team_code",
    "innovation",
    "date",
    "trainer",
    "hours",
    "essential_functions",
    "attendees",
]
COACHING_COLUMNS = ["team_code", "date", "coach", "coachee", "innovation", "focus", "minutes"]
MAX_CSV_ROWS = 5_000
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def read_csv(text: str, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV text with these columns, each with its line number."""
    if "\x00" in text:
        raise ImportProblems(["The file holds a NUL character: is it really a CSV file?"])
    if len(text.encode("utf-8", "replace")) > 5 * MAX_FILE_BYTES:
        raise ImportProblems(["The file is over 5 MB: split it into smaller files."])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        raise ImportProblems([f"Line 1: the header cannot be read ({error})."]) from error
    missing = [name for name in columns if name not in header]
    if missing:
        raise ImportProblems(
            [
                f"Line 1: the header lacks the column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} (expected {', '.join(columns)})."
            ]  # fmt: skip
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                raise ImportProblems([f"Line {reader.line_num}: more cells than columns."])
            cells = {name: (row.get(name) or "").strip() for name in columns}
            if any(cells.values()):
                rows.append((reader.line_num, cells))
            if len(rows) > MAX_CSV_ROWS:
                raise ImportProblems([f"More than {MAX_CSV_ROWS:,} rows: split the file."])
    except csv.Error as error:
        raise ImportProblems([f"Line {reader.line_num}: {error}."]) from error
    if not rows:
        raise ImportProblems(["The file has a header but no rows."])
    return rows


def read_date(value: str, line: int, problems: list[str]) -> date | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"Line {line}: date {value!r} is not a date like 2026-03-14.")
        return None
    earliest, latest = date_window()
    if not earliest <= day <= latest:
        problems.append(f"Line {line}: date {value} lies outside {earliest} to {latest}.")
        return None
    return day


def read_number(value: str, line: int, name: str, low, high, problems: list[str]) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        problems.append(f"Line {line}: {name} {value!r} is not a number.")
        return None
    if not number.is_finite() or not low <= number <= high:
        problems.append(f"Line {line}: {name} must be between {low} and {high}.")
        return None
    return number


def read_flag(value: str, line: int, name: str, problems: list[str]) -> bool:
    lowered = value.lower()
    if lowered in YES:
        return True
    if lowered not in NO:
        problems.append(f"Line {line}: {name} {value!r} is not yes or no.")
    return False


def read_text(
    value: str, line: int, name: str, limit: int, problems: list[str], *, required=True
) -> str:
    if required and not value:
        problems.append(f"Line {line}: {name} is empty.")
    elif len(value) > limit:
        problems.append(f"Line {line}: {name} is over {limit} characters.")
    return value
