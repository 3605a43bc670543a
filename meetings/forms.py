from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone

from teams.forms import DateInput, PersonChoiceField, PortalModelForm
from teams.models import User, within_date_window

from .models import (
    ActionItem,
    AgendaItem,
    Decision,
    Effect,
    Fidelity,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Presence,
    Problem,
    SelfCheck,
    Solution,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _people(members: list[User] | None):
    if members is None:
        return User.objects.filter(is_active=True).order_by("last_name", "first_name")
    return User.objects.filter(pk__in=[m.pk for m in members]).order_by("last_name", "first_name")


def https_urls(field, **kwargs):
    """Addresses typed without a scheme are taken as https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class SeriesForm(PortalModelForm):
    class Meta:
        formfield_callback = https_urls
        model = MeetingSeries
        fields = [
            "name",
            "format",
            "quorum_kind",
            "quorum_value",
            "usual_place",
            "usual_link",
            "usual_start",
            "usual_length",
        ]
        widgets = {"usual_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean(self):
        data = super().clean()
        if data.get("quorum_kind") == "share" and (data.get("quorum_value") or 0) > 100:
            self.add_error("quorum_value", "A share of members is at most 100 percent.")
        return data


class MeetingForm(PortalModelForm):
    """Scheduling or editing a meeting: the roles are chosen from the team's members."""

    class Meta:
        formfield_callback = https_urls
        model = Meeting
        fields = [
            "starts_at",
            "length",
            "place",
            "video_link",
            "facilitator",
            "note_taker",
            "data_analyst",
        ]
        widgets = {"starts_at": DateTimeInput()}
        labels = {"note_taker": "Minute taker"}

    def __init__(self, *args, members: list[User], problem_solving: bool, with_status=False, **kw):
        super().__init__(*args, **kw)
        for role in ("facilitator", "note_taker", "data_analyst"):
            self.fields[role] = PersonChoiceField(
                queryset=_people(None),
                required=False,
                label=self.fields[role].label,
            )
            self.fields[role].queryset = _people(members + _current_roles(self.instance))
        if not problem_solving:
            del self.fields["data_analyst"]
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                choices=MeetingStatus.choices, initial=self.instance.status
            )

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        within_date_window(timezone.localtime(starts_at).date())
        return starts_at

    def save(self, commit=True):
        meeting = super().save(commit=False)
        if "status" in self.cleaned_data:
            meeting.status = self.cleaned_data["status"]
        return meeting


def _current_roles(meeting: Meeting) -> list[User]:
    """Keep a role's holder choosable even after they left the team."""
    return [
        person
        for person in (
            getattr(meeting, f"{role}", None) if meeting.pk else None
            for role in ("facilitator", "note_taker", "data_analyst")
        )
        if person is not None
    ]


class AgendaItemForm(PortalModelForm):
    # The agenda (or the item) as the person saw it: a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "presenter", "allotted"]

    def __init__(self, *args, members: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"] = PersonChoiceField(
            queryset=_people(members), required=False, label="Presenter"
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=4_000,
        help_text="What was said and agreed. Up to 4,000 characters.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgendaVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(AgendaVersionForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class OfferForm(AgendaVersionForm):
    kind = forms.CharField(max_length=60)
    record = forms.IntegerField(min_value=1)


class AttendanceForm(forms.Form):
    """One row per current member: present, absent or represented (and by whom)."""

    def __init__(self, *args, members: list[User], attendance: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        people = _people(None)
        for person in members:
            record = attendance.get(person.pk)
            self.fields[f"presence_{person.pk}"] = forms.ChoiceField(
                label=str(person),
                choices=[("", "Not recorded")] + list(Presence.choices),
                required=False,
                initial=record.presence if record else "",
            )
            self.fields[f"represented_by_{person.pk}"] = PersonChoiceField(
                queryset=people,
                required=False,
                label=f"Represented by (for {person})",
                initial=record.represented_by_id if record else None,
            )

    def rows(self):
        for person in self.members:
            yield person, self[f"presence_{person.pk}"], self[f"represented_by_{person.pk}"]

    def clean(self):
        data = super().clean()
        for person in self.members:
            presence = data.get(f"presence_{person.pk}")
            deputy = data.get(f"represented_by_{person.pk}")
            if presence == Presence.REPRESENTED and deputy is None:
                self.add_error(f"represented_by_{person.pk}", f"Say who represented {person}.")
            elif presence != Presence.REPRESENTED and deputy is not None:
                self.add_error(
                    f"represented_by_{person.pk}",
                    f"Leave this empty unless {person} was represented.",
                )
            elif deputy is not None and deputy.pk == person.pk:
                self.add_error(f"represented_by_{person.pk}", "Nobody represents themselves.")
        return data

    def entries(self):
        from .services import Attended

        for person in self.members:
            presence = self.cleaned_data.get(f"presence_{person.pk}")
            if presence:
                yield Attended(
                    person, presence, self.cleaned_data.get(f"represented_by_{person.pk}")
                )


class DecisionForm(PortalModelForm):
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(), required=False, label="Agenda item"
    )
    updates = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Evidence: team updates",
        help_text="The updates this decision rests on (from the team and the teams below).",
        widget=forms.CheckboxSelectMultiple,
    )
    document_url = forms.URLField(
        label="Evidence: a document's address",
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    document_label = forms.CharField(label="The document's title", required=False, max_length=200)

    class Meta:
        model = Decision
        fields = ["text", "rationale", "review_on"]
        widgets = {"review_on": DateInput()}

    def __init__(self, *args, meeting: Meeting, updates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.order_by("position", "pk")
        self.fields["updates"].queryset = updates
        self.meeting = meeting

    def clean(self):
        data = super().clean()
        review_on = data.get("review_on")
        if review_on and review_on <= self.meeting.held_on:
            self.add_error("review_on", "The review date must be after the meeting.")
        if data.get("document_label") and not data.get("document_url"):
            self.add_error("document_url", "Give the document's address, or leave its title empty.")
        return data

    def documents(self) -> list[tuple[str, str]]:
        url = self.cleaned_data.get("document_url")
        return [(url, self.cleaned_data.get("document_label") or url)] if url else []


class ReviewDateForm(PortalModelForm):
    class Meta:
        model = Decision
        fields = ["review_on"]
        widgets = {"review_on": DateInput()}


class ActionItemForm(PortalModelForm):
    class Meta:
        model = ActionItem
        fields = ["what", "owner", "due_on"]
        widgets = {"due_on": DateInput(), "what": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = PersonChoiceField(
            queryset=people,
            required=True,
            label="Owner",
            error_messages={"required": "Every action item needs an owner: choose a person."},
        )


class DropForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        help_text="Why the team no longer needs it done. Up to 1,000 characters.",
    )


class ProblemForm(PortalModelForm):
    class Meta:
        model = Problem
        fields = ["what", "who", "where", "when", "why", "goal"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("what", "why", "goal")}


class SolutionForm(PortalModelForm):
    class Meta:
        model = Solution
        fields = ["problem", "action", "owner", "due_on"]
        widgets = {"due_on": DateInput(), "action": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, problems, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = problems
        self.fields["owner"] = PersonChoiceField(queryset=people, label="Owner")


class FidelityForm(forms.Form):
    fidelity = forms.ChoiceField(choices=Fidelity.choices)


class EffectivenessForm(forms.Form):
    effect = forms.ChoiceField(choices=Effect.choices, label="Effectiveness against the goal")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1_000
    )


class SelfCheckForm(PortalModelForm):
    class Meta:
        model = SelfCheck
        fields = [*SelfCheck.QUESTIONS, "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label="Words", required=False, max_length=100)
    team = forms.CharField(label="Team name", required=False, max_length=100)
    since = forms.DateField(label="From", required=False, widget=DateInput())
    until = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "'To' must be on or after 'From'.")
        return data


class ActionFilterForm(forms.Form):
    closed = forms.BooleanField(label="Show done and dropped too", required=False)
