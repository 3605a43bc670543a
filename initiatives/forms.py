from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import rules
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from meetings.models import Meeting
from teams.forms import DateInput, PeopleChoiceField, PersonChoiceField, PortalModelForm
from teams.models import Division, Level, RoleAssignment, Team, User

from .models import (
    MAX_AMOUNT,
    Affirmation,
    Candidate,
    Decision,
    Funding,
    GoalAlignment,
    Indicator,
    Initiative,
    InventorySettings,
    Outcome,
    Review,
    StageRecord,
    Status,
    StrategicGoal,
    VisionVersion,
)
from .protocols import MAX_BYTES, read_protocol

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        when = timezone.localtime(meeting.starts_at)
        state = "" if meeting.status == "held" else f" ({meeting.get_status_display().lower()})"
        return f"{when:%-d %B %Y}{state}"


def smt_meetings():
    """The SMT's meetings a record may name: not cancelled, from the last 13 months to the
    next two, newest first."""
    now = timezone.now()
    return (
        Meeting.objects.filter(team__is_management_team=True)
        .exclude(status="cancelled")
        .filter(starts_at__gte=now - timedelta(days=400), starts_at__lte=now + timedelta(days=60))
        .order_by("-starts_at")
    )


def meeting_field(help_text: str) -> MeetingChoiceField:
    return MeetingChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="SMT meeting",
        empty_label="Not at a recorded meeting",
        help_text=help_text,
    )


class WithMeeting:
    """Forms whose record names the SMT meeting it was decided at."""

    def limit_meetings(self, recorder=None) -> None:
        """The SMT's recent meetings; for a decision that goes into a meeting's register,
        only those whose decisions `recorder` may record (the meetings' own rule)."""
        meetings = smt_meetings()
        if recorder is not None:
            allowed = [
                meeting.pk
                for meeting in meetings.select_related("team")
                if rules.has_perm("meetings.record_decision", recorder, meeting)
            ]
            meetings = meetings.filter(pk__in=allowed)
            if not allowed:
                self.fields["meeting"].help_text = (
                    "Decisions go into a meeting's register through its facilitator, its "
                    "minute taker or the SMT's chair; you may record this without naming the "
                    "meeting."
                )
        self.fields["meeting"].queryset = meetings


class SettingsForm(PortalModelForm):
    class Meta:
        model = InventorySettings
        fields = ["fiscal_year_start_month", "affirmation_interval_months", "review_cycle_months"]


class VisionForm(WithMeeting, PortalModelForm):
    meeting = meeting_field("The SMT meeting that adopted it; its day is the day of adoption.")

    class Meta:
        model = VisionVersion
        fields = ["vision", "mission", "adopted_on", "meeting", "note"]
        widgets = {
            "vision": TEXTAREA,
            "mission": TEXTAREA,
            "note": forms.Textarea(attrs={"rows": 2}),
            "adopted_on": DateInput(),
        }
        labels = {"adopted_on": "Adopted by the SMT on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_meetings()


class GoalForm(PortalModelForm):
    class Meta:
        model = StrategicGoal
        fields = ["number", "title", "description", "retired_on"]
        widgets = {"description": TEXTAREA, "retired_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["retired_on"]


class AffirmationForm(WithMeeting, PortalModelForm):
    meeting = meeting_field("The SMT meeting at which it affirmed; its day is the day affirmed.")

    class Meta:
        model = Affirmation
        fields = ["affirmed_on", "meeting", "note"]
        widgets = {"affirmed_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"affirmed_on": "Affirmed by the SMT on"}
        help_texts = {
            "affirmed_on": "The day the SMT affirmed the vision and implementation science as "
            "its means to cohesion across divisions and initiatives."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_meetings()


def agency_staff():
    """The agency's own people: active, with a division."""
    return (
        User.objects.filter(is_active=True, division__isnull=False)
        .select_related("division")
        .order_by("last_name", "first_name", "username")
    )


class TeamsChoiceField(PeopleChoiceField):
    """Teams by id, with the same guard against ids beyond any integer."""


class InitiativeForm(PortalModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The agency's own staff (people with a division), not the thousands on school teams.
    lead = PersonChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Initiative
        fields = [
            "name",
            "division",
            "lead",
            "status",
            "is_innovation",
            "purpose",
            "target_population",
            "grades",
            "intended_outcomes",
            "evidence_base",
            "teams",
            "started_on",
            "planned_end_on",
            "review_cycle_months",
        ]
        widgets = {
            "purpose": TEXTAREA,
            "intended_outcomes": TEXTAREA,
            "evidence_base": TEXTAREA,
            "started_on": DateInput(),
            "planned_end_on": DateInput(),
            "teams": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"teams": TeamsChoiceField}

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = agency_staff()
        # State, regional and district teams: a state has thousands of buildings, followed
        # through the stages of implementation instead (those chosen before stay offered).
        chosen = self.instance.teams.all() if self.instance.pk else Team.objects.none()
        self.fields["teams"].queryset = (
            Team.objects.exclude(level=Level.BUILDING) | Team.objects.filter(pk__in=chosen)
        ).in_cascade_order("name")
        self.fields["teams"].help_text = (
            "The state, regional and district teams that implement it. Hold Ctrl (or ⌘) to "
            "choose several; buildings are followed through the stages of implementation."
        )
        active = Division.objects.active()
        if divisions is not None:
            active = active.filter(pk__in=divisions)
        self.fields["division"].queryset = active
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        else:
            del self.fields["version"]


class FundingForm(PortalModelForm):
    amount = forms.DecimalField(
        label="Amount (dollars)",
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
    )
    fte = forms.DecimalField(
        label="Staff time (FTE)",
        min_value=Decimal("0"),
        max_value=Decimal("9999"),
        max_digits=6,
        decimal_places=2,
        initial=Decimal("0"),
        help_text="Full-time equivalents paid from this source.",
    )
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = Funding
        fields = ["fiscal_year", "source", "source_detail", "amount", "fte"]


class AlignmentForm(PortalModelForm):
    class Meta:
        model = GoalAlignment
        fields = ["goal", "strength", "note"]
        widgets = {"strength": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = StrategicGoal.objects.current()
        self.fields["goal"].empty_label = None


class OverlapForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Initiative.objects.none(), label="Overlaps with", empty_label=None
    )
    shares_population = forms.BooleanField(label="Shared population", required=False)
    shares_outcome = forms.BooleanField(label="Shared outcome", required=False)
    shares_staff = forms.BooleanField(label="Shared staff", required=False)
    note = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), help_text="What they share."
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = (
            Initiative.objects.running().exclude(pk=initiative.pk).order_by("name")
        )

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("shares_population", "shares_outcome", "shares_staff")):
            raise ValidationError("Tick what the two share: population, outcome or staff.")
        return data


class ReviewForm(WithMeeting, PortalModelForm):
    meeting = meeting_field(
        "The SMT meeting where the decision was taken: it then goes into that meeting's "
        "decision register."
    )
    results_link = forms.URLField(
        label="Link to the data",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A dashboard or report, if any.",
    )

    class Meta:
        model = Review
        fields = [
            "held_on",
            "meeting",
            "alignment_notes",
            "results_notes",
            "results_link",
            "resources_notes",
            "overlap_notes",
            "decision",
            "consolidate_with",
            "rationale",
        ]
        widgets = {
            "held_on": DateInput(),
            "alignment_notes": TEXTAREA,
            "results_notes": TEXTAREA,
            "resources_notes": TEXTAREA,
            "overlap_notes": TEXTAREA,
            "rationale": TEXTAREA,
            "decision": forms.RadioSelect,
        }

    def __init__(self, *args, initiative: Initiative, recorder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consolidate_with"].queryset = (
            Initiative.objects.running().exclude(pk=initiative.pk).order_by("name")
        )
        self.fields["decision"].choices = Decision.choices
        self.limit_meetings(recorder)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.CONSOLIDATE and not data.get("consolidate_with"):
            self.add_error("consolidate_with", "Name the initiative it is consolidated with.")
        return data


class StageForm(PortalModelForm):
    class Meta:
        model = StageRecord
        fields = ["team", "innovation", "stage", "entered_on", "evidence"]
        widgets = {"entered_on": DateInput(), "evidence": TEXTAREA}
        labels = {"team": "Unit (team)", "entered_on": "Entered the stage on"}

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams.in_cascade_order("name")
        self.fields["innovation"].queryset = (
            Initiative.objects.innovations().running().order_by("name")
        )


class CandidateForm(PortalModelForm):
    raters = PeopleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each rates privately; their scores show once they submit.",
    )

    class Meta:
        model = Candidate
        fields = [
            "name",
            "description",
            "target_population",
            "intended_outcomes",
            "division",
            "protocol",
            "raters",
            "clear_description",
            "essential_functions",
            "operational_definitions",
            "fidelity_assessment",
        ]
        widgets = {
            "description": TEXTAREA,
            "intended_outcomes": TEXTAREA,
            "clear_description": forms.RadioSelect,
            "essential_functions": forms.RadioSelect,
            "operational_definitions": forms.RadioSelect,
            "fidelity_assessment": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.active()
        self.fields["protocol"].empty_label = None
        holding = RoleAssignment.objects.current().filter(person=OuterRef("pk"))
        self.fields["raters"].queryset = (
            User.objects.filter(is_active=True)
            .filter(Exists(holding))
            .select_related("division")
            .order_by("last_name", "first_name")
        )
        self.fields["raters"].label_from_instance = PersonChoiceField.label_from_instance.__get__(
            self.fields["raters"]
        )
        if self.instance.pk:
            # Ratings are given on the protocol's indicators: it stays once chosen.
            del self.fields["protocol"]


class RatingForm(forms.Form):
    """A score and a note per indicator of the candidate's protocol."""

    submit = forms.BooleanField(
        label="Submit my ratings now",
        required=False,
        help_text="Once submitted, your scores are final and the others see them. Leave this "
        "unticked to keep a private draft.",
    )

    def __init__(self, *args, candidate: Candidate, indicators, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        protocol = candidate.protocol
        self.indicators = indicators
        for indicator in indicators:
            rating = existing.get(indicator.pk)
            self.fields[f"score_{indicator.pk}"] = forms.IntegerField(
                label=f"{indicator.name}: score",
                min_value=protocol.scale_min,
                max_value=protocol.scale_max,
                initial=rating.score if rating else None,
                help_text=indicator.prompt,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name}: note",
                required=False,
                max_length=500,
                initial=rating.note if rating else "",
            )
        self.order_fields([*(name for name in self.fields if name != "submit"), "submit"])

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            i.pk: (self.cleaned_data[f"score_{i.pk}"], self.cleaned_data[f"note_{i.pk}"])
            for i in self.indicators
        }


class DecideForm(WithMeeting, forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="Decided by the SMT on", widget=DateInput())
    meeting = meeting_field(
        "The SMT meeting where the outcome was decided: it then goes into that meeting's "
        "decision register."
    )
    rationale = forms.CharField(
        max_length=2000, widget=TEXTAREA, help_text="Why the SMT decided so."
    )

    def __init__(self, *args, recorder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_meetings(recorder)


class ReviewActionForm(forms.Form):
    """An action item that came from a review, for the SMT."""

    what = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(queryset=User.objects.none(), help_text="Who sees it through.")
    due_on = forms.DateField(label="Due on", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_staff()


class ProtocolImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Protocol file (JSON or YAML)",
        help_text=f"Up to {MAX_BYTES // 1000} KB: a name, a scale and indicators.",
    )
    text = forms.CharField(
        label="Or paste the protocol",
        required=False,
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise ValidationError("Load a file or paste the protocol, not both.")
        if not upload and not text:
            raise ValidationError("Choose a protocol file, or paste the protocol.")
        if upload:
            if upload.size > MAX_BYTES:
                raise ValidationError(f"The file is larger than {MAX_BYTES // 1000} KB.")
            data["definition"] = read_protocol(upload.read(), upload.name)
        else:
            data["definition"] = read_protocol(text.encode())
        return data


class IndicatorForm(PortalModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "group", "prompt"]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 4})}


# --- Filters ---------------------------------------------------------------------------------


class InventoryFilterForm(forms.Form):
    q = forms.CharField(label="Words", required=False, max_length=100)
    division = forms.ModelChoiceField(
        queryset=Division.objects.all(), required=False, empty_label="All divisions"
    )
    goal = forms.ModelChoiceField(
        queryset=StrategicGoal.objects.current(), required=False, empty_label="Any goal"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    review = forms.ChoiceField(
        label="Review",
        choices=[("", "Any"), ("due", "Due within 60 days or overdue"), ("overdue", "Overdue")],
        required=False,
    )
    innovations = forms.BooleanField(label="Only innovations", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("name", "Name"),
            ("division", "Division"),
            ("status", "Status"),
            ("review", "Next review"),
        ],
        required=False,
    )

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").replace("\x00", "").strip()


ZONE_CHOICES = [("", "In and out of the Zone"), ("in", "In the Zone"), ("out", "Outside the Zone")]


class HeatmapFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Team.objects.filter(level=Level.REGIONAL).order_by("name"),
        required=False,
        empty_label="All regions",
    )
    level = forms.ChoiceField(choices=[("", "All levels"), *Level.choices], required=False)
    zone = forms.ChoiceField(label="Transformation Zone", choices=ZONE_CHOICES, required=False)
    innovation = forms.ModelChoiceField(
        queryset=Initiative.objects.innovations().order_by("name"),
        required=False,
        empty_label="All innovations",
    )


class CompareForm(forms.Form):
    candidate = PeopleChoiceField(
        queryset=Candidate.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Candidates",
    )
