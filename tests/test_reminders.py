"""Reminders, derived from the records on every scheduler tick: each occasion reaches its
people once, whatever the number of ticks, and the agency's targets and lead times decide
when."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from digests import services
from digests.models import Notification, ReminderSettings
from meetings.models import ActionItem, AgendaItem, Holiday, Meeting, MeetingSeries, SupportRequest
from teams.models import Team, TeamRole, today

from .cycle_world import barrier, cycle_of
from .data_world import data_world
from .factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def tick(now=None) -> int:
    return services.notifications_derive(now=now)


def to(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def settings(**values) -> None:
    current = ReminderSettings.current()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_every_reminder_is_sent_once_however_often_the_scheduler_fires(world):
    cycle_of(world)
    data_world(world)
    assert tick() > 0
    assert tick() == 0
    assert tick(timezone.now() + timedelta(minutes=5)) == 0


def test_a_meeting_reaches_its_team_two_days_before_with_its_agenda(world):
    series = MeetingSeries.objects.create(team=world.district, name="Cedar Falls monthly")
    soon = Meeting.objects.create(
        series=series,
        team=world.district,
        starts_at=timezone.now() + timedelta(days=1, hours=2),
        facilitator=world.user("sts"),
        place="District office",
    )
    AgendaItem.objects.create(meeting=soon, title="Review the screening data", allotted=20)
    AgendaItem.objects.create(meeting=soon, title="Coaching schedule", allotted=15)
    later = Meeting.objects.create(
        series=series, team=world.district, starts_at=timezone.now() + timedelta(days=5)
    )
    tick()
    assert to("meeting_soon") == {"district", "sts"}
    reminder = Notification.objects.filter(kind="meeting_soon").first()
    assert "1. Review the screening data (20 min)" in reminder.body
    assert "2. Coaching schedule (15 min)" in reminder.body
    assert "District office" in reminder.body
    assert not Notification.objects.filter(url=later.get_absolute_url()).exists()
    settings(meeting_lead_days=6)
    tick()
    assert Notification.objects.filter(url=later.get_absolute_url()).exists()


def test_action_items_due_soon_and_overdue_reach_their_owners(world):
    for days, what in ((2, "Due soon"), (9, "Due later"), (-3, "Three days late")):
        ActionItem.objects.create(
            team=world.district,
            what=what,
            owner=world.user("building"),
            due_on=today() + timedelta(days=days),
            created_by=world.user("building"),
        )
    tick()
    titles = set(
        Notification.objects.filter(recipient=world.user("building")).values_list(
            "title", flat=True
        )
    )
    assert any(t.endswith("Due soon") and t.startswith("Due ") for t in titles)
    assert any(t.startswith("Overdue since") and t.endswith("Three days late") for t in titles)
    assert not any("Due later" in t for t in titles)


def test_team_leads_get_the_weekly_list_of_their_teams_overdue_items(world):
    for n in range(3):
        ActionItem.objects.create(
            team=world.district,
            what=f"Late item {n}",
            owner=world.user("building"),
            due_on=today() - timedelta(days=40 + n),
            created_by=world.user("district"),
        )
    monday = today() - timedelta(days=today().weekday())
    tick(at(monday + timedelta(days=1)))
    (listed,) = Notification.objects.filter(kind="overdue_list")
    assert listed.recipient == world.user("district")
    assert listed.title == "3 overdue action items of Cedar Falls District Team"
    assert "Late item 2" in listed.body
    # The same week, again: nothing; the next week: the list again.
    tick(at(monday + timedelta(days=3)))
    assert Notification.objects.filter(kind="overdue_list").count() == 1
    tick(at(monday + timedelta(days=8)))
    assert Notification.objects.filter(kind="overdue_list").count() == 2


def test_the_weekly_list_waits_for_the_agencys_day(world):
    ActionItem.objects.create(
        team=world.district,
        what="Late",
        owner=world.user("building"),
        due_on=today() - timedelta(days=40),
        created_by=world.user("district"),
    )
    settings(roundup_weekday=4)
    monday = today() - timedelta(days=today().weekday())
    tick(at(monday + timedelta(days=7)))
    assert not to("overdue_list")
    tick(at(monday + timedelta(days=11)))
    assert to("overdue_list") == {"district"}


def test_a_late_support_request_reaches_its_sponsor_then_the_cssos_office(world):
    monday = today() - timedelta(days=today().weekday() + 14)
    SupportRequest.objects.create(
        specialist=world.user("sts"),
        sponsor=world.user("sponsor"),
        kind="resource",
        what="Funding for a second coaching day.",
        needed_by=monday + timedelta(days=30),
        asked_at=at(monday),
    )
    # Two working days: within the target.
    tick(at(monday + timedelta(days=2), 17))
    assert not to("support_late")
    # Three working days: the sponsor is reminded.
    tick(at(monday + timedelta(days=3), 17))
    assert to("support_late") == {"sponsor"}
    # A holiday on Friday: still four working days on Monday, then five on Tuesday.
    Holiday.objects.create(day=monday + timedelta(days=4), name="Founders' Day")
    tick(at(monday + timedelta(days=7), 17))
    assert to("support_late") == {"sponsor"}
    tick(at(monday + timedelta(days=8), 17))
    assert to("support_late") == {"sponsor", "csso", "deputy"}
    tick(at(monday + timedelta(days=9), 17))
    assert Notification.objects.filter(kind="support_late").count() == 3


def test_a_barrier_waiting_too_long_reaches_that_levels_lead_and_sts_once_per_stay(world):
    up = [world.building, world.district]
    waiting = barrier(world, "Substitute coverage", up)
    waiting.moved_at = timezone.now() - timedelta(days=30)
    waiting.save()
    tick()
    assert to("barrier_waiting") == {"district", "sts"}
    tick()
    assert Notification.objects.filter(kind="barrier_waiting").count() == 2
    settings(barrier_wait_days=60)
    fresh = barrier(world, "Data lead time", up)
    fresh.moved_at = timezone.now() - timedelta(days=30)
    fresh.save()
    tick()
    assert Notification.objects.filter(kind="barrier_waiting").count() == 2


def test_barriers_waiting_with_the_smt_reach_its_chair(world):
    cycle = cycle_of(world)
    cycle.at_smt.moved_at = timezone.now() - timedelta(days=40)
    cycle.at_smt.save()
    tick()
    waiting = Notification.objects.filter(
        kind="barrier_waiting", url=cycle.at_smt.get_absolute_url()
    )
    assert {n.recipient.username for n in waiting} == {"csso", "deputy"}


def test_an_initiative_review_coming_due_reaches_its_lead(world):
    InitiativeFactory(
        name="Reading Coaches",
        division=world.divisions["academics"],
        lead=world.user("smt"),
        status="active",
    ).__class__.objects.filter(name="Reading Coaches").update(
        next_review_on=today() + timedelta(days=20)
    )
    InitiativeFactory(
        name="Far Off", division=world.divisions["academics"], lead=world.user("sponsor")
    ).__class__.objects.filter(name="Far Off").update(next_review_on=today() + timedelta(days=90))
    tick()
    assert to("review_due") == {"smt"}


def test_an_assessment_coming_due_reaches_the_teams_lead_and_data_lead(world):
    data = data_world(world)
    data_lead = MembershipFactory(team=world.district, role=TeamRole.DATA_LEAD).person
    data.completed.held_on = today() - timedelta(days=data.instrument.due_every_days - 7)
    data.completed.save()
    tick()
    assert to("assessment_due") == {"district", data_lead.username}


def test_a_quiet_link_reaches_both_teams_and_a_quiet_team_its_sts(world):
    cycle = cycle_of(world)
    Team.objects.filter(pk=world.district.pk).update(last_active_on=today() - timedelta(days=90))
    tick()
    quiet_link = Notification.objects.filter(
        kind="protocol_quiet", url=cycle.protocol.get_absolute_url()
    )
    assert {n.recipient.username for n in quiet_link} == {"district"}
    # The world's teams have no activity yet: quiet, and their STS told.
    assert "sts" in to("team_quiet")
    assert Notification.objects.filter(kind="team_quiet", recipient__username="sts").count() == (
        Team.objects.quiet().filter(specialists__username="sts").count()
    )
