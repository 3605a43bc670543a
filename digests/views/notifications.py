"""The notification centre: a person's own notifications, newest first, marked read by
POST; and their preferences, per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from teams.paging import paginate_newest
from teams.rules import require
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import PreferencesForm
from ..models import Notification


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    require(request.user, "digests.read_notifications")
    page = paginate_newest(request, selectors.notifications_of(request.user), 25)
    return render(
        request,
        "digests/notifications.html",
        {
            "page": page,
            "unread": getattr(request.user, "unread_notifications", None),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page of the list the person was on."""
    number = request.POST.get("page", "")
    url = "digests:notifications"
    if number.isdecimal() and number.isascii() and number != "1":
        return redirect(f"{redirect(url).url}?page={number}")
    return redirect(url)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification does not exist for this person.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_read(notification=notification, by=request.user)
    return _back(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(person=request.user)
    messages.success(
        request,
        f"{count} notification{'s' * (count != 1)} marked read." if count else "Nothing unread.",
    )
    return redirect("digests:notifications")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    require(request.user, "digests.choose_delivery")
    form = PreferencesForm(request.POST or None, current=selectors.preferences_of(request.user))
    if submitted(
        request,
        form,
        lambda: services.preferences_save(person=request.user, choices=form.cleaned_data),
        success="Your choices are saved.",
    ):
        return redirect("digests:preferences")
    return render(request, "digests/preferences.html", {"form": form})
