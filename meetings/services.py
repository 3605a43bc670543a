"""Writes: each service keeps its invariant, asks the rules, and runs in one transaction.

Services raise `ValidationError` with a message a person can act on; views put it on the
form. Every record here keeps its history (django-simple-history), so no service writes
with a queryset `update()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from teams.models import Team, User, today
from teams.rules import require

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    EffectivenessCheck,
    Evidence,
    ItemKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Presence,
    Problem,
    SelfCheck,
    Solution,
    new_feed_token,
)
from .registry import linkable_for
from .selectors import members_of

# --- Series and meetings ---------------------------------------------------------------------


@transaction.atomic
def series_save(*, series: MeetingSeries, by: User) -> MeetingSeries:
    require(by, "meetings.change_series", series.team)
    series.full_clean()
    try:
        series.save()
    except IntegrityError as error:
        raise ValidationError(f"{series.team} already has a meeting series.") from error
    return series


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, by: User) -> Meeting:
    """Schedule a meeting of a series, and carry forward what is due onto its agenda."""
    series = meeting.series
    if meeting.team_id is None:
        meeting.team_id = series.team_id
    if meeting.team_id != series.team_id:
        raise ValidationError("A meeting belongs to its own team's series, not another team's.")
    require(by, "meetings.schedule_meeting", series.team)
    _check_people(meeting)
    meeting.full_clean()
    meeting.save()
    carry_forward(meeting=meeting, by=by)
    return meeting


def _check_people(meeting: Meeting) -> None:
    for role in ("facilitator", "note_taker", "data_analyst"):
        person = getattr(meeting, role)
        if person is not None and not person.is_active:
            raise ValidationError({role: f"{person} no longer works with the agency."})


@transaction.atomic
def meeting_save(*, meeting: Meeting, by: User) -> Meeting:
    """Edit a meeting's details or status. Marking it held counts as the team's activity and
    closes the reviews of the decisions it carried."""
    require(by, "meetings.change_meeting", meeting)
    before = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.HELD and meeting.starts_at > timezone.now():
        raise ValidationError(
            {"status": "A meeting can be marked held once its start time has passed."}
        )
    _check_people(meeting)
    meeting.full_clean()
    meeting.save()
    if before.status != meeting.status or before.starts_at != meeting.starts_at:
        _after_status_change(meeting)
    return meeting


def _after_status_change(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.HELD:
        decision_type = ContentType.objects.get_for_model(Decision)
        reviewed_ids = meeting.agenda.filter(subject_type=decision_type).values_list(
            "subject_id", flat=True
        )
        for decision in Decision.objects.filter(pk__in=list(reviewed_ids)):
            decision.reviewed_on = meeting.held_on
            decision.save()
    Team.objects.filter(pk=meeting.team_id).refresh_activity()


# --- Agendas ---------------------------------------------------------------------------------


STALE_AGENDA = (
    "The agenda changed while you had it open (someone added, moved or removed an item). "
    "It is shown as it is now: check it and try again."
)


def _lock_agenda(meeting: Meeting, agenda_version: int | None) -> Meeting:
    """Hold the meeting's row for the change and refuse a change made on an older agenda."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if agenda_version is not None and current.agenda_version != agenda_version:
        raise ValidationError(STALE_AGENDA, code="stale")
    return current


def _agenda_moved(meeting: Meeting) -> None:
    meeting.agenda_version += 1
    meeting.save(update_fields=["agenda_version"])


def _next_position(meeting: Meeting) -> int:
    last = meeting.agenda.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    item: AgendaItem,
    agenda_version: int | None = None,
    subject: models.Model | None = None,
) -> AgendaItem:
    require(by, "meetings.prepare_agenda", meeting)
    locked = _lock_agenda(meeting, agenda_version)
    item.meeting = locked
    item.position = _next_position(locked)
    if subject is not None:
        _link_subject(item, subject)
    item.full_clean()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise ValidationError("This is already on the agenda.") from error
    _agenda_moved(locked)
    meeting.agenda_version = locked.agenda_version
    return item


def _link_subject(item: AgendaItem, subject: models.Model) -> None:
    if linkable_for(subject) is None:
        raise ValidationError("This kind of record cannot be put on an agenda.")
    item.subject_type = ContentType.objects.get_for_model(subject)
    item.subject_id = subject.pk


@transaction.atomic
def agenda_offer_take(
    *, meeting: Meeting, by: User, record: models.Model, agenda_version: int | None = None
) -> AgendaItem:
    """Put an offered record (a flagged update, a review due...) on the agenda."""
    entry = linkable_for(record)
    title = entry.describe(record) if entry else str(record)
    if len(title) > 200:
        title = title[:199] + "…"
    item = AgendaItem(title=title, kind=ItemKind.DISCUSSION, allotted=10)
    return agenda_item_add(
        meeting=meeting, by=by, item=item, agenda_version=agenda_version, subject=record
    )


STALE_ITEM = (
    "{who} saved this item while you were editing it. What they saved is shown below; "
    "your text is still in the form: merge the two and save again."
)


def _lock_item(item: AgendaItem, version: int | None) -> AgendaItem:
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if version is not None and current.version != version:
        who = _last_editor(current)
        raise ValidationError(STALE_ITEM.format(who=who), code="stale")
    return current


def _last_editor(item: AgendaItem) -> str:
    latest = item.history.select_related("history_user").first()
    if latest is not None and latest.history_user is not None:
        return str(latest.history_user)
    return "Someone else"


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, by: User, version: int | None) -> AgendaItem:
    require(by, "meetings.prepare_agenda", item.meeting)
    current = _lock_item(item, version)
    item.version = current.version + 1
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def minutes_save(*, item: AgendaItem, by: User, minutes: str, version: int | None) -> AgendaItem:
    require(by, "meetings.write_minutes", item.meeting)
    current = _lock_item(item, version)
    current.minutes = minutes
    current.minutes_by = by
    current.minutes_at = timezone.now()
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def agenda_item_move(
    *, item: AgendaItem, by: User, direction: str, agenda_version: int | None
) -> AgendaItem:
    """Move an item one place up or down the agenda (keyboard and mouse alike)."""
    require(by, "meetings.prepare_agenda", item.meeting)
    if direction not in ("up", "down"):
        raise ValidationError("Move an item up or down.")
    meeting = _lock_agenda(item.meeting, agenda_version)
    items = list(meeting.agenda.order_by("position", "pk"))
    index = next((i for i, each in enumerate(items) if each.pk == item.pk), None)
    if index is None:
        raise ValidationError(STALE_AGENDA, code="stale")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        raise ValidationError(f"This item is already at the {'top' if other < 0 else 'end'}.")
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    _agenda_moved(meeting)
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User, agenda_version: int | None) -> None:
    """Take an item off the agenda. What it was about is untouched: an action item carried
    forward stays open with its team, a decision stays due for review."""
    require(by, "meetings.prepare_agenda", item.meeting)
    meeting = _lock_agenda(item.meeting, agenda_version)
    if item.decisions.exists():
        raise ValidationError(
            "A decision was recorded on this item; it stays on the agenda as the record of "
            "where the decision was taken."
        )
    item.delete()
    _agenda_moved(meeting)


@dataclass
class Carried:
    actions: int
    reviews: int

    def __str__(self) -> str:
        return (
            f"{self.actions} open action item{'s' * (self.actions != 1)} and {self.reviews} "
            f"decision{'s' * (self.reviews != 1)} due for review"
        )


@transaction.atomic
def carry_forward(*, meeting: Meeting, by: User) -> Carried:
    """Put on the agenda what the team owes itself: its open action items and the decisions
    whose review date has come by this meeting. Items already on it are left as they are;
    running it again adds only what has become due since."""
    require(by, "meetings.prepare_agenda", meeting)
    locked = _lock_agenda(meeting, None)
    action_type = ContentType.objects.get_for_model(ActionItem)
    decision_type = ContentType.objects.get_for_model(Decision)
    on_agenda = set(
        locked.agenda.filter(subject_id__isnull=False).values_list("subject_type_id", "subject_id")
    )
    position = _next_position(locked)
    new: list[AgendaItem] = []
    actions = ActionItem.objects.filter(team_id=locked.team_id).open().order_by("due_on", "pk")
    for action in actions:
        if (action_type.pk, action.pk) in on_agenda:
            continue
        new.append(
            AgendaItem(
                meeting=locked,
                title=f"Check action: {action.what}"[:200],
                kind=ItemKind.INFORMATION,
                presenter_id=action.owner_id,
                allotted=5,
                subject_type=action_type,
                subject_id=action.pk,
                carried_forward=True,
            )
        )
    actions_added = len(new)
    due = Decision.objects.filter(team_id=locked.team_id).due_for_review(locked.held_on)
    for decision in due.order_by("review_on", "pk"):
        if (decision_type.pk, decision.pk) in on_agenda:
            continue
        new.append(
            AgendaItem(
                meeting=locked,
                title=f"Review decision: {decision.text}"[:200],
                kind=ItemKind.DECISION,
                allotted=10,
                subject_type=decision_type,
                subject_id=decision.pk,
                carried_forward=True,
            )
        )
    for offset, item in enumerate(new):
        item.position = position + offset
        item.save()
    if new:
        _agenda_moved(locked)
    return Carried(actions=actions_added, reviews=len(new) - actions_added)


# --- Attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attended:
    person: User
    presence: str
    represented_by: User | None = None


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: User, entries: Iterable[Attended]) -> Meeting:
    """Record who came, for current members only, and keep whether quorum was met."""
    require(by, "meetings.record_attendance", meeting)
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    members = {person.pk: person for person in members_of(meeting.team)}
    entries = list(entries)
    seen = set()
    for entry in entries:
        if entry.person.pk not in members:
            raise ValidationError(
                f"{entry.person} is not a current member of {meeting.team}; attendance is "
                "recorded for members only."
            )
        if entry.person.pk in seen:
            raise ValidationError(f"{entry.person} is listed twice.")
        seen.add(entry.person.pk)
        if entry.presence not in Presence.values:
            raise ValidationError(
                f"Choose whether {entry.person} was present, absent or represented."
            )
        if entry.presence == Presence.REPRESENTED and entry.represented_by is None:
            raise ValidationError(f"Say who represented {entry.person}.")
        if entry.presence != Presence.REPRESENTED and entry.represented_by is not None:
            raise ValidationError(
                f"{entry.person} was not represented; leave 'represented by' empty."
            )
        if entry.represented_by is not None and entry.represented_by.pk == entry.person.pk:
            raise ValidationError(f"{entry.person} cannot represent themselves.")
    existing = {a.person_id: a for a in meeting.attendance.all()}
    for entry in entries:
        record = existing.get(entry.person.pk) or Attendance(meeting=meeting, person=entry.person)
        if (
            record.pk
            and record.presence == entry.presence
            and record.represented_by_id
            == (entry.represented_by.pk if entry.represented_by else None)
        ):
            continue
        record.presence = entry.presence
        record.represented_by = entry.represented_by
        record.save()
    present = meeting.attendance.exclude(presence=Presence.ABSENT).count()
    meeting.present_count = present
    meeting.member_count = len(members)
    meeting.quorum_met = present >= meeting.series.quorum_needed(len(members))
    meeting.save(update_fields=["present_count", "member_count", "quorum_met"])
    return meeting


# --- Decisions ------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    by: User,
    text: str,
    rationale: str = "",
    review_on: date | None = None,
    evidence: Iterable[models.Model] = (),
    documents: Iterable[tuple[str, str]] = (),
    agenda_item: AgendaItem | None = None,
) -> Decision:
    """A decision the team took at a meeting, resting on evidence, coming back for review.

    Taken at a meeting whose attendance fell short of quorum, it is marked as such."""
    require(by, "meetings.record_decision", meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item of this meeting's agenda."})
    decision = Decision(
        team_id=meeting.team_id,
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        rationale=rationale,
        review_on=review_on,
        decided_on=meeting.held_on,
        without_quorum=meeting.quorum_met is False,
        recorded_by=by,
    )
    if review_on is not None and review_on <= decision.decided_on:
        raise ValidationError(
            {"review_on": "The review date must be after the day the decision was taken."}
        )
    decision.full_clean()
    decision.save()
    for record in evidence:
        if linkable_for(record) is None:
            raise ValidationError({"evidence": "This kind of record cannot be cited as evidence."})
        Evidence.objects.create(
            decision=decision,
            target_type=ContentType.objects.get_for_model(record),
            target_id=record.pk,
            label=str(record)[:200],
        )
    for url, label in documents:
        evidence_row = Evidence(decision=decision, url=url, label=label[:200])
        evidence_row.full_clean()
        evidence_row.save()
    return decision


@transaction.atomic
def decision_review_date_set(*, decision: Decision, by: User, review_on: date | None) -> Decision:
    require(by, "meetings.change_decision", decision)
    if review_on is not None and review_on <= decision.decided_on:
        raise ValidationError(
            {"review_on": "The review date must be after the day the decision was taken."}
        )
    decision.review_on = review_on
    decision.full_clean()
    decision.save()
    return decision


# --- Action items ---------------------------------------------------------------------------


@transaction.atomic
def action_item_add(
    *,
    team: Team,
    by: User,
    what: str,
    owner: User | None,
    due_on: date | None,
    origin: models.Model | None = None,
    meeting: Meeting | None = None,
) -> ActionItem:
    """An action item for a team: what, who, by when, and where it came from."""
    if meeting is not None:
        if meeting.team_id != team.pk:
            raise ValidationError("An action item agreed at a meeting belongs to that team.")
        require(by, "meetings.add_action", meeting)
    else:
        require(by, "meetings.add_team_action", team)
    if owner is None:
        raise ValidationError({"owner": "Every action item needs an owner: choose a person."})
    if not owner.is_active:
        raise ValidationError({"owner": f"{owner} no longer works with the agency."})
    if due_on is None:
        raise ValidationError({"due_on": "Give the date it is due."})
    item = ActionItem(
        team=team, what=what, owner=owner, due_on=due_on, meeting=meeting, created_by=by
    )
    if origin is not None:
        if linkable_for(origin) is None:
            raise ValidationError("This kind of record cannot be the origin of an action item.")
        item.origin_type = ContentType.objects.get_for_model(origin)
        item.origin_id = origin.pk
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_item_done(*, action: ActionItem, by: User) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    require(by, "meetings.complete_action", action)
    action.status = ActionStatus.DONE
    action.done_on = today()
    action.save()
    return action


@transaction.atomic
def action_item_drop(*, action: ActionItem, by: User, reason: str) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    require(by, "meetings.drop_action", action)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action item is dropped."})
    action.status = ActionStatus.DROPPED
    action.drop_reason = reason.strip()
    action.full_clean()
    action.save()
    return action


# --- Structured problem solving ---------------------------------------------------------------


def _problem_solving(meeting: Meeting) -> None:
    if not meeting.series.is_problem_solving:
        raise ValidationError(
            "This team's meetings use plain minutes; switch its series to structured problem "
            "solving first."
        )


@transaction.atomic
def problem_define(*, meeting: Meeting, by: User, problem: Problem) -> Problem:
    require(by, "meetings.solve_problems", meeting)
    _problem_solving(meeting)
    problem.meeting = meeting
    problem.team_id = meeting.team_id
    problem.recorded_by = by
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def solution_add(*, meeting: Meeting, by: User, solution: Solution) -> Solution:
    require(by, "meetings.solve_problems", meeting)
    _problem_solving(meeting)
    if solution.problem.team_id != meeting.team_id:
        raise ValidationError("This problem belongs to another team.")
    if solution.owner_id is None:
        raise ValidationError({"owner": "Every solution action needs an owner."})
    solution.full_clean()
    solution.save()
    return solution


@transaction.atomic
def solution_fidelity_set(
    *, meeting: Meeting, by: User, solution: Solution, fidelity: str
) -> Solution:
    require(by, "meetings.solve_problems", meeting)
    if solution.problem.team_id != meeting.team_id:
        raise ValidationError("This solution belongs to another team.")
    solution.fidelity = fidelity
    solution.full_clean()
    solution.save()
    return solution


@transaction.atomic
def effectiveness_record(
    *, meeting: Meeting, by: User, problem: Problem, effect: str, note: str = ""
) -> EffectivenessCheck:
    """At a later meeting: how the problem moved against its goal. Goal met solves it."""
    require(by, "meetings.solve_problems", meeting)
    _problem_solving(meeting)
    if problem.team_id != meeting.team_id:
        raise ValidationError("This problem belongs to another team.")
    if problem.meeting.starts_at >= meeting.starts_at:
        raise ValidationError(
            "Effectiveness is checked at a later meeting than the one that defined the problem."
        )
    check = EffectivenessCheck.objects.filter(problem=problem, meeting=meeting).first()
    check = check or EffectivenessCheck(problem=problem, meeting=meeting)
    check.effect = effect
    check.note = note
    check.recorded_by = by
    check.full_clean()
    check.save()
    solved = effect == "goal_met"
    if solved != (problem.status == "solved"):
        problem.status = "solved" if solved else "open"
        problem.save()
    return check


@transaction.atomic
def self_check_save(*, meeting: Meeting, by: User, check: SelfCheck) -> SelfCheck:
    require(by, "meetings.solve_problems", meeting)
    _problem_solving(meeting)
    check.meeting = meeting
    check.full_clean(exclude=["meeting"])
    check.save()
    return check


# --- Calendar feeds -------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, person: User) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(person=person)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, person: User) -> None:
    CalendarFeed.objects.filter(person=person).delete()


def proposed_start(series: MeetingSeries) -> datetime:
    """The next meeting's start proposed from the cadence and the last meeting."""
    latest = (
        Meeting.objects.filter(series=series)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return series.next_start(latest)
