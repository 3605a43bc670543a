from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from teams.forms import DateInput, PeopleChoiceField, PersonChoiceField, PortalModelForm
from teams.models import TeamUpdate, User, today, within_date_window

from .models import (
    PASSED_ITEMS,
    ActionItem,
    AgendaItem,
    Barrier,
    Decision,
    Effect,
    Fidelity,
    Holiday,
    LinkProtocol,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Outcome,
    Presence,
    Problem,
    SelfCheck,
    SharedWithSmt,
    Solution,
    SupportRequest,
    SystemicChange,
    Verdict,
)

ISO_DATETIMES = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


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
        # What a datetime-local input sends, or the same typed with a space: never a day and
        # month in either order (is 03/04 the third of April or the fourth of March?).
        self.fields["starts_at"].input_formats = ISO_DATETIMES
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
    # Refuses ids beyond the database's integers before they reach a query.
    updates = PeopleChoiceField(
        queryset=TeamUpdate.objects.none(),
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


# --- The practice-policy cycle ------------------------------------------------------------------


class BarrierForm(PortalModelForm):
    class Meta:
        model = Barrier
        fields = [
            "team",
            "kind",
            "title",
            "practice",
            "effect",
            "would_help",
            "evidence_update",
            "evidence_meeting",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in ("practice", "effect", "would_help")
        }
        labels = {"team": "Raised by the team"}

    def __init__(self, *args, teams, updates, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["evidence_update"].queryset = updates
        self.fields["evidence_meeting"].queryset = meetings
        self.fields["evidence_update"].required = False
        self.fields["evidence_meeting"].required = False

    def clean(self):
        data = super().clean()
        team = data.get("team")
        update, meeting = data.get("evidence_update"), data.get("evidence_meeting")
        if team and update and update.team_id != team.pk:
            self.add_error("evidence_update", "Cite an update of the team raising the barrier.")
        if team and meeting and meeting.team_id != team.pk:
            self.add_error("evidence_meeting", "Cite a meeting of the team raising the barrier.")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        help_text="Up to 1,000 characters.",
    )

    def __init__(self, *args, label: str, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = required


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(k, v) for k, v in Outcome.choices if k != Outcome.MERGED],
        label="How it is resolved",
    )
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2_000,
        help_text="What the raising team will receive. Up to 2,000 characters.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1_000,
        required=False,
        label="Why it is not actionable",
        help_text="Only when it is not actionable.",
    )
    change = forms.ModelChoiceField(
        queryset=SystemicChange.objects.none(),
        required=False,
        label="The systemic change that resolves it",
        help_text="Only for a systemic change; record the change first in the changes log.",
    )

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].queryset = changes

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.SYSTEMIC and not data.get("change"):
            self.add_error("change", "Choose the systemic change that resolves it.")
        if data.get("outcome") == Outcome.NOT_ACTIONABLE and not data.get("reason"):
            self.add_error("reason", "Say why it is not actionable.")
        return data


class ConfirmForm(forms.Form):
    helped = forms.ChoiceField(
        choices=[("yes", "Yes: the answer reached practice"), ("no", "No: it did not help")],
        widget=forms.RadioSelect,
        label="Did the answer reach practice?",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        required=False,
        help_text="Required if it did not help: say why. Up to 1,000 characters.",
    )

    def clean(self):
        data = super().clean()
        if data.get("helped") == "no" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the answer did not help.")
        return data


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Barrier.objects.none(), label="Merge into")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=1_000, required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class SystemicChangeForm(PortalModelForm):
    class Meta:
        model = SystemicChange
        fields = [
            "kind",
            "title",
            "description",
            "division",
            "effective_on",
            "barriers",
            "decisions",
        ]
        widgets = {
            "effective_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "barriers": forms.CheckboxSelectMultiple,
            "decisions": forms.CheckboxSelectMultiple,
        }
        labels = {"kind": "What changed"}

    def __init__(self, *args, barriers, decisions, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("barriers", barriers), ("decisions", decisions)):
            # The same choices, refusing ids beyond the database's integers before a query.
            self.fields[name] = PeopleChoiceField(
                queryset=queryset,
                required=False,
                label=self.fields[name].label,
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields["division"].queryset = divisions


class ProtocolForm(PortalModelForm):
    passes = forms.MultipleChoiceField(
        choices=list(PASSED_ITEMS.items()),
        widget=forms.CheckboxSelectMultiple,
        label="What is passed",
    )

    class Meta:
        model = LinkProtocol
        fields = [
            "rationale",
            "passes",
            "responsible_from",
            "responsible_to",
            "every_days",
            "minutes",
            "format",
            "response_days",
            "response_format",
            "started_on",
        ]
        widgets = {"started_on": DateInput(), "rationale": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, senders, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_from"] = PersonChoiceField(
            queryset=senders, label="Responsible on the sending side"
        )
        self.fields["responsible_to"] = PersonChoiceField(
            queryset=receivers, label="Responsible on the receiving side"
        )
        for name, (low, high) in LinkProtocol.BOUNDS.items():
            self.fields[name].min_value = low
            self.fields[name].max_value = high
            self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
            self.fields[name].widget.attrs.update(min=low, max=high)


class ProtocolReviewForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, label="Reviewing for")
    verdict = forms.ChoiceField(choices=Verdict.choices, label="Is the protocol working?")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=1_000, required=False
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class SupportRequestForm(PortalModelForm):
    class Meta:
        model = SupportRequest
        fields = ["sponsor", "kind", "what", "needed_by", "urgency"]
        widgets = {"needed_by": DateInput(), "what": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, sponsors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"] = PersonChoiceField(queryset=sponsors, label="Sponsor")

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by and needed_by < today():
            raise forms.ValidationError("The date it is needed by cannot be in the past.")
        return needed_by


class ReplyForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        label="Your reply",
        help_text="Up to 1,000 characters.",
    )


class HolidayForm(PortalModelForm):
    class Meta:
        model = Holiday
        fields = ["day", "name"]
        widgets = {"day": DateInput()}


class ShareForm(PortalModelForm):
    class Meta:
        model = SharedWithSmt
        fields = ["kind", "team", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": "What to share"}

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
