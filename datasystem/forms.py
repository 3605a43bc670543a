"""The data system's forms: they own input validation; services keep the domain's rules."""

from __future__ import annotations

import re
from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from teams.forms import DateInput, PeopleChoiceField, PersonChoiceField, PortalModelForm
from teams.models import NOTE_LIMIT, Level, Team, User

from .importers import MAX_FILE_BYTES
from .models import (
    MAX_GROUPS,
    CoachingSession,
    ImportMode,
    Instrument,
    Item,
    Measure,
    Period,
    TrainingEvent,
)
from .outcome_import import MAX_UPLOAD_BYTES, FileProblem, check_header

NOT_APPLICABLE = ("na", "Not applicable")
# What may be pasted rather than uploaded: an instrument or a CSV of a few thousand rows.
MAX_PASTED = 200_000


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise ValidationError("Remove the NUL character.")
    return value


class TextOrFileForm(forms.Form):
    """An import: a file, or its text pasted (for people whose machines block uploads).
    Either way the same reader checks it."""

    file = forms.FileField(required=False, help_text="Choose the file to import.")
    text = forms.CharField(
        label="Or paste its contents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=MAX_PASTED,
    )
    accept = ".csv,text/csv"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = self.accept

    def clean(self) -> dict:
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload:
            if upload.size > 5 * MAX_FILE_BYTES:
                raise ValidationError({"file": "The file is over 5 MB."})
            try:
                data["content"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError({"file": "The file is not UTF-8 text."}) from error
            data["filename"] = upload.name
        elif text.strip():
            _no_nul(text)
            data["content"], data["filename"] = text, ""
        elif not self.errors:
            raise ValidationError("Choose a file, or paste its contents.")
        return data


class InstrumentImportForm(TextOrFileForm):
    accept = ".json,.yaml,.yml,application/json,application/yaml,text/yaml"


class CsvImportForm(TextOrFileForm):
    pass


class ItemWordingForm(forms.Form):
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1_000)
    note = forms.CharField(
        label="What changed and why", max_length=300, required=False,
        help_text="Kept with the new version.",
    )  # fmt: skip

    def __init__(self, *args, item: Item, **kwargs) -> None:
        super().__init__(*args, initial={"prompt": item.prompt}, **kwargs)
        for level in item.rubric:
            self.fields[f"meaning_{level['score']}"] = forms.CharField(
                label=f"What {level['score']} means", max_length=300, initial=level["meaning"]
            )
        self.item = item

    def clean_prompt(self) -> str:
        return _no_nul(self.cleaned_data["prompt"]).strip()

    def meanings(self) -> list[str]:
        return [_no_nul(self.cleaned_data[f"meaning_{lvl['score']}"]) for lvl in self.item.rubric]


class AdministrationForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none())
    held_on = forms.DateField(label="Date", widget=DateInput())
    facilitator = PersonChoiceField(queryset=User.objects.none())
    participants = PeopleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone who votes. The facilitator votes too only when ticked here.",
    )

    def __init__(self, *args, team: Team, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.for_level(team.level).order_by(
            "kind", "name"
        )
        self.fields["facilitator"].queryset = people
        self.fields["participants"].queryset = people

    def clean_held_on(self):
        from teams.models import within_date_window

        day = self.cleaned_data["held_on"]
        within_date_window(day)
        return day


def score_choices(item: Item) -> list[tuple[str, str]]:
    return [
        ("", "Not scored yet"),
        *((str(level["score"]), f"{level['score']}: {level['meaning']}") for level in item.rubric),
        NOT_APPLICABLE,
    ]


class ScoreSheetForm(forms.Form):
    """Every item of an administration: its score (or not applicable) and a note."""

    def __init__(self, *args, items: list[Item], scores: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            current = scores.get(item.pk)
            value = ""
            if current is not None:
                value = "na" if current.not_applicable else str(current.score)
            self.fields[f"score_{item.key}"] = forms.ChoiceField(
                label=f"Item {item.number} score",
                choices=score_choices(item),
                required=False,
                initial=value,
            )
            self.fields[f"note_{item.key}"] = forms.CharField(
                label=f"Item {item.number} note",
                required=False,
                max_length=NOTE_LIMIT,
                initial=current.note if current else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict:
        data = super().clean()
        for name, value in data.items():
            if name.startswith("note_"):
                _no_nul(value or "")
        return data

    def entries(self) -> dict[int, tuple[str, str]]:
        """{item id: (score, note)} of the items whose score or note changed."""
        changed = set(self.changed_data)
        return {
            item.pk: (
                self.cleaned_data.get(f"score_{item.key}") or "",
                (self.cleaned_data.get(f"note_{item.key}") or "").strip(),
            )
            for item in self.items
            if {f"score_{item.key}", f"note_{item.key}"} & changed
        }

    def rows(self):
        for item in self.items:
            yield item, self[f"score_{item.key}"], self[f"note_{item.key}"]


class ConsensusForm(forms.Form):
    score = forms.ChoiceField(label="The team's score", widget=forms.RadioSelect)
    note = forms.CharField(
        required=False, max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the team agreed, and why.",
    )  # fmt: skip

    def __init__(self, *args, item: Item, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = score_choices(item)[1:]

    def clean_note(self) -> str:
        return _no_nul(self.cleaned_data["note"])


class VoteForm(forms.Form):
    score = forms.TypedChoiceField(label="Your vote", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, item: Item, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [
            (str(level["score"]), f"{level['score']}: {level['meaning']}") for level in item.rubric
        ]


class CorrectionForm(ConsensusForm):
    reason = forms.CharField(
        max_length=300, help_text="Kept in the audit history with the correction."
    )

    def clean_reason(self) -> str:
        return _no_nul(self.cleaned_data["reason"])


class TrainingForm(PortalModelForm):
    attendees = PeopleChoiceField(
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="The team's members and STSs who attended.",
    )

    class Meta:
        model = TrainingEvent
        fields = ["innovation", "held_on", "trainer", "hours", "covered_essential_functions"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["hours"].widget.attrs["step"] = "0.5"


class CoachingForm(PortalModelForm):
    class Meta:
        model = CoachingSession
        fields = ["coach", "coachee", "held_on", "innovation", "focus", "minutes"]
        widgets = {"held_on": DateInput()}
        field_classes = {"coach": PersonChoiceField, "coachee": PersonChoiceField}

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = people
        self.fields["coachee"].queryset = people


# --- Outcomes ------------------------------------------------------------------------------

GROUP_LINE = re.compile(
    r"\A(?:(?P<partition>[a-z0-9][a-z0-9-]{0,39})\s*/\s*)?(?P<key>[a-z0-9][a-z0-9-]{0,39})"
    r"\s*:\s*(?P<label>\S.{0,99})\Z"
)


class MeasureForm(PortalModelForm):
    groups = forms.CharField(
        label="Student groups",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=3_000,
        help_text=(
            "All students are always reported. One group per line, as key: label, with its "
            "partition first when the groups of the partition add up to all students: "
            "sex/female: Female, sex/male: Male, race/black: Black, and el: English learners "
            f"for a group on its own. At most {MAX_GROUPS - 1} groups."
        ),
    )

    class Meta:
        model = Measure
        fields = ["name", "key", "unit", "good_direction", "lowest", "highest", "description"]
        widgets = {"good_direction": forms.RadioSelect, "description": forms.Textarea({"rows": 3})}
        help_texts = {
            "lowest": "Leave empty for the unit's own: 0 (percents, rates, counts, scores).",
            "highest": "Leave empty for the unit's own: 100 for a percent, 1,000 for a rate "
            "or a score.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lowest"].required = False
        self.fields["highest"].required = False
        if self.instance.pk:
            self.initial["groups"] = "\n".join(
                f"{g.partition + '/' if g.partition else ''}{g.key}: {g.label}"
                for g in self.instance.groups.filter(is_total=False).order_by("position")
            )

    def clean_name(self) -> str:
        return _no_nul(self.cleaned_data["name"]).strip()

    def clean_description(self) -> str:
        return _no_nul(self.cleaned_data["description"])

    def clean_groups(self) -> list:
        from .services import GroupDefinition

        definitions, problems = [], []
        for number, line in enumerate(_no_nul(self.cleaned_data["groups"]).splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            match = GROUP_LINE.match(line)
            if match is None:
                problems.append(
                    f"Line {number} ({line[:40]}): write it as key: label, or "
                    "partition/key: label, with lowercase letters, digits and dashes in keys."
                )
                continue
            definitions.append(
                GroupDefinition(match["key"], match["label"].strip(), match["partition"] or "")
            )
        if problems:
            raise ValidationError(problems)
        partitions = Counter(d.partition for d in definitions if d.partition)
        lonely = sorted(p for p, n in partitions.items() if n < 2)
        if lonely:
            raise ValidationError(
                f"A partition holds at least two groups that add up to all students: "
                f"{', '.join(lonely)} has one."
            )
        return definitions


class PeriodForm(PortalModelForm):
    class Meta:
        model = Period
        fields = ["key", "label", "starts_on"]
        widgets = {"starts_on": DateInput()}

    def clean_label(self) -> str:
        return _no_nul(self.cleaned_data["label"]).strip()


class OutcomeImportForm(forms.Form):
    """An outcome file to import, uploaded or pasted; its header is checked at once, its
    rows by the import."""

    file = forms.FileField(required=False, help_text="A CSV file, UTF-8.")
    text = forms.CharField(
        label="Or paste its contents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=MAX_PASTED,
    )
    mode = forms.ChoiceField(
        label="If some rows have problems",
        choices=ImportMode.choices,
        initial=ImportMode.WHOLE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean(self) -> dict:
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError({"file": "The file is over 50 MB: split it in parts."})
            first = _first_line(upload)
            data["upload"], data["file_name"] = upload, upload.name
        elif text.strip():
            _no_nul(text)
            first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
            data["upload"] = ContentFile(text.encode("utf-8"))
            data["file_name"] = ""
        elif not self.errors:
            raise ValidationError("Choose a file, or paste its contents.")
        else:
            return data
        try:
            check_header(first)
        except FileProblem as problem:
            raise ValidationError(str(problem)) from problem
        return data


def _first_line(upload) -> str:
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    if b"\x00" in head:
        raise ValidationError({"file": "The file holds a NUL character: is it really a CSV?"})
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of what was read is no error.
        try:
            text = head[:-3].decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError({"file": "The file is not UTF-8 text."}) from error
    return text.splitlines()[0] if text else ""


class HeatmapLevelForm(forms.Form):
    """Which level's teams the SMT's heat-map shows."""

    level = forms.ChoiceField(
        label="Teams of level",
        choices=[(v, label) for v, label in Level.choices],
        required=False,
    )
