from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.db.models import Exists, OuterRef

from .models import (
    Agency,
    DevelopmentReview,
    Division,
    Level,
    Membership,
    Role,
    RoleAssignment,
    SponsorAppointment,
    Team,
    TeamUpdate,
    User,
)


class PortalModelForm(forms.ModelForm):
    """The portal's model forms. A model's own checks may name a field this form does not
    show (an STS edits a team's details but not where it sits); such an error goes on top
    of the form, named in words, never as a crash."""

    # Per hidden field: what the person can do about it, said after the model's message.
    hidden_field_advice: dict[str, str] = {}

    def _update_errors(self, errors: ValidationError) -> None:
        super()._update_errors(shown_on(self, errors))

    def add_error(self, field, error) -> None:
        if field is None and isinstance(error, ValidationError):
            error = shown_on(self, error)
        super().add_error(field, error)


def shown_on(form: forms.BaseForm, error: ValidationError) -> ValidationError:
    """The error with messages for fields the form does not show moved to the top."""
    if not hasattr(error, "error_dict"):
        return error
    kept: dict[str, list] = {}
    for name, errors in error.error_dict.items():
        if name == NON_FIELD_ERRORS or name in form.fields:
            kept.setdefault(name, []).extend(errors)
            continue
        label = _field_label(form, name)
        advice = getattr(form, "hidden_field_advice", {}).get(name, "")
        for message in ValidationError(errors).messages:
            text = f"{label}: {message}" if label else message
            kept.setdefault(NON_FIELD_ERRORS, []).append(f"{text} {advice}".strip())
    return ValidationError(kept)


def _field_label(form: forms.BaseForm, name: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return ""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: User) -> str:
        extra = person.job_title or (person.division.name if person.division_id else "")
        return f"{person} — {extra}" if extra else str(person)


class SignInForm(AuthenticationForm):
    """Django's sign-in form sets the username's max_length after building the field, so no
    validator checks it: an overlong name would reach django-axes, whose 255-character
    username column then fails on PostgreSQL. Refuse it as a form error instead."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond the database's integers before they reach a query: Django checks
    `pk__in` without the range guard it gives `pk=`, and SQLite raises OverflowError."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigAutoField")
        for pk in value or ():
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # the parent class reports it
            if not low <= number <= high:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class AgencyForm(PortalModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "state_name",
            "districts_may_report_to_state",
            "cabinet_granted_by",
            "max_deputies",
        ]
        widgets = {"cabinet_granted_by": forms.RadioSelect}


class DivisionForm(PortalModelForm):
    head = PersonChoiceField(
        queryset=User.objects.filter(is_active=True).select_related("division"),
        required=False,
        help_text="Who leads this division.",
    )

    class Meta:
        model = Division
        fields = ["name", "short_name", "head", "is_active"]
        labels = {"is_active": "Active (inactive divisions stay in the history)"}


class PersonForm(PortalModelForm):
    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "division",
            "is_active",
        ]
        labels = {"is_active": "Active (may sign in and be chosen for teams)"}
        help_texts = {"username": "Used to sign in: letters, digits and @ . + - _ only."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        divisions = Division.objects.active()
        if self.instance.division_id:
            divisions = Division.objects.filter(pk=self.instance.division_id) | divisions
        self.fields["division"].queryset = divisions


class RoleAssignmentForm(PortalModelForm):
    """Offers only the roles the person granting may grant (the rules decide)."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "started_on", "note"]
        widgets = {"started_on": DateInput()}
        labels = {"started_on": "Holds the role from"}

    def __init__(self, *args, roles: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [("", "---------")] + [
                (value, label) for value, label in Role.choices if value in roles
            ]


class RoleCorrectionForm(PortalModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["started_on", "ended_on", "note"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        labels = {"started_on": "Holds the role from", "ended_on": "Holds it until"}
        help_texts = {"ended_on": "The first day the role no longer holds; empty while it lasts."}


class LeavingForm(forms.Form):
    """When a member left a team (today by default)."""

    left_on = forms.DateField(
        label="Left the team on",
        widget=DateInput(),
        help_text="The first day they were no longer on the team.",
    )


class DepartureForm(forms.Form):
    left_on = forms.DateField(
        label="Left the agency on",
        widget=DateInput(),
        help_text="From this day their roles, team seats, sponsorship and pairings end and "
        "their account is closed.",
    )


class AdminSetPasswordForm(SetPasswordForm):
    """An admin sets someone's password: the agency's password rules apply, and the person
    is told at their next sign-in."""


class SponsorAppointmentForm(forms.Form):
    sponsor = PersonChoiceField(
        queryset=User.objects.none(),
        help_text="Chosen from the current SMT members who are not already sponsors.",
    )
    started_on = forms.DateField(label="Appointed on", widget=DateInput(), required=False)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = (
            User.objects.smt_members()
            .exclude(Exists(SponsorAppointment.objects.current().filter(sponsor=OuterRef("pk"))))
            .select_related("division")
        )


class SponsorEndForm(forms.Form):
    accept_broken_rule = forms.BooleanField(
        required=False,
        label="I understand that this leaves the sponsor rule broken until a new sponsor is "
        "appointed.",
    )

    def __init__(self, *args, breaks_rule: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not breaks_rule:
            # Nothing to accept: the box would only confuse.
            del self.fields["accept_broken_rule"]


class SponsorPairingForm(forms.Form):
    sponsor = PersonChoiceField(queryset=User.objects.none())
    specialist = PersonChoiceField(queryset=User.objects.none(), label="STS")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = User.objects.sponsors().select_related("division")
        self.fields["specialist"].queryset = User.objects.specialists().select_related("division")


class TeamForm(PortalModelForm):
    hidden_field_advice = {
        "parent": "A portal administrator can move the team to its right place.",
        "level": "A portal administrator can change the team's level.",
    }

    class Meta:
        model = Team
        fields = [
            "name",
            "level",
            "parent",
            "unit_name",
            "code",
            "purpose",
            "specialists",
            "cadence",
            "zone_entered_on",
            "zone_left_on",
        ]
        widgets = {
            "zone_entered_on": DateInput(),
            "zone_left_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "specialists": forms.CheckboxSelectMultiple,
        }
        field_classes = {"specialists": PeopleChoiceField}
        help_texts = {
            "parent": "The team one level up. The SMT is the top of the cascade.",
            "specialists": "The STSs who support this team.",
        }

    def __init__(self, *args, may_restructure: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialists"].queryset = User.objects.specialists()
        self.fields["level"].choices = Level.choices
        parents = Team.objects.exclude(level=Level.BUILDING).in_cascade_order("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = not self.instance.is_management_team
        if not may_restructure or self.instance.is_management_team:
            # Where a team sits is the admins' call; STSs keep its details current.
            del self.fields["level"]
            del self.fields["parent"]


class MembershipForm(PortalModelForm):
    person = PersonChoiceField(
        queryset=User.objects.filter(is_active=True).select_related("division")
    )

    # A state has thousands of people: the list shows a search's best matches, while
    # validation still accepts anyone active.
    SHOWN = 50

    class Meta:
        model = Membership
        fields = ["person", "role", "started_on"]
        widgets = {"started_on": DateInput()}
        labels = {"started_on": "On the team from"}

    def show_only(self, candidates) -> None:
        """Offer these people (call after validation, so it narrows only what is shown)."""
        ids = list(candidates.values_list("pk", flat=True)[: self.SHOWN])
        chosen = getattr(self, "cleaned_data", {}).get("person")
        if chosen is not None:
            ids.append(chosen.pk)
        self.fields["person"].queryset = (
            User.objects.filter(pk__in=ids)
            .select_related("division")
            .order_by("last_name", "first_name")
        )


class DevelopmentReviewForm(PortalModelForm):
    class Meta:
        model = DevelopmentReview
        fields = ["reviewed_on", "formed", "members_trained", "meets_on_cadence", "linked", "note"]
        widgets = {"reviewed_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class TeamUpdateForm(PortalModelForm):
    """The team is fixed by the page it is logged from, or chosen among the author's teams."""

    class Meta:
        model = TeamUpdate
        fields = [
            "team",
            "occurred_on",
            "summary",
            "successes",
            "adaptive_challenges",
            "next_steps",
            "for_smt_attention",
        ]
        widgets = {
            "occurred_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("summary", "successes", "adaptive_challenges", "next_steps")
            },
        }
        error_messages = {
            "team": {"invalid_choice": "You can log updates only for teams you support or sit on."}
        }

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]
            return
        field = self.fields["team"]
        field.queryset = teams
        field.error_messages["invalid_choice"] = (
            "You can log updates only for teams you support or sit on."
        )
        only = list(teams[:2])
        if len(only) == 1:
            # One team: nothing to choose, so no "---------" to choose it from.
            field.empty_label = None
            field.initial = only[0].pk


class CascadeFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Team.objects.filter(level=Level.REGIONAL).order_by("name"),
        required=False,
        empty_label="All regions",
    )
    level = forms.ChoiceField(choices=[("", "All levels"), *Level.choices], required=False)
    zone = forms.BooleanField(label="Only the Transformation Zone", required=False)
    quiet = forms.BooleanField(label="Only teams gone quiet", required=False)


class UpdateFilterForm(forms.Form):
    attention = forms.BooleanField(label="Only those for SMT attention", required=False)
    level = forms.ChoiceField(choices=[("", "All levels"), *Level.choices], required=False)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Name or title", required=False, max_length=100)
    division = forms.ModelChoiceField(
        queryset=Division.objects.all(), required=False, empty_label="All divisions"
    )


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if shown, else on top."""
    error = shown_on(form, error)
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(None if name == NON_FIELD_ERRORS else name, errors)
    else:
        form.add_error(None, error)
