from django import forms
from django.db.models import Exists, OuterRef, Q

from teams.forms import PersonChoiceField, PortalModelForm
from teams.models import Division, RoleAssignment, User

from .kinds import Delivery, choosable_kinds
from .models import DigestRecipient, ReminderSettings


class PreferencesForm(forms.Form):
    """One choice per kind of notification: an email at once, a weekly roundup, or the
    portal only."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in choosable_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.about,
                choices=Delivery.choices,
                initial=current[kind.key],
                widget=forms.RadioSelect,
            )


class ReminderSettingsForm(PortalModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "meeting_lead_days",
            "action_lead_days",
            "support_target_days",
            "support_escalate_days",
            "barrier_wait_days",
            "review_lead_days",
            "assessment_lead_days",
            "look_back_days",
            "roundup_weekday",
        ]


class RecipientForm(forms.Form):
    person = PersonChoiceField(
        queryset=User.objects.none(),
        label="Add a recipient",
        help_text="Anyone holding a role at the agency or heading a division.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The agency's own people, not every member of every school's team: a short list.
        roles = RoleAssignment.objects.current().filter(person=OuterRef("pk"))
        heads = Division.objects.filter(head=OuterRef("pk"), is_active=True)
        self.fields["person"].queryset = (
            User.objects.filter(is_active=True, left_on__isnull=True)
            .filter(Q(Exists(roles)) | Q(Exists(heads)))
            .exclude(Exists(DigestRecipient.objects.filter(person=OuterRef("pk"))))
            .select_related("division")
            .order_by("last_name", "first_name")
        )
