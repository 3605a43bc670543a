"""Notifications: the modules' events become notifications for the right people, once per
occasion however often the scheduler fires; each reaches its person as they chose for its
kind; the centre lists them, marks them read by POST, and the navigation counts the unread
without a query of its own."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digests import services
from digests.models import MAX_EMAIL_ATTEMPTS, Notification, Preference
from digests.selectors import preferences_of
from meetings import services as meetings
from meetings.models import Barrier, SupportRequest
from teams.models import today

from .factories import initiatives_world

pytestmark = pytest.mark.django_db


def raise_one(world) -> Barrier:
    return meetings.barrier_raise(
        barrier=Barrier(
            team=world.building,
            title="Coaching clashes with testing",
            practice="Coaching days fall in the testing window.",
            effect="Two months without coaching.",
            would_help="A calendar that leaves coaching days.",
        ),
        by=world.user("building"),
    )


def of_kind(kind: str) -> dict[str, Notification]:
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind)}


def test_a_barrier_reaching_a_team_is_told_to_its_lead_and_sts_once(world):
    raise_one(world)
    assert services.notifications_derive() > 0
    arrived = of_kind("barrier_arrived")
    # Cedar Falls' lead and STS; not the person who raised it.
    assert set(arrived) == {"district", "sts"}
    assert "Coaching clashes with testing" in arrived["district"].title
    assert services.notifications_derive() == 0
    assert Notification.objects.filter(kind="barrier_arrived").count() == 2


def test_an_answer_coming_back_reaches_whoever_raised_it(world):
    barrier = raise_one(world)
    meetings.barrier_answer(
        barrier=barrier,
        by=world.user("district"),
        answer="Coaching moves to early-release days.",
        outcome="practice",
    )
    services.notifications_derive()
    answered = of_kind("barrier_answered")
    assert "building" in answered
    assert "district" not in answered, "not to the person who answered"
    assert answered["building"].url == barrier.get_absolute_url()


def test_a_support_request_reaches_its_sponsor_and_the_answer_its_sts(world):
    sts, sponsor = world.user("sts"), world.user("sponsor")
    request = meetings.support_ask(
        request=SupportRequest(
            sponsor=sponsor, kind="decision", what="A decision on the pilot.", needed_by=today()
        ),
        by=sts,
    )
    services.notifications_derive()
    assert set(of_kind("support_asked")) == {"sponsor"}
    meetings.support_reply(request=request, by=sponsor, text="Yes, go ahead.")
    services.notifications_derive()
    assert set(of_kind("support_answered")) == {"sts"}


def test_an_action_item_assigned_reaches_its_owner_but_not_its_author(world):
    meetings.action_item_add(
        team=world.district,
        by=world.user("district"),
        what="Book the coaching days",
        owner=world.user("building"),
        due_on=today() + timedelta(days=20),
    )
    meetings.action_item_add(
        team=world.district,
        by=world.user("district"),
        what="Write to the principals",
        owner=world.user("district"),
        due_on=today() + timedelta(days=20),
    )
    services.notifications_derive()
    assert set(of_kind("action_assigned")) == {"building"}


def test_a_selection_awaiting_a_rating_reaches_each_rater_who_has_not_submitted(world):
    # Two raters: `sponsor` has submitted, `smt` has not.
    candidate = initiatives_world(world).candidate
    services.notifications_derive()
    awaited = of_kind("rating_awaited")
    assert set(awaited) == {"smt"}
    assert awaited["smt"].url == candidate.get_absolute_url()


def test_people_who_left_are_not_notified(world):
    district = world.user("district")
    district.left_on = today()
    district.save()
    raise_one(world)
    services.notifications_derive()
    assert set(of_kind("barrier_arrived")) == {"sts"}


# --- Preferences ---------------------------------------------------------------------------------


def test_each_kind_reaches_each_person_as_they_chose(world):
    district = world.user("district")
    services.preferences_save(
        person=district, choices={"barrier_arrived": "portal", "action_assigned": "weekly"}
    )
    raise_one(world)
    meetings.action_item_add(
        team=world.district,
        by=world.user("sts"),
        what="Book the coaching days",
        owner=district,
        due_on=today() + timedelta(days=20),
    )
    services.notifications_derive()
    mine = {n.kind: n.delivery for n in Notification.objects.filter(recipient=district)}
    assert mine["barrier_arrived"] == "portal"
    assert mine["action_assigned"] == "weekly"
    # The STS chose nothing: the default for the kind.
    assert of_kind("barrier_arrived")["sts"].delivery == "immediate"
    services.notification_emails_send()
    assert [m.to for m in mail.outbox] == [[world.user("sts").email]]


def test_the_cabinet_reads_barriers_weekly_by_default(world):
    assert preferences_of(world.user("csso"))["barrier_arrived"] == "weekly"
    assert preferences_of(world.user("district"))["barrier_arrived"] == "immediate"


def test_choosing_the_default_stores_nothing_and_a_change_back_is_kept(world):
    district = world.user("district")
    assert services.preferences_save(person=district, choices={"team_quiet": "weekly"}) == 0
    assert not Preference.objects.exists()
    services.preferences_save(person=district, choices={"team_quiet": "portal"})
    services.preferences_save(person=district, choices={"team_quiet": "weekly"})
    assert Preference.objects.get().delivery == "weekly"


def test_the_preferences_page_saves_a_choice(world, client_for):
    client = client_for(world.user("building"))
    form = client.get(reverse("digests:preferences")).context["form"]
    payload = {name: field.initial for name, field in form.fields.items()}
    payload["meeting_soon"] = "portal"
    response = client.post(reverse("digests:preferences"), payload)
    assert response.status_code == 302
    assert preferences_of(world.user("building"))["meeting_soon"] == "portal"


# --- Emails --------------------------------------------------------------------------------------


def test_an_email_has_text_and_html_the_agencys_name_and_a_link_to_preferences(world):
    raise_one(world)
    services.notifications_derive()
    outcome = services.notification_emails_send()
    assert outcome.sent == 2 and outcome.failed == 0
    message = next(m for m in mail.outbox if m.to == [world.user("district").email])
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    for part in (message.body, html):
        assert "Coaching clashes with testing" in part
        assert "Lakeland Department of Education" in part
        assert "/notifications/preferences/" in part
    assert message.subject.startswith("[LDE] ")
    assert services.notification_emails_send().sent == 0


def test_a_backlog_of_emails_goes_batch_after_batch_each_email_once(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from digests import tasks

    people = [world.user(role) for role in ("sts", "district", "building", "csso", "smt")]
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind="barrier_arrived",
            occasion=f"backlog:{n}",
            title=f"Backlog {n}",
            url="/",
            delivery="immediate",
        )
        for n, person in enumerate(people * 2)
    )
    monkeypatch.setattr(services, "EMAIL_BATCH", 3)
    runs = []
    monkeypatch.setattr(
        services, "notification_emails_send", record(runs, services.notification_emails_send)
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_notification_emails.apply()

    # Ten emails, three a batch: four runs, the last one short, and then it stops.
    assert [outcome.sent for outcome in runs] == [3, 3, 3, 1]
    assert sorted(m.subject for m in mail.outbox) == sorted(f"[LDE] Backlog {n}" for n in range(10))


def record(runs: list, send):
    def recording(**kwargs):
        outcome = send(**kwargs)
        runs.append(outcome)
        return outcome

    return recording


class FailingFor:
    """An email backend that refuses one address."""

    refuse = ""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            if self.refuse in message.to:
                raise ConnectionRefusedError("The mail server refused the connection.")
            mail.outbox.append(message)
        return len(messages)


@override_settings(
    EMAIL_BACKEND="tests.test_notifications.FailingFor", PORTAL_MAIL_RETRY_SECONDS=60
)
def test_a_refused_email_does_not_stop_the_others_and_is_tried_again_a_few_times(world):
    mail.outbox = []
    FailingFor.refuse = world.user("district").email
    raise_one(world)
    services.notifications_derive()
    outcome = services.notification_emails_send()
    assert (outcome.sent, outcome.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [[world.user("sts").email]]
    refused = Notification.objects.get(recipient=world.user("district"))
    assert refused.emailed_at is None and refused.email_attempts == 1
    assert "refused" in refused.email_error
    # Not before the pause; then again, doubling, until the attempts run out.
    assert services.notification_emails_send().failed == 0
    later = timezone.now()
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        later += timedelta(days=1)
        services.notification_emails_send(now=later)
    refused.refresh_from_db()
    assert refused.email_attempts == MAX_EMAIL_ATTEMPTS
    FailingFor.refuse = ""
    assert services.notification_emails_send(now=later + timedelta(days=30)).sent == 0


def test_the_weekly_roundup_goes_once_a_week_with_what_came_since(world):
    district = world.user("district")
    services.preferences_save(person=district, choices={"barrier_arrived": "weekly"})
    raise_one(world)
    services.notifications_derive()
    monday = timezone.now() + timedelta(days=7 - timezone.localdate().weekday())
    assert services.roundups_send(now=monday).sent >= 1
    assert services.roundups_send(now=monday).sent == 0
    (roundup,) = [m for m in mail.outbox if m.to == [district.email]]
    assert "Coaching clashes with testing" in roundup.body
    assert Notification.objects.get(recipient=district).roundup is not None


# --- The centre ----------------------------------------------------------------------------------


def test_the_navigation_counts_the_unread_without_a_query_of_its_own(world, client):
    client.force_login(world.user("district"))
    cache.clear()
    with CaptureQueriesContext(connection) as none_unread:
        assert 'visually-hidden"> unread' not in client.get("/teams/updates/").content.decode()
    raise_one(world)
    services.notifications_derive()
    cache.clear()
    with CaptureQueriesContext(connection) as one_unread:
        page = client.get("/teams/updates/").content.decode()
    assert 'nav-badge">1<span class="visually-hidden"> unread</span>' in page
    assert len(one_unread) == len(none_unread)


def test_marking_read_is_a_post_and_only_for_ones_own(world, client_for):
    raise_one(world)
    services.notifications_derive()
    mine = Notification.objects.get(recipient=world.user("district"), kind="barrier_arrived")
    theirs = Notification.objects.get(recipient=world.user("sts"), kind="barrier_arrived")
    client = client_for(world.user("district"))
    assert client.get(reverse("digests:read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("digests:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("digests:read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    with pytest.raises(PermissionDenied):
        services.notification_read(notification=theirs, by=world.user("district"))


def test_the_centre_lists_ones_own_notifications_linking_to_their_subject(world, client_for):
    barrier = raise_one(world)
    services.notifications_derive()
    page = client_for(world.user("district")).get(reverse("digests:notifications"))
    text = page.content.decode()
    assert barrier.get_absolute_url() in text
    assert "1 unread" in text
    assert [n.recipient for n in page.context["page"].object_list] == [world.user("district")]


def test_mark_all_read(world, client_for):
    raise_one(world)
    services.notifications_derive()
    client = client_for(world.user("sts"))
    client.post(reverse("digests:read-all"))
    assert not Notification.objects.filter(recipient=world.user("sts"), read_at=None).exists()
