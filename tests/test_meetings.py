"""Meetings: agendas carried forward, quorum, minutes that never overwrite, decisions that
come back, action items nobody forgets, the structured format, and calendars."""

from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, AgendaItem, CalendarFeed, Decision, Meeting, Problem
from meetings.services import Attended
from teams.models import Team, today

from .factories import TeamUpdateFactory, UserFactory
from .meetings_world import at, meetings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return meetings_of(world)


def agenda_subjects(meeting):
    return [
        (i.subject_type.model if i.subject_type else None, i.subject_id)
        for i in meeting.agenda.all()
    ]


# --- Carry-forward ---------------------------------------------------------------------------


def test_scheduling_carries_forward_open_actions_and_decisions_due(world, m):
    m.decision.review_on = today() + timedelta(days=10)
    m.decision.save()
    meeting = services.meeting_schedule(
        meeting=Meeting(series=m.smt_series, starts_at=at(20)), by=world.user("csso")
    )
    carried = agenda_subjects(meeting)
    assert ("actionitem", m.action.pk) in carried
    assert ("decision", m.decision.pk) in carried
    assert all(item.carried_forward for item in meeting.agenda.all())


def test_a_decision_not_yet_due_is_not_carried(world, m):
    meeting = services.meeting_schedule(
        meeting=Meeting(series=m.smt_series, starts_at=at(20)), by=world.user("csso")
    )
    assert ("decision", m.decision.pk) not in agenda_subjects(meeting)


def test_removing_a_carried_item_leaves_the_action_open_where_it_came_from(world, m):
    services.carry_forward(meeting=m.smt_next, by=world.user("csso"))
    item = m.smt_next.agenda.get(subject_id=m.action.pk, carried_forward=True)
    m.smt_next.refresh_from_db()
    services.agenda_item_remove(
        item=item, by=world.user("csso"), agenda_version=m.smt_next.agenda_version
    )
    m.action.refresh_from_db()
    assert m.action.status == "open"
    # ...and bringing forward again finds it.
    assert services.carry_forward(meeting=m.smt_next, by=world.user("csso")).actions == 1


def test_carrying_forward_twice_adds_nothing_the_second_time(world, m):
    first = services.carry_forward(meeting=m.smt_next, by=world.user("csso"))
    again = services.carry_forward(meeting=m.smt_next, by=world.user("csso"))
    assert first.actions == 1
    assert (again.actions, again.reviews) == (0, 0)


def test_marking_the_meeting_held_closes_the_review_it_carried(world, m):
    m.decision.review_on = m.smt_held.held_on + timedelta(days=1)
    m.decision.save()
    meeting = Meeting.objects.create(
        series=m.smt_series, team=world.smt, starts_at=at(-1), facilitator=world.user("csso")
    )
    services.carry_forward(meeting=meeting, by=world.user("csso"))
    assert Decision.objects.due_for_review(today()).filter(pk=m.decision.pk).exists()
    meeting.status = "held"
    services.meeting_save(meeting=meeting, by=world.user("csso"))
    assert not Decision.objects.due_for_review(today()).filter(pk=m.decision.pk).exists()


def test_a_meeting_held_counts_as_the_teams_activity(world, m):
    meeting = Meeting.objects.create(
        series=m.smt_series, team=world.smt, starts_at=at(-1), facilitator=world.user("csso")
    )
    meeting.status = "held"
    services.meeting_save(meeting=meeting, by=world.user("csso"))
    assert Team.objects.get(pk=world.smt.pk).last_active_on == meeting.held_on


def test_a_meeting_ahead_cannot_be_marked_held(world, m):
    m.smt_next.status = "held"
    with pytest.raises(ValidationError, match="start time has passed"):
        services.meeting_save(meeting=m.smt_next, by=world.user("csso"))


def test_a_meeting_belongs_to_its_own_teams_series(world, m):
    with pytest.raises(ValidationError, match="own team's series"):
        services.meeting_schedule(
            meeting=Meeting(series=m.smt_series, team=world.district, starts_at=at(5)),
            by=world.user("csso"),
        )
    assert not Meeting.objects.filter(team=world.district, starts_at=at(5)).exists()


def test_the_next_meeting_is_proposed_from_the_cadence(world, m):
    proposed = services.proposed_start(m.smt_series)
    last = m.smt_next.starts_at
    assert proposed.date() >= (last + timedelta(days=world.smt.cadence)).date()
    assert proposed.weekday() < 5


# --- Agendas ---------------------------------------------------------------------------------


def test_items_move_up_and_down_and_a_stale_agenda_is_refused(world, m):
    csso = world.user("csso")
    second = services.agenda_item_add(
        meeting=m.smt_next,
        by=csso,
        item=AgendaItem(title="Barriers", allotted=15),
        agenda_version=m.smt_next.agenda_version,
    )
    version = Meeting.objects.get(pk=m.smt_next.pk).agenda_version
    services.agenda_item_move(item=second, by=csso, direction="up", agenda_version=version)
    assert [i.title for i in m.smt_next.agenda.all()] == ["Barriers", "Data review"]
    with pytest.raises(ValidationError, match="agenda changed"):
        services.agenda_item_move(item=second, by=csso, direction="down", agenda_version=version)


def test_the_smt_is_offered_the_updates_flagged_since_its_last_meeting(world, m, client):
    old = TeamUpdateFactory(
        team=world.district,
        author=world.user("sts"),
        for_smt_attention=True,
        occurred_on=m.smt_held.held_on - timedelta(days=5),
    )
    client.force_login(world.user("csso"))
    offers = client.get(reverse("meetings:offers", args=[m.smt_next.pk])).context["offers"]
    offered = [record for _, records in offers for _, record in records]
    assert world.attention_update in offered
    assert old not in offered
    # Taking the offer puts it on the agenda, and it is offered no more.
    client.post(
        reverse("meetings:agenda-offer", args=[m.smt_next.pk]),
        {"version": "1", "kind": "update", "record": world.attention_update.pk},
    )
    assert ("teamupdate", world.attention_update.pk) in agenda_subjects(m.smt_next)
    offers = client.get(reverse("meetings:offers", args=[m.smt_next.pk])).context["offers"]
    assert world.attention_update not in [r for _, rs in offers for _, r in rs]


def test_a_long_offer_is_shortened_where_it_is_listed_and_added_in_full(world, m, client):
    long = TeamUpdateFactory(
        team=world.district,
        author=world.user("sts"),
        for_smt_attention=True,
        summary="Coaching " * 30,
    )
    client.force_login(world.user("csso"))
    page = client.get(reverse("meetings:offers", args=[m.smt_next.pk])).content.decode()
    offered = next(
        record
        for _, records in client.get(reverse("meetings:offers", args=[m.smt_next.pk])).context[
            "offers"
        ]
        for _, record in records
        if record.pk == long.pk
    )

    assert len(offered.offered_short) == 110 and offered.offered_short.endswith("…")
    assert len(offered.offered_label) == 60 and offered.offered_label.endswith("…")
    assert f">{offered.offered_short}</a>" in page
    assert f"“{offered.offered_label}” to the agenda" in page
    assert f'action="{reverse("meetings:agenda-offer", args=[m.smt_next.pk])}"' in page


def test_the_cabinet_sees_the_offers_but_only_those_who_prepare_add_them(world, m, client):
    client.force_login(world.user("smt"))
    response = client.get(reverse("meetings:offers", args=[m.smt_next.pk]))
    assert response.context["offers"]
    assert reverse("meetings:agenda-offer", args=[m.smt_next.pk]) not in response.content.decode()
    # An STS reads the SMT's meetings but not every team's updates: no offers.
    client.force_login(world.user("sts"))
    assert client.get(reverse("meetings:offers", args=[m.smt_next.pk])).status_code == 403


# --- Minutes: a stale save is refused, never an overwrite -----------------------------------------


def test_the_second_of_two_minute_takers_is_shown_what_the_first_saved(world, m, client):
    url = reverse("meetings:minutes", args=[m.smt_next.pk, m.smt_item.pk])
    client.force_login(world.user("csso"))
    client.post(url, {"minutes": "First version, by the CSSO.", "version": "1"})
    client.force_login(world.user("smt"))
    response = client.post(url, {"minutes": "Second version, by Sarah.", "version": "1"})
    assert response.status_code == 200
    assert "saved this item while you were editing" in response.content.decode()
    assert "First version, by the CSSO." in response.content.decode()
    assert AgendaItem.objects.get(pk=m.smt_item.pk).minutes == "First version, by the CSSO."
    # Having seen it, Sarah saves her merged text.
    merged = response.context["form"].data["version"]
    client.post(url, {"minutes": "Both versions, merged.", "version": merged})
    assert AgendaItem.objects.get(pk=m.smt_item.pk).minutes == "Both versions, merged."


# --- Attendance and quorum -------------------------------------------------------------------


def test_quorum_is_shown_from_the_attendance(world, m):
    csso = world.user("csso")
    meeting = services.attendance_record(
        meeting=m.smt_next,
        by=csso,
        entries=[Attended(world.user(r), "present") for r in ("csso", "deputy", "smt")],
    )
    # Five current members (the cabinet and the second sponsor): three is half or more.
    assert (meeting.present_count, meeting.member_count, meeting.quorum_met) == (3, 5, True)
    meeting = services.attendance_record(
        meeting=m.smt_next,
        by=csso,
        entries=[Attended(world.user(r), "absent") for r in ("deputy", "smt")],
    )
    assert meeting.quorum_met is False


def test_the_meetings_list_writes_each_meeting_its_time_team_status_and_quorum(world, m, client):
    Meeting.objects.filter(pk=m.smt_held.pk).update(quorum_met=False)
    client.force_login(world.user("csso"))

    page = client.get(reverse("meetings:index")).content.decode()

    held = timezone.localtime(m.smt_held.starts_at)
    upcoming = timezone.localtime(m.smt_next.starts_at)
    assert (
        f'<tr><td class="text-nowrap"><a href="{m.smt_held.get_absolute_url()}">'
        f"{held:%a} {held.day} {held:%b %Y, %H:%M}</a></td><td>{world.smt}</td>"
        '<td><span class="meeting-status meeting-status-held">Held</span></td>'
        "<td><strong>No quorum</strong></td></tr>"
    ) in page
    assert (
        f'<a href="{m.smt_next.get_absolute_url()}">{upcoming:%a} {upcoming.day} '
        f"{upcoming:%b %Y, %H:%M}</a>"
    ) in page
    assert '<span class="text-body-secondary">Not recorded</span>' in page


def test_attendance_is_for_current_members_only(world, m):
    with pytest.raises(ValidationError, match="not a current member"):
        services.attendance_record(
            meeting=m.smt_next,
            by=world.user("csso"),
            entries=[Attended(world.user("building"), "present")],
        )
    assert not m.smt_next.attendance.exists()


def test_a_decision_without_quorum_is_marked_so(world, m):
    services.attendance_record(
        meeting=m.smt_next, by=world.user("csso"), entries=[Attended(world.user("csso"), "present")]
    )
    m.smt_next.refresh_from_db()
    decision = services.decision_record(meeting=m.smt_next, by=world.user("csso"), text="Go ahead.")
    assert decision.without_quorum


# --- Decisions ------------------------------------------------------------------------------


def test_a_review_date_before_the_decision_is_refused(world, m):
    with pytest.raises(ValidationError, match="after the day the decision"):
        services.decision_record(
            meeting=m.smt_next, by=world.user("csso"), text="Go.", review_on=today()
        )
    assert not Decision.objects.filter(text="Go.").exists()


def test_a_decision_rests_on_its_evidence(world, m, client):
    decision = services.decision_record(
        meeting=m.smt_next,
        by=world.user("csso"),
        text="Protect coaching time.",
        review_on=today() + timedelta(days=60),
        evidence=[world.attention_update],
        documents=[("https://docs.example.org/plan.pdf", "Coaching plan")],
    )
    client.force_login(world.user("smt"))
    page = client.get(reverse("meetings:decision", args=[decision.pk])).content.decode()
    assert world.attention_update.get_absolute_url() in page
    assert "Coaching plan" in page


def test_the_register_shows_only_the_decisions_a_person_may_read(world, m, client):
    mine = services.decision_record(
        meeting=m.district_meeting, by=world.user("district"), text="Meet weekly in December."
    )
    client.force_login(world.user("district"))
    listed = list(client.get(reverse("meetings:decisions")).context["page"].object_list)
    assert mine in listed and m.decision not in listed
    client.force_login(world.user("sponsor"))
    listed = list(client.get(reverse("meetings:decisions")).context["page"].object_list)
    assert mine in listed and m.decision in listed


def test_the_register_searches_words_team_and_dates(world, m, client):
    client.force_login(world.user("smt"))
    found = client.get(reverse("meetings:decisions"), {"q": "coaching positions"})
    assert list(found.context["page"].object_list) == [m.decision]
    found = client.get(reverse("meetings:decisions"), {"team": "Cedar"})
    assert list(found.context["page"].object_list) == []
    found = client.get(reverse("meetings:decisions"), {"since": today().isoformat()})
    assert list(found.context["page"].object_list) == []


# --- Action items ----------------------------------------------------------------------------


def test_an_action_item_needs_an_owner(world, m):
    with pytest.raises(ValidationError, match="owner"):
        services.action_item_add(
            team=world.smt,
            by=world.user("csso"),
            what="X",
            owner=None,
            due_on=today(),
            meeting=m.smt_next,
        )


def test_the_owner_sees_it_overdue_first_and_marks_it_done(world, m, client):
    late = ActionItem.objects.create(
        team=world.smt,
        what="Late item",
        owner=world.user("sponsor"),
        due_on=today() - timedelta(days=4),
        created_by=world.user("csso"),
    )
    client.force_login(world.user("sponsor"))
    page = client.get(reverse("meetings:actions"))
    assert list(page.context["page"].object_list)[:2] == [late, m.action]
    html = page.content.decode()
    due = late.due_on
    assert '<li class="action-item is-overdue">' in html
    assert f'<span class="overdue-flag">Overdue: due {due.day} {due:%b %Y}</span>' in html
    assert f'<form method="post" action="{reverse("meetings:action-done", args=[late.pk])}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<span class="visually-hidden">: Late item</span>' in html
    # Someone who may not close it reads it without the button.
    client.force_login(world.user("csso"))
    meeting_page = client.get(reverse("meetings:meeting", args=[m.smt_next.pk])).content.decode()
    assert reverse("meetings:action-done", args=[m.action.pk]) not in meeting_page
    client.force_login(world.user("sponsor"))
    client.post(reverse("meetings:action-done", args=[late.pk]))
    late.refresh_from_db()
    assert (late.status, late.done_on) == ("done", today())


def test_nobody_else_closes_someone_elses_action_item(world, m):
    with pytest.raises(PermissionDenied):
        services.action_item_done(action=m.action, by=world.user("smt"))


def test_a_dropped_action_keeps_its_reason(world, m):
    with pytest.raises(ValidationError):
        services.action_item_drop(action=m.action, by=world.user("sponsor"), reason="  ")
    services.action_item_drop(action=m.action, by=world.user("sponsor"), reason="Finance took it.")
    m.action.refresh_from_db()
    assert (m.action.status, m.action.drop_reason) == ("dropped", "Finance took it.")


def test_team_leads_see_their_teams_items(world, m, client):
    other = ActionItem.objects.create(
        team=world.district,
        what="Another member's item",
        owner=UserFactory(),
        due_on=today(),
        created_by=world.user("district"),
    )
    client.force_login(world.user("district"))
    page = client.get(reverse("meetings:actions"))
    assert other in page.context["team_items"]
    client.force_login(world.user("building"))
    assert client.get(reverse("meetings:actions")).context["team_items"] == []


def test_an_action_item_tells_where_it_came_from(world, m, client):
    action = services.action_item_add(
        team=world.smt,
        by=world.user("csso"),
        what="Follow up the data review",
        owner=world.user("smt"),
        due_on=today() + timedelta(days=7),
        origin=m.smt_item,
        meeting=m.smt_next,
    )
    client.force_login(world.user("smt"))
    page = client.get(reverse("meetings:action", args=[action.pk])).content.decode()
    assert "Agenda item" in page and "Data review" in page


def test_changes_are_audited_with_who_made_them(world, m, client):
    client.force_login(world.user("csso"))
    client.post(
        reverse("meetings:decision-add", args=[m.smt_next.pk]),
        {"text": "Publish the quarterly summary.", "review_on": ""},
    )
    decision = Decision.objects.get(text="Publish the quarterly summary.")
    assert decision.history.first().history_user == world.user("csso")


# --- Structured problem solving -----------------------------------------------------------------


def test_goal_met_solves_the_problem(world, m):
    services.effectiveness_record(
        meeting=m.district_meeting, by=world.user("district"), problem=m.problem, effect="goal_met"
    )
    assert Problem.objects.get(pk=m.problem.pk).status == "solved"


def test_effectiveness_is_checked_at_a_later_meeting(world, m):
    earlier = m.problem.meeting
    with pytest.raises(ValidationError, match="later meeting"):
        services.effectiveness_record(
            meeting=earlier, by=world.user("district"), problem=m.problem, effect="improved"
        )


def test_a_plain_series_has_no_problem_statements(world, m):
    with pytest.raises(ValidationError, match="plain minutes"):
        services.problem_define(
            meeting=m.smt_next, by=world.user("csso"), problem=Problem(what="x")
        )


# --- Calendars ----------------------------------------------------------------------------------


def test_a_meeting_downloads_as_ics_that_parses_back(world, m, client):
    client.force_login(world.user("smt"))
    response = client.get(reverse("meetings:meeting-ics", args=[m.smt_next.pk]))
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == timezone.localtime(m.smt_next.starts_at)
    assert str(event["summary"]) == "State Management Team meeting"


def test_the_private_feed_lists_the_persons_meetings_until_reset(world, m, client):
    url = reverse("meetings:feed", args=[m.feed.token])
    calendar = icalendar.Calendar.from_ical(client.get(url).content)
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert summaries == {f"{world.district.name} meeting"}
    client.force_login(world.user("district"))
    client.post(reverse("meetings:feed-reset"))
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(world.user("district"))
    client.post(reverse("meetings:feed-reset"))
    new_url = reverse(
        "meetings:feed", args=[CalendarFeed.objects.get(person=world.user("district")).token]
    )
    client.post(reverse("meetings:feed-revoke"))
    client.logout()
    assert client.get(new_url).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"),
    [("csso", True), ("sts", True), ("district", True), ("building", True), ("admin", False)],
)
def test_the_home_page_shows_your_meetings_and_open_actions(role, shown, world, m, client):
    client.force_login(world.user(role))
    response = client.get("/")
    keys = {s.panel.key for s in [*response.context["main"], *response.context["side"]]}
    assert ("meetings" in keys) is shown


def test_the_sponsors_overdue_action_is_on_their_home_page(world, m, client):
    m.action.due_on = today() - timedelta(days=2)
    m.action.save()
    client.force_login(world.user("sponsor"))
    page = client.get("/").content.decode()
    assert "Bring options for substitute coverage" in page and "Overdue" in page


def test_a_teams_page_links_to_its_meetings_for_those_who_follow_it(world, m, client):
    url = reverse("meetings:team", args=[world.district.pk])
    client.force_login(world.user("district"))
    assert url in client.get(reverse("teams:team", args=[world.district.pk])).content.decode()
    client.force_login(world.user("building"))
    assert url not in client.get(reverse("teams:team", args=[world.district.pk])).content.decode()


def test_the_meetings_pages_are_measured_by_the_bench():
    from teams.demo import DEMO_USERNAMES
    from teams.registry import portal

    pages = portal.bench_parts["meetings"].pages(None)
    labels = {label for label, _, _ in pages}
    assert {"/meetings/", "/meetings/actions/", "/meetings/decisions/"} <= labels
    assert {role for label, role, _ in pages if label == "/meetings/"} == set(DEMO_USERNAMES)


def test_evidence_ids_beyond_any_integer_are_refused_not_crashed(world, m, client):
    client.force_login(world.user("csso"))
    response = client.post(
        reverse("meetings:decision-add", args=[m.smt_next.pk]),
        {"text": "Go.", "updates": [str(2**63)]},
    )
    assert response.status_code == 200 and "Please correct" in response.content.decode()
    assert not Decision.objects.filter(text="Go.").exists()


def test_my_meetings_lists_whats_coming_and_then_the_rest_newest_first(world, m, client):
    cancelled_ahead = Meeting.objects.create(
        series=m.district_series,
        team=world.district,
        starts_at=at(20, 15),
        facilitator=world.user("district"),
        status="cancelled",
    )
    coming = Meeting.objects.create(
        series=m.district_series, team=world.district, starts_at=at(14, 15)
    )
    client.force_login(world.user("district"))

    response = client.get(reverse("meetings:index"))

    assert list(response.context["upcoming"]) == [coming]
    rest = list(response.context["page"].object_list)
    # A meeting cancelled ahead is no longer coming up: it leads the rest, newest first.
    assert rest[0] == cancelled_ahead and m.district_meeting in rest
    assert [x.starts_at for x in rest] == sorted((x.starts_at for x in rest), reverse=True)
    assert coming not in rest


def test_a_meeting_time_with_day_and_month_in_either_order_is_refused(world, m, client):
    from meetings.forms import MeetingForm

    def form(starts_at):
        return MeetingForm(
            {"starts_at": starts_at, "length": 60},
            instance=m.district_meeting,
            members=[world.user("district")],
            problem_solving=False,
        )

    assert "starts_at" in form("03/04/2026 15:00").errors
    assert "starts_at" not in form("2026-04-03T15:00").errors
    assert "starts_at" not in form("2026-04-03 15:00").errors


@pytest.mark.parametrize(
    "role", ["csso", "deputy", "smt", "sponsor", "sts", "district", "building"]
)
def test_the_teams_a_person_runs_are_those_the_rule_lets_them_watch(world, role):
    from meetings.rules import teams_run_by

    user = world.user(role)
    watched = {t.pk for t in Team.objects.all() if user.has_perm("meetings.see_team_actions", t)}
    assert teams_run_by(user) == watched
