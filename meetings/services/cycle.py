"""Writes of the practice-policy cycle: barriers up and answers down, systemic changes,
linking protocols and their reviews, sponsor support, and what is shared with the SMT."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from teams.models import Level, SponsorPairing, Team, User, today
from teams.rules import require

from ..models import (
    PASSED_ITEMS,
    AgendaItem,
    Barrier,
    BarrierMove,
    BarrierStage,
    Holiday,
    ItemKind,
    LinkProtocol,
    Meeting,
    MoveKind,
    Outcome,
    ProtocolReview,
    SharedWithSmt,
    SupportReply,
    SupportRequest,
    SystemicChange,
)
from ..selectors.cycle import working_days
from .meetings import put_on_agenda

__all__ = [
    "barrier_answer",
    "barrier_confirm",
    "barrier_escalate",
    "barrier_merge",
    "barrier_pass_down",
    "barrier_place_on_agenda",
    "barrier_raise",
    "holiday_delete",
    "holiday_save",
    "protocol_review",
    "protocol_save",
    "shared_with_smt",
    "support_ask",
    "support_close",
    "support_reply",
    "systemic_change_record",
]


# --- Barriers ---------------------------------------------------------------------------------


def _is_state_level(team: Team) -> bool:
    return team.is_management_team or team.level == Level.STATE


def _move(barrier: Barrier, *, kind: str, to: Team, by: User, note: str = "", at=None) -> None:
    """Record a move and keep the barrier's place: the time at the old place ends now."""
    at = at or timezone.now()
    BarrierMove.objects.filter(barrier=barrier, left_at__isnull=True).update(left_at=at)
    move = BarrierMove(
        barrier=barrier, kind=kind, from_team=barrier.holder, to_team=to, by=by, at=at, note=note
    )
    move.full_clean(exclude=["barrier", "from_team"])
    move.save()
    barrier.holder = to
    barrier.moved_at = at
    barrier.reached_state = barrier.reached_state or _is_state_level(to)


def _locked(barrier: Barrier) -> Barrier:
    return Barrier.objects.select_for_update().select_related("team", "holder").get(pk=barrier.pk)


@transaction.atomic
def barrier_raise(*, barrier: Barrier, by: User) -> Barrier:
    """Rule 4: a barrier goes to the team one level up, along the path of the cascade."""
    team = barrier.team
    require(by, "meetings.raise_barrier", team)
    if team.parent_id is None:
        raise ValidationError(
            "The SMT is the top of the cascade: record what it decides at its meeting instead."
        )
    now = timezone.now()
    barrier.raised_by = by
    barrier.raised_at = now
    barrier.holder = team.parent
    barrier.moved_at = now
    barrier.stage = BarrierStage.OPEN
    barrier.full_clean()
    barrier.save()
    # The first move: from the raising team (it held nothing before) to the one above.
    barrier.holder = team
    _move(barrier, kind=MoveKind.RAISED, to=team.parent, by=by, at=now)
    barrier.save()
    return barrier


@transaction.atomic
def barrier_escalate(*, barrier: Barrier, by: User, note: str) -> Barrier:
    """Pass it one level up, saying what this level knows and tried."""
    barrier = _locked(barrier)
    require(by, "meetings.escalate_barrier", barrier)
    holder = barrier.holder
    if holder.parent_id is None:
        raise ValidationError(
            "The SMT is the top of the cascade: nothing is above it. Answer the barrier, or "
            "place it on the SMT's agenda."
        )
    if not note.strip():
        raise ValidationError({"note": "Say what your team knows and has tried."})
    _move(barrier, kind=MoveKind.ESCALATED, to=holder.parent, by=by, note=note.strip())
    barrier.save()
    return barrier


def path_up(barrier: Barrier) -> list[Team]:
    """The teams the barrier climbed, from the raising team to the highest it reached."""
    moves = barrier.moves.filter(kind__in=(MoveKind.RAISED, MoveKind.ESCALATED)).select_related(
        "to_team"
    )
    return [barrier.team, *(move.to_team for move in moves.order_by("at", "pk"))]


def _below(barrier: Barrier) -> Team:
    """The team the current holder received it from: the answer goes back the same way."""
    path = path_up(barrier)
    for lower, upper in zip(path, path[1:], strict=False):
        if upper.pk == barrier.holder_id:
            return lower
    return barrier.team


@transaction.atomic
def barrier_answer(
    *,
    barrier: Barrier,
    by: User,
    answer: str,
    outcome: str,
    reason: str = "",
    change: SystemicChange | None = None,
) -> Barrier:
    """The holding team answers: by a practice change, a systemic change, or not
    actionable (with the reason). The answer starts down the path it came."""
    barrier = _locked(barrier)
    require(by, "meetings.answer_barrier", barrier)
    if outcome not in (Outcome.PRACTICE, Outcome.SYSTEMIC, Outcome.NOT_ACTIONABLE):
        raise ValidationError({"outcome": "Choose how the barrier is resolved."})
    if not answer.strip():
        raise ValidationError({"answer": "Write the answer the raising team will receive."})
    if outcome == Outcome.NOT_ACTIONABLE and not reason.strip():
        raise ValidationError({"reason": "Say why it is not actionable."})
    if outcome == Outcome.SYSTEMIC:
        if change is None:
            raise ValidationError(
                {"change": "Choose the systemic change that resolves it (record it first)."}
            )
        change.barriers.add(barrier)
    barrier.answer = answer.strip()
    barrier.outcome = outcome
    barrier.outcome_reason = reason.strip()
    barrier.answered_by_team = barrier.holder
    below = _below(barrier)
    _move(barrier, kind=MoveKind.ANSWERED, to=below, by=by, note=answer.strip())
    barrier.stage = BarrierStage.RETURNED if below.pk == barrier.team_id else BarrierStage.ANSWERED
    barrier.full_clean()
    barrier.save()
    return barrier


@transaction.atomic
def barrier_pass_down(*, barrier: Barrier, by: User, note: str = "") -> Barrier:
    """Pass the answer one level down, adding what it means at this level."""
    barrier = _locked(barrier)
    require(by, "meetings.pass_answer_down", barrier)
    below = _below(barrier)
    _move(barrier, kind=MoveKind.PASSED_DOWN, to=below, by=by, note=note.strip())
    if below.pk == barrier.team_id:
        barrier.stage = BarrierStage.RETURNED
    barrier.save()
    return barrier


@transaction.atomic
def barrier_confirm(*, barrier: Barrier, by: User, helped: bool, note: str = "") -> Barrier:
    """The raising team says whether the answer reached practice. If it did not help, the
    barrier reopens with the team that answered it."""
    barrier = _locked(barrier)
    require(by, "meetings.confirm_barrier", barrier)
    now = timezone.now()
    if helped:
        _move(barrier, kind=MoveKind.CONFIRMED, to=barrier.team, by=by, note=note.strip(), at=now)
        BarrierMove.objects.filter(barrier=barrier, left_at__isnull=True).update(left_at=now)
        barrier.stage = BarrierStage.CLOSED
        barrier.heard_back_at = now
        barrier.helped = True
    else:
        if not note.strip():
            raise ValidationError({"note": "Say why the answer did not help."})
        answered_by = barrier.answered_by_team or barrier.team.parent
        _move(barrier, kind=MoveKind.REOPENED, to=answered_by, by=by, note=note.strip(), at=now)
        barrier.stage = BarrierStage.OPEN
        barrier.heard_back_at = now
        barrier.helped = False
        barrier.outcome = ""
        barrier.outcome_reason = ""
    barrier.save()
    return barrier


@transaction.atomic
def barrier_merge(*, barrier: Barrier, into: Barrier, by: User, note: str = "") -> Barrier:
    """Two barriers are one: this one closes, and its raising team follows the other's."""
    barrier = _locked(barrier)
    require(by, "meetings.answer_barrier", barrier)
    if into.pk == barrier.pk or into.stage == BarrierStage.CLOSED and into.merged_into_id:
        raise ValidationError({"into": "Choose another barrier that is still open."})
    if into.merged_into_id == barrier.pk:
        raise ValidationError({"into": "That barrier was merged into this one."})
    now = timezone.now()
    _move(barrier, kind=MoveKind.MERGED, to=barrier.holder, by=by, note=note.strip(), at=now)
    BarrierMove.objects.filter(barrier=barrier, left_at__isnull=True).update(left_at=now)
    barrier.stage = BarrierStage.CLOSED
    barrier.outcome = Outcome.MERGED
    barrier.merged_into = into
    barrier.outcome_reason = note.strip()
    barrier.save()
    return barrier


@transaction.atomic
def barrier_place_on_agenda(*, barrier: Barrier, by: User) -> AgendaItem:
    """Put a barrier the team holds on its next meeting's agenda."""
    require(by, "meetings.place_barrier_on_agenda", barrier)
    meeting = (
        Meeting.objects.filter(team_id=barrier.holder_id).upcoming().order_by("starts_at").first()
    )
    if meeting is None:
        raise ValidationError(
            f"{barrier.holder} has no meeting scheduled: schedule its next meeting first."
        )
    item = AgendaItem(title=f"Barrier: {barrier.title}"[:200], kind=ItemKind.DECISION, allotted=15)
    return put_on_agenda(meeting=meeting, item=item, subject=barrier)


# --- Systemic changes ---------------------------------------------------------------------------


@transaction.atomic
def systemic_change_record(
    *, change: SystemicChange, by: User, barriers=(), decisions=()
) -> SystemicChange:
    require(by, "meetings.record_systemic_change")
    change.recorded_by = by
    change.full_clean()
    change.save()
    if barriers:
        change.barriers.set(barriers)
    if decisions:
        change.decisions.set(decisions)
    return change


# --- Linking protocols ------------------------------------------------------------------------


@transaction.atomic
def protocol_save(*, protocol: LinkProtocol, by: User) -> LinkProtocol:
    """A protocol links a team and the team above it (or the other way)."""
    ends = {protocol.from_team_id, protocol.to_team_id}
    upper, lower = (
        (protocol.to_team, protocol.from_team)
        if protocol.from_team.parent_id == protocol.to_team_id
        else (protocol.from_team, protocol.to_team)
    )
    if lower.parent_id != upper.pk or len(ends) != 2:
        raise ValidationError(
            "A protocol joins two linked teams: a team and the team directly above it."
        )
    if protocol.pk is None:
        if not any(
            rules.has_perm("meetings.add_protocol", by, team)
            for team in (protocol.from_team, protocol.to_team)
        ):
            raise PermissionDenied(
                "The leads and STSs of the two linked teams keep their protocol."
            )
    else:
        require(by, "meetings.keep_protocol", protocol)
    unknown = set(protocol.passes) - set(PASSED_ITEMS)
    if unknown:
        raise ValidationError({"passes": "Choose what is passed from the list."})
    protocol.full_clean()
    try:
        with transaction.atomic():
            protocol.save()
    except IntegrityError as error:
        raise ValidationError("These two teams already have a protocol this way.") from error
    return protocol


@transaction.atomic
def protocol_review(
    *, protocol: LinkProtocol, by: User, team: Team, verdict: str, notes: str = ""
) -> ProtocolReview:
    require(by, "meetings.keep_protocol", protocol)
    if team.pk not in (protocol.from_team_id, protocol.to_team_id):
        raise ValidationError({"team": "Review for one of the two linked teams."})
    if not rules.has_perm("meetings.add_protocol", by, team):
        raise ValidationError({"team": f"You do not run {team}; review for your own team."})
    review = ProtocolReview(protocol=protocol, team=team, verdict=verdict, notes=notes, by=by)
    review.full_clean()
    review.save()
    return review


# --- Sponsor support -----------------------------------------------------------------------------


@transaction.atomic
def support_ask(*, request: SupportRequest, by: User) -> SupportRequest:
    """Only an STS asks, and only a sponsor paired with them."""
    require(by, "meetings.ask_support")
    paired = SponsorPairing.objects.current().filter(specialist=by, sponsor=request.sponsor_id)
    if request.sponsor_id is None or not paired.exists():
        raise ValidationError({"sponsor": "Ask one of the sponsors paired with you."})
    if request.needed_by and request.needed_by < today():
        raise ValidationError({"needed_by": "The date it is needed by cannot be in the past."})
    request.specialist = by
    request.asked_at = timezone.now()
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def support_reply(*, request: SupportRequest, by: User, text: str) -> SupportReply:
    """A reply in the request's thread; the sponsor's first one is its first answer."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    require(by, "meetings.reply_support", request)
    if not text.strip():
        raise ValidationError({"text": "Write your reply."})
    reply = SupportReply(request=request, by=by, text=text.strip())
    reply.full_clean()
    reply.save()
    if by.pk == request.sponsor_id and request.first_answered_at is None:
        request.first_answered_at = reply.at
        request.first_response_days = working_days(
            request.asked_at, reply.at, set(Holiday.objects.values_list("day", flat=True))
        )
        request.save()
    return reply


@transaction.atomic
def support_close(*, request: SupportRequest, by: User) -> SupportRequest:
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    require(by, "meetings.close_support", request)
    request.closed_at = timezone.now()
    request.save()
    return request


@transaction.atomic
def shared_with_smt(*, shared: SharedWithSmt, by: User) -> SharedWithSmt:
    require(by, "meetings.share_with_smt")
    shared.by = by
    shared.shared_at = timezone.now()
    shared.full_clean()
    shared.save()
    return shared


@transaction.atomic
def holiday_save(*, holiday: Holiday, by: User) -> Holiday:
    require(by, "meetings.keep_holidays")
    holiday.full_clean()
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError as error:
        raise ValidationError({"day": "That day is already a holiday."}) from error
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, by: User) -> None:
    require(by, "meetings.keep_holidays")
    holiday.delete()
