"""One way to handle a posted form, for every view of every app:

    form = DivisionForm(request.POST or None, instance=division)
    if (saved := submitted(request, form, lambda: services.division_save(...),
                           success=lambda d: f"The division {d} is saved.")) is not DONE_NOTHING:
        return redirect(...)

The form validates the input; the service keeps the domain's rules and may refuse with a
`ValidationError`, which goes onto the form (on its field when shown, else on top), so
bad input is always a message on the form and never a 500 or a partial write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ..forms import add_service_errors

T = TypeVar("T")


class _DoneNothing:
    """The form was not sent, not valid, or refused by the service."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "DONE_NOTHING"


DONE_NOTHING = _DoneNothing()


def submitted(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    success: str | Callable[[T], str] = "",
) -> T | _DoneNothing:
    """Call `save` (a service) if the form is valid; a refusal goes onto the form.

    Returns what the service returned, or DONE_NOTHING. `success` is said to the person
    when the service succeeds. An edit that changes nothing calls no service and returns
    the record as it is.
    """
    if not form.is_bound or not form.is_valid():
        return DONE_NOTHING
    if _unchanged(form):
        # The audit history records changes, and only changes: saving what is already
        # there is no change, so nothing is written.
        messages.info(request, "Nothing to save: nothing was changed.")
        return form.instance
    try:
        result = save()
    except ValidationError as error:
        add_service_errors(form, error)
        return DONE_NOTHING
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return result


def _unchanged(form: forms.BaseForm) -> bool:
    return (
        isinstance(form, forms.ModelForm)
        and form.instance.pk is not None
        and not form.has_changed()
    )
