"""The inputs and selects written in Python (smt_portal/widgets.py) are what Django's own
widget templates write, but for the blank line Django's include leaves after each option."""

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from smt_portal.widgets import PortalFormRenderer


class Everything(forms.Form):
    words = forms.CharField(label="Words", max_length=100, required=False)
    count = forms.IntegerField(min_value=0)
    email = forms.EmailField(required=False)
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    search = forms.CharField(
        widget=forms.TextInput(attrs={"type": "search", "data-autosubmit": True}),
        required=False,
    )
    only_mine = forms.BooleanField(required=False)
    status = forms.ChoiceField(
        choices=[("", "Any"), ("open", "Open <now>"), ("closed", gettext_lazy("Closed & done"))],
        required=False,
    )
    level = forms.ChoiceField(
        choices=[
            ("", "Every level"),
            ("Above", [("state", "State"), ("regional", "Regional")]),
            ("Below", [("district", "District"), ("building", 'Building "B"')]),
        ]
    )
    teams = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    notes = forms.CharField(widget=forms.Textarea, required=False)


BOUND = {
    "words": 'a <b> & "quoted"',
    "count": "-3",
    "email": "not an email",
    "held_on": "2026-11-24",
    "secret": "x",
    "hidden": mark_safe("<safe>"),
    "search": "",
    "only_mine": "on",
    "status": "closed",
    "level": "building",
    "teams": ["1", "3"],
    "notes": "line\nline",
}


def rendered(form, renderer) -> list[str]:
    form.renderer = renderer
    return [re.sub(r">\n+(\s*)<", r">\n\1<", str(field)) for field in form]


@pytest.mark.parametrize(
    "form",
    [
        lambda: Everything(),
        lambda: Everything(initial={"held_on": datetime.date(2026, 1, 2), "only_mine": True}),
        lambda: Everything(BOUND),
    ],
    ids=["unbound", "initial", "bound with errors"],
)
def test_every_widget_is_written_as_djangos_templates_write_it(form):
    django_made = rendered(form(), DjangoTemplates())
    ours = rendered(form(), PortalFormRenderer())

    assert ours == django_made


def test_a_bound_form_writes_its_values_escaped():
    ours = "".join(rendered(Everything(BOUND), PortalFormRenderer()))

    assert 'value="a &lt;b&gt; &amp; &quot;quoted&quot;"' in ours
    assert '<option value="building" selected>Building &quot;B&quot;</option>' in ours
    assert '<optgroup label="Below">' in ours
    assert 'aria-invalid="true"' in ours
