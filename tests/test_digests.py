"""The CSSO's monthly digest: built once a month for the month before, from the first
working day; one per recipient and month however often the scheduler fires; kept in an
archive the cabinet reads; printable and a PDF; previewed and rebuilt by admins without
anyone being sent it twice."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from datasystem.suppression import Cell, shown_table
from digests import selectors, services, tasks
from digests.digest import SECTIONS, build_content, month_of, previous_month
from digests.models import Digest, DigestDelivery, DigestRecipient, Notification
from digests.outcomes import OutcomeRow, outcome_progress
from digests.pdf import digest_document
from meetings.models import Holiday, SharedWithSmt
from teams.models import today

from .cycle_world import cycle_of
from .world import ROLES

pytestmark = pytest.mark.django_db

LAST_MONTH = previous_month(month_of(today()))


def run_and_send(day=None) -> int:
    """One tick of the monthly task, and the deliveries it hands on, as the worker does."""
    sent = 0
    for delivery in services.digest_run(day=day):
        sent += services.digest_deliver(delivery_id=delivery) == "sent"
    return sent


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- When and for whom ---------------------------------------------------------------------------


def test_the_first_working_day_skips_weekends_and_the_agencys_holidays():
    assert selectors.first_working_day(date(2026, 11, 1)) == date(2026, 11, 2)  # a Sunday
    Holiday.objects.create(day=date(2027, 1, 1), name="New Year's Day")
    assert selectors.first_working_day(date(2027, 1, 1)) == date(2027, 1, 4)


def test_last_months_digest_is_due_from_the_first_working_day():
    assert selectors.digest_due_month(date(2026, 11, 2)) == date(2026, 10, 1)
    assert selectors.digest_due_month(date(2026, 11, 30)) == date(2026, 10, 1)
    # Sunday 1 November: October's is not due yet; September's still is.
    assert selectors.digest_due_month(date(2026, 11, 1)) == date(2026, 9, 1)


def test_the_digest_goes_to_the_csso_the_deputy_and_whoever_the_csso_adds(world):
    DigestRecipient.objects.create(person=world.user("sts"), added_by=world.user("csso"))
    assert run_and_send() == 3
    assert sent_to() == sorted(world.user(r).email for r in ("csso", "deputy", "sts"))


def test_a_recipient_gets_one_digest_a_month_however_often_the_scheduler_fires(world):
    for _ in range(3):
        run_and_send()
    assert Digest.objects.count() == 1
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == 2
    assert len(mail.outbox) == 2
    # A second worker handed the same delivery finds it sent.
    delivery = DigestDelivery.objects.first()
    assert services.digest_deliver(delivery_id=delivery.pk) == "skipped"
    assert len(mail.outbox) == 2


def test_someone_added_later_in_the_month_gets_last_months_once(world):
    run_and_send()
    DigestRecipient.objects.create(person=world.user("smt"), added_by=world.user("csso"))
    assert run_and_send() == 1
    assert run_and_send() == 0
    assert sent_to().count(world.user("smt").email) == 1


def test_a_refused_digest_does_not_stop_the_others_and_is_sent_on_a_later_tick(world, settings):
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingFor"
    settings.PORTAL_MAIL_RETRY_SECONDS = 0
    from .test_notifications import FailingFor

    mail.outbox = []
    FailingFor.refuse = world.user("csso").email
    assert run_and_send() == 1
    assert sent_to() == [world.user("deputy").email]
    refused = DigestDelivery.objects.get(recipient=world.user("csso"))
    assert refused.sent_at is None and refused.attempts == 1 and "refused" in refused.error
    FailingFor.refuse = ""
    assert run_and_send() == 1
    assert sent_to() == sorted([world.user("deputy").email, world.user("csso").email])


def test_the_recipients_are_kept_by_the_csso(world, client_for):
    client = client_for(world.user("csso"))
    response = client.post(reverse("digests:recipients"), {"person": world.user("sponsor").pk})
    assert response.status_code == 302
    seat = DigestRecipient.objects.get()
    assert seat.person == world.user("sponsor") and seat.added_by == world.user("csso")
    with pytest.raises(ValidationError):
        services.digest_recipient_add(person=world.user("deputy"), by=world.user("csso"))
    client.post(reverse("digests:recipient-remove", args=[seat.pk]))
    assert not DigestRecipient.objects.exists()


# --- The archive ----------------------------------------------------------------------------------


def test_the_archive_is_for_the_cabinet_and_admins(world, client):
    run_and_send()
    month = reverse("digests:digest", args=[LAST_MONTH.year, LAST_MONTH.month])
    answers = {}
    for role in ROLES:
        client.force_login(world.user(role))
        answers[role] = (
            client.get(reverse("digests:archive")).status_code,
            client.get(month).status_code,
            client.get(f"{month}pdf/").status_code,
        )
    readers = ("csso", "deputy", "smt", "sponsor", "admin")
    assert answers == {role: (200,) * 3 if role in readers else (403,) * 3 for role in ROLES}


def test_someone_the_csso_added_reads_the_archive(world, client_for):
    DigestRecipient.objects.create(person=world.user("sts"), added_by=world.user("csso"))
    assert client_for(world.user("sts")).get(reverse("digests:archive")).status_code == 200


def test_a_months_digest_reads_its_first_screen_then_the_detail(world, client_for):
    cycle_of(world)
    SharedWithSmt.objects.create(
        kind="success",
        team=world.district,
        text="All four Zone districts now meet monthly.",
        by=world.user("sts"),
        shared_at=timezone.make_aware(
            timezone.datetime.combine(LAST_MONTH, timezone.datetime.min.time())
        )
        + timedelta(days=3),
    )
    run_and_send()
    page = client_for(world.user("csso")).get(
        reverse("digests:digest", args=[LAST_MONTH.year, LAST_MONTH.month])
    )
    text = page.content.decode()
    assert f"{LAST_MONTH:%B %Y} at a glance" in text
    assert text.index("Needs attention") < text.index("Successes and adaptive challenges")
    assert "All four Zone districts now meet monthly." in text
    assert "Download the PDF" in text


def test_the_pdf_renders_as_pages(world, client_for):
    run_and_send()
    response = client_for(world.user("deputy")).get(
        reverse("digests:digest-pdf", args=[LAST_MONTH.year, LAST_MONTH.month])
    )
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="digest-{LAST_MONTH:%Y-%m}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    # The first screen on a page of its own, the detail after.
    pages = digest_document(Digest.objects.get()).pages
    assert len(pages) >= 2


def test_an_admin_previews_a_month_without_storing_or_sending_it(world, client_for):
    client = client_for(world.user("admin"))
    response = client.get(reverse("digests:preview", args=[LAST_MONTH.year, LAST_MONTH.month]))
    assert response.status_code == 200
    assert "stored nowhere and sent to nobody" in response.content.decode()
    assert not Digest.objects.exists() and not mail.outbox
    this = month_of(today())
    assert client.get(reverse("digests:preview", args=[this.year, this.month])).status_code == 200
    after = month_of(this + timedelta(days=40))
    assert client.get(reverse("digests:preview", args=[after.year, after.month])).status_code == 404
    assert client.get("/digests/2026/13/preview/").status_code == 404


def test_rebuilding_a_digest_sends_nobody_a_second_copy(world, client_for):
    run_and_send()
    digest = Digest.objects.get()
    digest.content = {**digest.content, "attention": ["stale"]}
    digest.save()
    response = client_for(world.user("admin")).post(
        reverse("digests:regenerate", args=[LAST_MONTH.year, LAST_MONTH.month])
    )
    assert response.status_code == 302
    digest.refresh_from_db()
    assert digest.content["attention"] != ["stale"] and digest.regenerated_by == world.user("admin")
    assert run_and_send() == 0
    assert len(mail.outbox) == 2
    with pytest.raises(ValidationError):
        services.digest_regenerate(month=month_of(today()), by=world.user("admin"))


def test_the_digest_ready_notice_is_in_the_portal_only(world):
    run_and_send()
    notices = Notification.objects.filter(kind="digest_ready")
    assert {n.recipient.username for n in notices} == {"csso", "deputy"}
    assert {n.delivery for n in notices} == {"portal"}


# --- What it says ---------------------------------------------------------------------------------


def test_every_section_has_its_figures_and_what_needs_attention(world):
    cycle_of(world)
    content = build_content(LAST_MONTH)
    assert [s["key"] for s in content["sections"]] == [s.key for s in SECTIONS]
    for section in content["sections"]:
        assert section["figures"], section["key"]
        assert isinstance(section["attention"], list) and isinstance(section["achieved"], list)
    first = [f["label"] for f in content["figures"] if f["first"]]
    assert "Sponsor rule" in first and "Median time to resolution" in first


def test_a_broken_sponsor_rule_is_the_first_thing_that_needs_attention(world, monkeypatch):
    from digests import digest
    from teams.models import SponsorAppointment

    SponsorAppointment.objects.exclude(sponsor__username="sponsor").delete()
    # A section ahead of it in the digest with something of its own needing attention.
    ahead = digest.Section(
        "late", "Late", lambda period: {"figures": [], "attention": ["Late"], "achieved": []}
    )
    monkeypatch.setattr(digest, "SECTIONS", [ahead, *digest.SECTIONS])
    content = build_content(LAST_MONTH)
    broken = [line.startswith("The sponsor rule is broken") for line in content["attention"]]
    # First, ahead of the other sections' attention (the world has some), however many.
    assert broken[0] and len(broken) > sum(broken)
    assert broken == sorted(broken, reverse=True)


# --- Outcomes (the section that joins the list with the outcome data) ----------------------------


def test_outcome_values_in_the_digest_pass_through_the_one_suppression_function():
    rows = [
        OutcomeRow("Reading proficiency", side, "all", period, Decimal(value), count)
        for side, period, value, count in [
            ("zone", "2025-26", "48.0", 400),
            ("zone", "2026-27", "53.5", 410),
            ("rest", "2025-26", "47.0", 9),
            ("rest", "2026-27", "46.0", 8),
            ("state", "2025-26", "47.9", 409),
            ("state", "2026-27", "53.0", 418),
        ]
    ]
    section = outcome_progress(None, rows)
    by_side = {r["side"]: r for r in section["rows"]}
    rest, zone = by_side["The rest of the state"], by_side["The Zone"]
    assert rest["value"] == "fewer than 10" and rest["hidden"] and rest["students"] is None
    # The Zone with the state would give the rest away: hidden beside it.
    assert zone["value"] == "*" and zone["change"] is None
    expected = shown_table(
        [Cell(r.side, r.group, r.count, r.value) for r in rows if r.period == "2026-27"],
        total_group="all",
        parents={"zone": "state", "rest": "state"},
    )
    assert expected[("zone", "all")].is_hidden


def test_outcome_changes_are_shown_between_two_shown_values():
    rows = [
        OutcomeRow("Attendance", side, "all", period, Decimal(value), 500)
        for side, period, value in [
            ("zone", "2025-26", "90.0"),
            ("zone", "2026-27", "92.5"),
            ("rest", "2025-26", "89.0"),
            ("rest", "2026-27", "89.5"),
        ]
    ]
    by_side = {r["side"]: r for r in outcome_progress(None, rows)["rows"]}
    assert by_side["The Zone"]["change"] == 2.5 and by_side["The Zone"]["students"] == 500


# --- The tasks, as the worker runs them --------------------------------------------------------


@pytest.fixture
def eager():
    """Tasks run in the test, as they do without a broker, whatever REDIS_URL says."""
    from smt_portal.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


@pytest.mark.parametrize(
    "task",
    [
        tasks.derive_notifications,
        tasks.send_notification_emails,
        tasks.send_weekly_roundups,
        tasks.run_monthly_digest,
    ],
    ids=lambda t: t.name,
)
def test_each_scheduled_task_run_twice_does_nothing_new_the_second_time(
    task, world, eager, django_capture_on_commit_callbacks
):
    cycle_of(world)
    services.notifications_derive()  # something for the emails and roundups to send
    monday = today() - timedelta(days=today().weekday())
    assert monday <= today()
    with django_capture_on_commit_callbacks(execute=True):
        task.delay()
    first = (len(mail.outbox), Notification.objects.count(), DigestDelivery.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        task.delay()
    assert (len(mail.outbox), Notification.objects.count(), DigestDelivery.objects.count()) == first
    if task is tasks.run_monthly_digest:
        assert first[2] == 2 and len(mail.outbox) == 2


def test_the_digest_gives_the_zones_outcomes_as_the_data_system_decided_them(world, settings):
    from digests.digest import Period
    from digests.outcomes import zone_progress

    from .outcome_world import outcome_world

    outcome_world(world)
    rows = {r["side"]: r for r in zone_progress(Period(month_of(today())))["rows"]}
    zone, rest = rows["The Zone"], rows["The rest of the state"]
    assert (zone["value"], zone["students"], zone["hidden"]) == ("61", 120, False)
    assert (rest["value"], rest["students"]) == ("51.6", 290)
    assert zone["period"] == "School year 2025-26"
    # With a larger minimum the tables wait to be decided again: nothing of them shows.
    settings.PORTAL_MINIMUM_CELL_SIZE = 200
    rows = {r["side"]: r for r in zone_progress(Period(month_of(today())))["rows"]}
    assert rows["The Zone"]["hidden"] and rows["The Zone"]["value"] == "*"
    assert rows["The Zone"]["students"] is None and rows["The Zone"]["change"] is None
