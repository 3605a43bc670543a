"""A filter bar's fields, written in Python (`filter_field`), carry the markup crispy gives
them: the label tied to its control, the error tied to it too, the help text, the classes."""

import re

import pytest
from django import forms
from django.template import Context, Template


class Filters(forms.Form):
    q = forms.CharField(label="Words", required=False, max_length=100)
    status = forms.ChoiceField(choices=[("", "Any status"), ("open", "Open")], required=False)
    since = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="From this day"
    )
    level = forms.ChoiceField(
        choices=[("", "All"), ("district", "District")], help_text="The teams' level"
    )
    mine = forms.BooleanField(label="Only mine", required=False)
    sure = forms.BooleanField(label="I am sure", help_text="Tick to go on")
    teams = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)


def normal(html: str) -> str:
    """Whitespace between tags and around text is crispy's template layout, not markup."""
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def both(form, name) -> tuple[str, str]:
    crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")
    ours = Template("{% load portal %}{{ field|filter_field }}")
    context = Context({"field": form[name]})
    return normal(ours.render(context)), normal(crispy.render(context))


@pytest.mark.parametrize("name", list(Filters.base_fields))
@pytest.mark.parametrize(
    "data",
    [None, {"q": "<b>", "status": "closed", "since": "soon", "level": "", "mine": "on"}],
    ids=["unbound", "bound with errors"],
)
def test_a_filter_field_is_written_as_crispy_writes_it(name, data):
    form = Filters(data)
    form.is_valid()

    ours, crispy = both(form, name)

    assert ours == crispy


def test_an_error_is_tied_to_its_control():
    form = Filters({"status": "closed", "level": "district", "sure": "on"})
    form.is_valid()

    ours, _ = both(form, "status")

    assert 'aria-describedby="id_status_error"' in ours and 'aria-invalid="true"' in ours
    assert '<div id="id_status_error" class="invalid-feedback">' in ours
