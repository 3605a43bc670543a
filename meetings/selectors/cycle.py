"""Reads of the practice-policy cycle. Waiting times are computed in the database: each
barrier keeps where it is and since when, and each move when it left."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from teams.models import SponsorPairing, Team, TeamUpdate, User, smt_id, today
from teams.standing import standing

from ..models import (
    Barrier,
    BarrierMove,
    BarrierStage,
    LinkProtocol,
    Meeting,
    MoveKind,
    ProtocolReview,
    SharedWithSmt,
    SupportRequest,
    SystemicChange,
)
from ..rules import readable_barriers
from .meetings import held_before

__all__ = [
    "BarrierView",
    "LevelDays",
    "ProtocolKeeping",
    "SponsorTimes",
    "barrier_evidence",
    "barrier_view",
    "recent_changes",
    "teams_raising_for",
    "barriers_at_smt_for",
    "barriers_raised_by_my_teams",
    "barriers_waiting_with_my_teams",
    "follow_through_days",
    "follow_through_items",
    "paired_sponsors",
    "protocol_chain",
    "protocols_keeping",
    "protocols_of_team",
    "shared_for",
    "smt_queue",
    "sponsor_response_times",
    "support_requests_for",
    "working_days",
]

WAITING = ExpressionWrapper(Now() - F("moved_at"), output_field=DurationField())


def barriers_raised_by_my_teams(user) -> QuerySet[Barrier]:
    own = standing(user).own_team_ids
    return Barrier.objects.for_lists().filter(team__in=own).order_by("-raised_at", "-pk")


def barriers_waiting_with_my_teams(user) -> QuerySet[Barrier]:
    """What waits with the person's teams: to answer or pass up, an answer to pass down,
    or one to confirm; the longest waiting first."""
    own = standing(user).own_team_ids
    return (
        Barrier.objects.for_lists()
        .waiting_with(own)
        .annotate(waiting=WAITING)
        .order_by("moved_at", "pk")
    )


def smt_queue() -> QuerySet[Barrier]:
    """Open barriers at the SMT, oldest first, with the days each has waited there. By the
    SMT's id, so they are read in order from the holder's index (a large state's SMT holds
    hundreds), not joined and sorted."""
    return (
        Barrier.objects.for_lists()
        .filter(holder_id=smt_id(), stage=BarrierStage.OPEN)
        .annotate(waiting=WAITING)
        .order_by("moved_at", "pk")
    )


def barriers_at_smt_for(meeting: Meeting) -> list[Barrier]:
    """The SMT's agenda offer: the barriers waiting with it."""
    if not meeting.team.is_management_team:
        return []
    return list(smt_queue()[:15])


def follow_through_items(user) -> QuerySet[Barrier]:
    """Every item that reached the state level that the person may read, newest first."""
    return (
        Barrier.objects.for_lists()
        .filter(readable_barriers(user, joined=True), reached_state=True)
        .order_by("-raised_at", "-pk")
    )


@dataclass
class LevelDays:
    building: float = 0
    district: float = 0
    regional: float = 0
    state: float = 0
    smt: float = 0


def follow_through_days(barriers: list[Barrier]) -> None:
    """Days spent at each level, for a page of barriers, in one aggregate query."""
    spent = ExpressionWrapper(Coalesce(F("left_at"), Now()) - F("at"), output_field=DurationField())
    rows = (
        BarrierMove.objects.filter(barrier__in=[b.pk for b in barriers])
        .exclude(kind__in=(MoveKind.CONFIRMED, MoveKind.MERGED))
        .values("barrier_id", "to_team__level", "to_team__is_management_team")
        .annotate(days=Sum(spent))
        .order_by()
    )
    days: dict[int, LevelDays] = defaultdict(LevelDays)
    for row in rows:
        level = "smt" if row["to_team__is_management_team"] else row["to_team__level"]
        total = row["days"] or timedelta()
        setattr(days[row["barrier_id"]], level, round(total.total_seconds() / 86400, 1))
    for barrier in barriers:
        barrier.days = days[barrier.pk]


@dataclass
class BarrierView:
    barrier: Barrier
    moves: list[BarrierMove]
    path: list[Team]
    merged: list[Barrier] = field(default_factory=list)


def barrier_view(barrier: Barrier) -> BarrierView:
    spent = ExpressionWrapper(Coalesce(F("left_at"), Now()) - F("at"), output_field=DurationField())
    moves = list(
        barrier.moves.select_related("from_team", "to_team", "by")
        .annotate(spent=spent)
        .order_by("at", "pk")
    )
    path = [barrier.team] + [
        m.to_team for m in moves if m.kind in (MoveKind.RAISED, MoveKind.ESCALATED)
    ]
    return BarrierView(
        barrier=barrier,
        moves=moves,
        path=path,
        merged=list(barrier.merged.select_related("team")),
    )


# --- Protocols ---------------------------------------------------------------------------------


@dataclass
class ProtocolKeeping:
    """Whether a link's protocol is kept, from the records that already exist."""

    reported_on: date | None
    on_schedule: bool
    gone_quiet: bool
    answers: int
    answers_in_time: int
    review_due: bool

    @property
    def answered_share(self) -> int | None:
        return round(100 * self.answers_in_time / self.answers) if self.answers else None


def protocols_keeping(protocols: list[LinkProtocol]) -> None:
    """Attach `keeping` to each protocol: its sending team's latest report (an update or a
    meeting held: the team's last activity), and how soon the receiving team acted on
    what came up to it. Two queries, however many protocols."""
    if not protocols:
        return
    day = today()
    pairs = {(p.from_team_id, p.to_team_id): p.response_days for p in protocols}
    # Counted in the database: a region's link to the state carries every barrier its
    # districts and buildings ever passed up, thousands of moves on a large state.
    ended = Coalesce(F("left_at"), Now())
    in_time = Q(pk__in=[])
    for (sender, receiver), days in pairs.items():
        in_time |= Q(from_team=sender, to_team=receiver, ended__lte=F("at") + timedelta(days=days))
    counted = (
        BarrierMove.objects.filter(
            kind__in=(MoveKind.RAISED, MoveKind.ESCALATED),
            from_team__in={a for a, _ in pairs},
            to_team__in={b for _, b in pairs},
        )
        .annotate(ended=ended)
        .order_by()
        .values("from_team_id", "to_team_id")
        .annotate(answers=Count("pk"), in_time=Count("pk", filter=in_time))
    )
    answers = {
        (row["from_team_id"], row["to_team_id"]): (row["answers"], row["in_time"])
        for row in counted
    }
    reviewed = defaultdict(set)
    for protocol_id, team_id, on in ProtocolReview.objects.filter(
        protocol__in=[p.pk for p in protocols]
    ).values_list("protocol_id", "team_id", "reviewed_on"):
        reviewed[protocol_id].add((team_id, on))
    for protocol in protocols:
        last = protocol.from_team.last_active_on
        passed, in_time = answers.get((protocol.from_team_id, protocol.to_team_id), (0, 0))
        due_from = protocol.started_on + timedelta(days=2 * protocol.every_days)
        fresh = {team for team, on in reviewed[protocol.pk] if on >= due_from}
        protocol.keeping = ProtocolKeeping(
            reported_on=last,
            on_schedule=bool(last and (day - last).days <= protocol.every_days),
            gone_quiet=not last or (day - last).days > 2 * protocol.every_days,
            answers=passed,
            answers_in_time=in_time,
            review_due=day >= due_from
            and not {protocol.from_team_id, protocol.to_team_id} <= fresh,
        )


def _protocols():
    return LinkProtocol.objects.select_related(
        "from_team", "to_team", "responsible_from", "responsible_to"
    )


def protocols_of_team(team: Team) -> tuple[list[LinkProtocol], list[LinkProtocol]]:
    """The team's protocols with the team above (up) and with the teams below (down)."""
    protocols = list(
        _protocols()
        .filter(Q(from_team=team) | Q(to_team=team))
        .order_by("from_team__name", "to_team__name")
    )
    protocols_keeping(protocols)
    up = [p for p in protocols if team.parent_id in (p.from_team_id, p.to_team_id)]
    down = [p for p in protocols if p not in up]
    return up, down


def protocol_chain(team: Team) -> list[tuple[Team, Team, list[LinkProtocol]]]:
    """From this team up to the SMT: each link with its protocols (either way)."""
    chain = [team, *team.ancestors()]
    links = list(zip(chain, chain[1:], strict=False))
    found = list(
        _protocols().filter(
            Q(from_team__in=[t.pk for t in chain]) & Q(to_team__in=[t.pk for t in chain])
        )
    )
    protocols_keeping(found)
    result = []
    for lower, upper in links:
        pair = {lower.pk, upper.pk}
        result.append((lower, upper, [p for p in found if {p.from_team_id, p.to_team_id} == pair]))
    return result


# --- Sponsor support ----------------------------------------------------------------------------


def support_requests_for(user, *, everyone: bool) -> QuerySet[SupportRequest]:
    requests = SupportRequest.objects.select_related("specialist", "sponsor")
    if not everyone:
        requests = requests.filter(Q(specialist=user) | Q(sponsor=user))
    return requests.order_by("-asked_at", "-pk")


def working_days(start: datetime, end: datetime, holidays: set[date]) -> int:
    """Working days from the day asked to the day answered: the same day is 0; weekends and
    the agency's holidays do not count."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    days, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


@dataclass
class SponsorTimes:
    sponsor: User
    answered: int
    waiting: int
    median_days: float | None
    slowest_days: int | None


def sponsor_response_times(*, sponsor_ids=None, months: int = 12) -> list[SponsorTimes]:
    """First-response times per sponsor over working days, over the last months: each
    request keeps its own count, so this reads one small column per request."""
    since = timezone.now() - timedelta(days=months * 31)
    requests = SupportRequest.objects.filter(asked_at__gte=since)
    if sponsor_ids is not None:
        requests = requests.filter(sponsor__in=sponsor_ids)
    days: dict[int, list[int]] = defaultdict(list)
    waiting: dict[int, int] = defaultdict(int)
    for sponsor_id, answered, count in requests.values_list(
        "sponsor_id", "first_answered_at", "first_response_days"
    ):
        if answered is None:
            waiting[sponsor_id] += 1
        elif count is not None:
            days[sponsor_id].append(count)
    sponsors = User.objects.in_bulk(set(days) | set(waiting))
    times = [
        SponsorTimes(
            sponsor=sponsor,
            answered=len(days[pk]),
            waiting=waiting[pk],
            median_days=statistics.median(days[pk]) if days[pk] else None,
            slowest_days=max(days[pk]) if days[pk] else None,
        )
        for pk, sponsor in sponsors.items()
    ]
    return sorted(times, key=lambda t: (t.sponsor.last_name, t.sponsor.first_name))


def paired_sponsors(user) -> QuerySet[User]:
    ids = SponsorPairing.objects.current().filter(specialist=user).values("sponsor")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name")


def shared_for(meeting: Meeting) -> list[SharedWithSmt]:
    """The SMT's agenda offer: successes and challenges shared since its last meeting."""
    if not meeting.team.is_management_team:
        return []
    last = held_before(meeting)
    shared = SharedWithSmt.objects.select_related("team")
    if last:
        shared = shared.filter(shared_at__gte=last.starts_at)
    return list(shared.order_by("-shared_at")[:15])


def teams_raising_for(user) -> QuerySet[Team]:
    """The teams a person may raise a barrier for: those they sit on or support (the SMT
    has nobody above it)."""
    return (
        Team.objects.filter(pk__in=standing(user).own_team_ids)
        .exclude(is_management_team=True)
        .order_by("cascade_rank", "name")
    )


def barrier_evidence(team: Team | None):
    """What a barrier may cite: the team's newest updates and meetings held."""
    if team is None:
        return TeamUpdate.objects.none(), Meeting.objects.none()
    newest = list(
        TeamUpdate.objects.filter(team=team)
        .order_by("-occurred_on", "-pk")
        .values_list("pk", flat=True)[:20]
    )
    held = list(
        Meeting.objects.filter(team=team, status="held")
        .order_by("-starts_at")
        .values_list("pk", flat=True)[:12]
    )
    return (
        TeamUpdate.objects.filter(pk__in=newest).select_related("team").order_by("-occurred_on"),
        Meeting.objects.filter(pk__in=held).select_related("team").order_by("-starts_at"),
    )


def recent_changes():
    newest = list(
        SystemicChange.objects.order_by("-effective_on", "-pk").values_list("pk", flat=True)[:50]
    )
    return SystemicChange.objects.filter(pk__in=newest).order_by("-effective_on")
