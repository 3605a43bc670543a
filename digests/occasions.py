"""What is due to whom, derived from the modules' records on every scheduler tick.

The modules never call this app (it sits above them all): each tick reads their records
and names the *occasions* they imply: a barrier's move (a barrier reaching a team, an
answer coming back), a request asked or answered, an action item assigned, due or
overdue, a meeting coming up, a review or assessment coming due, a rating awaited, a
protocol or a team gone quiet, a barrier or a request waiting too long. An occasion's key
says what makes it itself (the move, the action item and its due date, the barrier and
the day it arrived where it waits), so the same occasion is named on every tick and is
written once (`Notification`'s unique person and occasion).

Events (moves, requests asked or answered, action items assigned) are read from the last
`look_back_days`: older ones are history, and after an outage the portal catches up that
far back. States (overdue, late, waiting, quiet, due) are read as they stand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from datasystem.models import Administration, Instrument
from initiatives.models import Candidate, Initiative, RatingSheet
from meetings.models import (
    ActionItem,
    AgendaItem,
    Barrier,
    BarrierMove,
    BarrierStage,
    Holiday,
    LinkProtocol,
    Meeting,
    MoveKind,
    SupportRequest,
)
from meetings.selectors import working_days
from teams.models import (
    APPOINTING_ROLES,
    CABINET_ROLES,
    Membership,
    RoleAssignment,
    Team,
    TeamRole,
    User,
)

from .models import ReminderSettings


@dataclass(frozen=True)
class Occasion:
    recipient_id: int
    kind: str
    occasion: str
    title: str
    url: str
    body: str = ""


@dataclass
class Tick:
    """One tick's view of the world: when it is, the agency's settings, and who holds which
    seat (read once, in a few queries, for every deriver)."""

    now: datetime
    settings: ReminderSettings
    _leads: dict[int, set[int]] = field(default_factory=dict)
    _data_leads: dict[int, set[int]] = field(default_factory=dict)
    _members: dict[int, set[int]] = field(default_factory=dict)
    _specialists: dict[int, set[int]] = field(default_factory=dict)
    _cabinet: set[int] | None = None
    _office: set[int] | None = None
    _smt: int | None = None

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    @property
    def since(self) -> datetime:
        return self.now - timedelta(days=self.settings.look_back_days)

    @property
    def smt(self) -> int | None:
        if self._smt is None:
            self._smt = (
                Team.objects.filter(is_management_team=True).values_list("pk", flat=True).first()
                or 0
            )
        return self._smt or None

    def _roles(self, roles) -> set[int]:
        return set(
            RoleAssignment.objects.filter(role__in=roles)
            .current(self.today)
            .values_list("person_id", flat=True)
        )

    @property
    def cabinet(self) -> set[int]:
        if self._cabinet is None:
            self._cabinet = self._roles(CABINET_ROLES)
        return self._cabinet

    @property
    def office(self) -> set[int]:
        """The CSSO's office: the CSSO and the Deputies, who also chair the SMT."""
        if self._office is None:
            self._office = self._roles(APPOINTING_ROLES)
        return self._office

    def _seats(self, cache: dict, team_ids: Iterable[int], roles) -> dict[int, set[int]]:
        wanted = {pk for pk in team_ids if pk not in cache}
        if wanted:
            for pk in wanted:
                cache[pk] = set()
            seats = Membership.objects.current(self.today).filter(team__in=wanted)
            if roles is not None:
                seats = seats.filter(role__in=roles)
            for team_id, person_id in seats.values_list("team_id", "person_id"):
                cache[team_id].add(person_id)
        return cache

    def leads(self, team_ids: Iterable[int]) -> dict[int, set[int]]:
        return self._seats(self._leads, team_ids, [TeamRole.LEAD])

    def data_leads(self, team_ids: Iterable[int]) -> dict[int, set[int]]:
        return self._seats(self._data_leads, team_ids, [TeamRole.DATA_LEAD])

    def members(self, team_ids: Iterable[int]) -> dict[int, set[int]]:
        return self._seats(self._members, team_ids, None)

    def specialists(self, team_ids: Iterable[int]) -> dict[int, set[int]]:
        wanted = {pk for pk in team_ids if pk not in self._specialists}
        if wanted:
            for pk in wanted:
                self._specialists[pk] = set()
            through = Team.specialists.through.objects.filter(team__in=wanted)
            for team_id, person_id in through.values_list("team_id", "user_id"):
                self._specialists[team_id].add(person_id)
        return self._specialists

    def keepers(self, team_ids: Iterable[int], *, smt: str = "office") -> dict[int, set[int]]:
        """Who holds a team's work: its leads and STSs; for the SMT, its chair (the CSSO's
        office) or, with smt="cabinet", the whole cabinet."""
        team_ids = set(team_ids)
        leads = self.leads(team_ids)
        specialists = self.specialists(team_ids)
        found = {pk: leads[pk] | specialists[pk] for pk in team_ids}
        if self.smt in found:
            found[self.smt] |= self.cabinet if smt == "cabinet" else self.office
        return found


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _day(value: date) -> str:
    return f"{value:%-d %b %Y}"


# --- The practice-policy cycle -------------------------------------------------------------


def barrier_moves(tick: Tick) -> Iterable[Occasion]:
    """A barrier reaching a team (raised, passed up, reopened) and an answer coming back
    (answered, passed down): to the team's leads and STSs, and an answer reaching the raising
    team to whoever raised it. Not to the person who moved it."""
    arriving = (MoveKind.RAISED, MoveKind.ESCALATED, MoveKind.REOPENED)
    returning = (MoveKind.ANSWERED, MoveKind.PASSED_DOWN)
    moves = list(
        BarrierMove.objects.filter(at__gte=tick.since, kind__in=arriving + returning)
        .select_related("barrier", "from_team", "to_team")
        .order_by("at", "pk")
    )
    keepers = tick.keepers({m.to_team_id for m in moves}, smt="cabinet")
    for move in moves:
        barrier = move.barrier
        people = set(keepers[move.to_team_id])
        if move.kind in arriving:
            kind = "barrier_arrived"
            source = move.from_team or barrier.team
            title = f"A barrier from {source} waits with {move.to_team}: {barrier.title}"
        else:
            kind = "barrier_answered"
            title = f"An answer came back to {move.to_team}: {barrier.title}"
            if move.to_team_id == barrier.team_id:
                people.add(barrier.raised_by_id)
        for person in people - {move.by_id}:
            yield Occasion(
                person,
                kind,
                f"barrier-move:{move.pk}",
                title,
                barrier.get_absolute_url(),
                move.note,
            )


def barriers_waiting(tick: Tick) -> Iterable[Occasion]:
    """A barrier waiting with one team longer than the agency's target: once per stay."""
    limit = tick.now - timedelta(days=tick.settings.barrier_wait_days)
    waiting = list(
        Barrier.objects.exclude(stage=BarrierStage.CLOSED)
        .filter(moved_at__lte=limit)
        .select_related("holder")
        .only("title", "moved_at", "holder__name", "holder__is_management_team")
    )
    keepers = tick.keepers({b.holder_id for b in waiting})
    for barrier in waiting:
        since = timezone.localtime(barrier.moved_at).date()
        for person in keepers[barrier.holder_id]:
            yield Occasion(
                person,
                "barrier_waiting",
                f"barrier-waiting:{barrier.pk}:{barrier.moved_at:%Y%m%d%H%M%S}",
                f"Waiting with {barrier.holder} since {_day(since)}: {barrier.title}",
                barrier.get_absolute_url(),
                f"The agency's target is {tick.settings.barrier_wait_days} days at one level: "
                "answer it, or pass it up with what you know.",
            )


# --- Sponsor support --------------------------------------------------------------------------
def support(tick: Tick) -> Iterable[Occasion]:
    requests = SupportRequest.objects.select_related("specialist", "sponsor")
    for request in requests.filter(asked_at__gte=tick.since):
        yield Occasion(
            request.sponsor_id,
            "support_asked",
            f"support-asked:{request.pk}",
            f"{request.specialist} asks for support: {_short(request.what)}",
            request.get_absolute_url(),
            f"{request.get_kind_display()}, {request.get_urgency_display().lower()}, needed by "
            f"{_day(request.needed_by)}.",
        )
    for request in requests.filter(first_answered_at__gte=tick.since):
        yield Occasion(
            request.specialist_id,
            "support_answered",
            f"support-answered:{request.pk}",
            f"{request.sponsor} answered your request: {_short(request.what)}",
            request.get_absolute_url(),
        )
    settings = tick.settings
    waiting = list(
        requests.filter(first_answered_at__isnull=True, closed_at__isnull=True).filter(
            asked_at__lte=tick.now - timedelta(days=settings.support_target_days)
        )
    )
    if not waiting:
        return
    holidays = set(Holiday.objects.values_list("day", flat=True))
    for request in waiting:
        days = working_days(request.asked_at, tick.now, holidays)
        if days > settings.support_target_days:
            yield Occasion(
                request.sponsor_id,
                "support_late",
                f"support-late:{request.pk}",
                f"{request.specialist} has waited {days} working days for your answer: "
                f"{_short(request.what)}",
                request.get_absolute_url(),
                f"The agency's target is a first answer within {settings.support_target_days} "
                "working days.",
            )
        if days > settings.support_escalate_days:
            for person in tick.office - {request.sponsor_id}:
                yield Occasion(
                    person,
                    "support_late",
                    f"support-late-office:{request.pk}",
                    f"{request.sponsor} has not answered {request.specialist} in {days} "
                    f"working days: {_short(request.what)}",
                    request.get_absolute_url(),
                    f"Sponsors answer within {settings.support_target_days} working days; "
                    f"this one has waited past {settings.support_escalate_days}.",
                )


# --- Action items and meetings ----------------------------------------------------------------
def action_items(tick: Tick) -> Iterable[Occasion]:
    today, settings = tick.today, tick.settings
    items = ActionItem.objects.open().select_related("team")
    # Assigned: new, and not already late (the overdue reminder says that).
    for item in items.filter(created_at__gte=tick.since, due_on__gte=today).exclude(
        owner=F("created_by")
    ):
        yield Occasion(
            item.owner_id,
            "action_assigned",
            f"action-assigned:{item.pk}",
            f"An action item for you ({item.team}): {_short(item.what)}",
            item.get_absolute_url(),
            f"Due {_day(item.due_on)}.",
        )
    soon = today + timedelta(days=settings.action_lead_days)
    for item in items.filter(due_on__gte=today, due_on__lte=soon):
        yield Occasion(
            item.owner_id,
            "action_due",
            f"action-due:{item.pk}:{item.due_on}",
            f"Due {_day(item.due_on)}: {_short(item.what)}",
            item.get_absolute_url(),
            f"An action item of {item.team}.",
        )
    # Fell overdue within the look-back; older ones are on the team leads' weekly list.
    since = timezone.localtime(tick.since).date()
    for item in items.filter(due_on__lt=today, due_on__gte=since):
        yield Occasion(
            item.owner_id,
            "action_overdue",
            f"action-overdue:{item.pk}:{item.due_on}",
            f"Overdue since {_day(item.due_on)}: {_short(item.what)}",
            item.get_absolute_url(),
            f"An action item of {item.team}: mark it done, or drop it saying why.",
        )


def _this_week(tick: Tick) -> date | None:
    """The Monday of this week, once the agency's weekday for weekly mail has come."""
    today = tick.today
    if today.weekday() < tick.settings.roundup_weekday:
        return None
    return today - timedelta(days=today.weekday())


def overdue_lists(tick: Tick) -> Iterable[Occasion]:
    """Each week, to a team's leads (the SMT's chair), the team's overdue action items."""
    week = _this_week(tick)
    if week is None:
        return
    rows = (
        ActionItem.objects.overdue(tick.today)
        .select_related("team", "owner")
        .order_by("team_id", "due_on", "pk")
    )
    by_team: dict[int, list[ActionItem]] = defaultdict(list)
    for item in rows:
        by_team[item.team_id].append(item)
    leads = tick.leads(by_team)
    for team_id, items in by_team.items():
        team = items[0].team
        people = leads[team_id] | (tick.office if team.is_management_team else set())
        lines = [f"- {_short(i.what, 70)} ({i.owner}, due {_day(i.due_on)})" for i in items[:25]]
        if len(items) > 25:
            lines.append(f"…and {len(items) - 25} more.")
        for person in people:
            yield Occasion(
                person,
                "overdue_list",
                f"overdue-list:{team_id}:{week}",
                f"{len(items)} overdue action item{'s' * (len(items) != 1)} of {team}",
                reverse("meetings:actions"),
                "\n".join(lines),
            )


def meetings_soon(tick: Tick) -> Iterable[Occasion]:
    """A meeting coming up, with its agenda, to its team's members and facilitator."""
    until = tick.now + timedelta(days=tick.settings.meeting_lead_days)
    meetings = list(
        Meeting.objects.filter(status="scheduled", starts_at__gte=tick.now, starts_at__lte=until)
        .select_related("team")
        .order_by("starts_at")
    )
    if not meetings:
        return
    agenda: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in AgendaItem.objects.filter(meeting__in=meetings).select_related("presenter"):
        agenda[item.meeting_id].append(item)
    members = tick.members({m.team_id for m in meetings})
    for meeting in meetings:
        people = set(members[meeting.team_id])
        if meeting.team.is_management_team:
            people |= tick.cabinet
        if meeting.facilitator_id:
            people.add(meeting.facilitator_id)
        starts = timezone.localtime(meeting.starts_at)
        lines = [
            f"{number}. {item.title} ({item.allotted} min"
            + (f", {item.presenter})" if item.presenter else ")")
            for number, item in enumerate(agenda[meeting.pk], 1)
        ] or ["The agenda is not set yet."]
        place = meeting.place or meeting.video_link
        for person in people:
            yield Occasion(
                person,
                "meeting_soon",
                f"meeting:{meeting.pk}:{starts:%Y%m%d%H%M}",
                f"{meeting.team} meets {starts:%A %-d %B at %-I:%M %p}".replace(" 0", " "),
                meeting.get_absolute_url(),
                (f"Where: {place}\n" if place else "") + "Agenda:\n" + "\n".join(lines),
            )


# --- Initiatives and the data system ----------------------------------------------------------
def reviews_due(tick: Tick) -> Iterable[Occasion]:
    until = tick.today + timedelta(days=tick.settings.review_lead_days)
    initiatives = (
        Initiative.objects.running()
        .filter(next_review_on__lte=until)
        .select_related("division")
        .only("name", "next_review_on", "lead_id", "division__head_id")
    )
    for initiative in initiatives:
        owner = initiative.lead_id or initiative.division.head_id
        if owner is None:
            continue
        when = initiative.next_review_on
        overdue = when < tick.today
        yield Occasion(
            owner,
            "review_due",
            f"review-due:{initiative.pk}:{when}",
            f"{initiative} {'was' if overdue else 'is'} due for review on {_day(when)}",
            initiative.get_absolute_url(),
            "Prepare the review: alignment with the goals, results so far, resources, overlap.",
        )


def assessments_due(tick: Tick) -> Iterable[Occasion]:
    """A team's instrument due again (its last completed one plus the instrument's interval),
    to the team's leads and data leads."""
    until = tick.today + timedelta(days=tick.settings.assessment_lead_days)
    instruments = {i.pk: i for i in Instrument.objects.all()}
    latest = (
        Administration.objects.completed()
        .order_by()
        .values("team_id", "instrument_id", "team__level", "team__name")
        .annotate(last=Max("held_on"))
    )
    due = []
    for row in latest:
        instrument = instruments[row["instrument_id"]]
        if row["team__level"] not in (instrument.levels or []):
            continue
        when = row["last"] + timedelta(days=instrument.due_every_days)
        if when <= until:
            due.append((row, instrument, when))
    if not due:
        return
    team_ids = {row["team_id"] for row, _, _ in due}
    leads, data_leads = tick.leads(team_ids), tick.data_leads(team_ids)
    for row, instrument, when in due:
        for person in leads[row["team_id"]] | data_leads[row["team_id"]]:
            yield Occasion(
                person,
                "assessment_due",
                f"assessment-due:{row['team_id']}:{instrument.pk}:{when}",
                f"{instrument} for {row['team__name']} is due {_day(when)}",
                reverse("datasystem:team", args=[row["team_id"]]),
                f"Last completed {_day(row['last'])}; given every {instrument.due_every_days} "
                "days.",
            )


def ratings_awaited(tick: Tick) -> Iterable[Occasion]:
    candidates = {c.pk: c for c in Candidate.objects.open()}
    if not candidates:
        return
    submitted = set(
        RatingSheet.objects.filter(
            candidate__in=candidates, submitted_at__isnull=False
        ).values_list("candidate_id", "rater_id")
    )
    raters = Candidate.raters.through.objects.filter(candidate__in=candidates)
    for candidate_id, rater_id in raters.values_list("candidate_id", "user_id"):
        if (candidate_id, rater_id) in submitted:
            continue
        candidate = candidates[candidate_id]
        yield Occasion(
            rater_id,
            "rating_awaited",
            f"rating:{candidate_id}",
            f"{candidate} waits for your rating",
            candidate.get_absolute_url(),
            "Rate it on each indicator and submit: your ratings stay private until you do.",
        )


# --- Teams and links gone quiet ---------------------------------------------------------------
def protocols_quiet(tick: Tick) -> Iterable[Occasion]:
    """A link whose sending team has reported nothing for two of its cycles: to both teams'
    leads and the two people responsible."""
    protocols = list(
        LinkProtocol.objects.select_related("from_team", "to_team").only(
            "every_days",
            "responsible_from_id",
            "responsible_to_id",
            "from_team__name",
            "from_team__last_active_on",
            "to_team__name",
        )
    )
    quiet = []
    for protocol in protocols:
        last = protocol.from_team.last_active_on
        if last is None or (tick.today - last).days > 2 * protocol.every_days:
            quiet.append(protocol)
    leads = tick.leads({t for p in quiet for t in (p.from_team_id, p.to_team_id)})
    for protocol in quiet:
        last = protocol.from_team.last_active_on
        people = (
            leads[protocol.from_team_id]
            | leads[protocol.to_team_id]
            | {protocol.responsible_from_id, protocol.responsible_to_id}
        )
        for person in people:
            yield Occasion(
                person,
                "protocol_quiet",
                f"protocol-quiet:{protocol.pk}:{last or 'never'}",
                f"The link {protocol} has gone quiet",
                protocol.get_absolute_url(),
                (f"{protocol.from_team} last reported on {_day(last)}" if last else "Nothing yet")
                + f"; the protocol asks for a report every {protocol.every_days} days.",
            )


def teams_quiet(tick: Tick) -> Iterable[Occasion]:
    teams = (
        Team.objects.quiet(tick.today)
        .exclude(is_management_team=True)
        .only("name", "quiet_from", "last_active_on")
    )
    teams = list(teams)
    specialists = tick.specialists({t.pk for t in teams})
    for team in teams:
        for person in specialists[team.pk]:
            last = team.last_active_on
            yield Occasion(
                person,
                "team_quiet",
                f"team-quiet:{team.pk}:{team.quiet_from or 'never'}",
                f"{team} has gone quiet",
                team.get_absolute_url(),
                (f"Its last update or meeting was on {_day(last)}" if last else "No update yet")
                + f"; its cadence is {team.get_cadence_display().lower()}.",
            )


DERIVERS: list[Callable[[Tick], Iterable[Occasion]]] = [
    barrier_moves,
    barriers_waiting,
    support,
    action_items,
    overdue_lists,
    meetings_soon,
    reviews_due,
    assessments_due,
    ratings_awaited,
    protocols_quiet,
    teams_quiet,
]


def derive(tick: Tick) -> list[Occasion]:
    """Every occasion due now, for people still with the agency."""
    found = [occasion for deriver in DERIVERS for occasion in deriver(tick)]
    people = {o.recipient_id for o in found}
    present = set(
        User.objects.filter(pk__in=people, is_active=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=tick.today))
        .values_list("pk", flat=True)
    )
    return [o for o in found if o.recipient_id in present]
