"""A meeting's .ics download, and each person's private, revocable calendar feed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .. import selectors, services
from ..calendar import calendar_of
from ..models import CalendarFeed
from .access import meeting_for, require

ICS = "text/calendar; charset=utf-8"
# A feed covers the recent past and what is planned: enough for a calendar, never the
# whole history of a team.
FEED_PAST_DAYS = 90


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@login_required
@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.view_meeting")
    body = calendar_of([meeting], name=str(meeting), base_url=_base(request))
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.keep_calendar_feed")
    feed = CalendarFeed.objects.filter(person=request.user).first()
    return render(
        request,
        "meetings/feed.html",
        {
            "feed": feed,
            "feed_url": _base(request) + feed_path(feed) if feed else "",
        },
    )


def feed_path(feed: CalendarFeed) -> str:
    return reverse("meetings:feed", args=[feed.token])


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.keep_calendar_feed")
    had = CalendarFeed.objects.filter(person=request.user).exists()
    services.calendar_feed_reset(person=request.user)
    messages.success(
        request,
        "Your calendar has a new address; the old one no longer works."
        if had
        else "Your calendar feed is ready: add its address to your calendar.",
    )
    return redirect("meetings:feed-settings")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.keep_calendar_feed")
    services.calendar_feed_revoke(person=request.user)
    messages.success(request, "Your calendar feed is turned off; its address no longer works.")
    return redirect("meetings:feed-settings")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed answers to its secret alone (calendar programs cannot sign in); a reset or
    revoked secret, or a person who left, is 404."""
    found = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if found is None or not found.person.is_active:
        raise Http404("No such calendar.")
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    body = calendar_of(
        selectors.feed_meetings(found.person, since=since),
        name="My meetings · SMT Portal",
        base_url=_base(request),
    )
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "private, no-store"
    return response
