"""Meetings as iCalendar (RFC 5545): one meeting's .ics, and each person's private feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Meeting, MeetingStatus

PRODUCT = "-//SMT Portal//Meetings//EN"


def calendar_of(meetings: Iterable[Meeting], *, name: str, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        calendar.add_component(event_of(meeting, base_url))
    return calendar.to_ical()


def event_of(meeting: Meeting, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@smt-portal")
    event.add("summary", f"{meeting.team.name} meeting")
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("dtstamp", timezone.now())
    url = base_url + meeting.get_absolute_url()
    event.add("url", url)
    where = meeting.place or meeting.video_link
    if where:
        event["location"] = vText(where)
    description = [f"Agenda and minutes: {url}"]
    if meeting.video_link:
        description.append(f"Video link: {meeting.video_link}")
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event
