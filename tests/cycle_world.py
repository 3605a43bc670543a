"""The practice-policy cycle in the test world: barriers at each stage of the path, a
protocol on the district's link up, a support request from the STS to the sponsor, a
systemic change, a holiday and a success shared with the SMT. Built once per world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from meetings.models import (
    Barrier,
    BarrierMove,
    Holiday,
    LinkProtocol,
    SharedWithSmt,
    SupportRequest,
    SystemicChange,
)
from teams.models import today

from .world import World


@dataclass
class CycleWorld:
    open_at_district: Barrier
    at_region: Barrier
    at_smt: Barrier
    answer_at_district: Barrier
    back_with_building: Barrier
    protocol: LinkProtocol
    support: SupportRequest
    change: SystemicChange
    holiday: Holiday
    shared: SharedWithSmt


def barrier(world: World, title: str, path: list, *, stage="open", answered_by=None, at=None):
    """A barrier raised by the first team of `path`, moved up to its last (and, with
    `answered_by`, back down to where it is now, `at`)."""
    building = world.user("building")
    now = timezone.now()
    raised = now - timedelta(days=30)
    made = Barrier.objects.create(
        team=path[0],
        title=title,
        practice="Teachers miss coaching sessions.",
        effect="A third of sessions lost.",
        would_help="A substitute pool.",
        raised_by=building,
        raised_at=raised,
        holder=at or path[-1],
        moved_at=now - timedelta(days=3),
        stage=stage,
        answered_by_team=answered_by,
        answer="Coaching moves to early-release days." if answered_by else "",
        outcome="practice" if answered_by else "",
        reached_state=any(t.is_management_team or t.level == "state" for t in path[1:]),
    )
    moves, when = [], raised
    for lower, upper in zip(path, path[1:], strict=False):
        moves.append(
            BarrierMove(
                barrier=made,
                kind="raised" if lower == path[0] else "escalated",
                from_team=lower,
                to_team=upper,
                by=building,
                at=when,
                note="" if lower == path[0] else "We tried locally.",
            )
        )
        when += timedelta(days=5)
    if answered_by is not None:
        down = list(reversed(path[: path.index(answered_by) + 1]))
        for upper, lower in zip(down, down[1:], strict=False):
            moves.append(
                BarrierMove(
                    barrier=made,
                    kind="answered" if upper == answered_by else "passed_down",
                    from_team=upper,
                    to_team=lower,
                    by=building,
                    at=when,
                )
            )
            when += timedelta(days=2)
            if lower == made.holder:
                break
    for index, move in enumerate(moves[:-1]):
        move.left_at = moves[index + 1].at
    BarrierMove.objects.bulk_create(moves)
    return made


def cycle_of(world: World) -> CycleWorld:
    found = getattr(world, "_cycle", None)
    if found is not None and Barrier.objects.filter(pk=found.at_smt.pk).exists():
        return found
    up = [world.building, world.district, world.region, world.state_team, world.smt]
    change = SystemicChange.objects.create(
        kind="structures",
        title="Regional substitute pool for coaching days",
        description="Each region keeps a pool of substitutes for coaching days.",
        division=world.divisions["finance"],
        effective_on=today(),
        recorded_by=world.user("csso"),
    )
    world._cycle = CycleWorld(
        open_at_district=barrier(world, "Substitute coverage", up[:2]),
        at_region=barrier(world, "Two improvement plans", up[:3]),
        at_smt=barrier(world, "Screening data arrives late", up),
        answer_at_district=barrier(
            world,
            "Data lead time",
            up[:3],
            stage="answered",
            answered_by=world.region,
            at=world.district,
        ),
        back_with_building=barrier(
            world,
            "Bus schedule",
            up[:2],
            stage="returned",
            answered_by=world.district,
            at=world.building,
        ),
        protocol=LinkProtocol.objects.create(
            from_team=world.district,
            to_team=world.region,
            rationale="So the region hears what Cedar Falls learns.",
            passes=["updates", "barriers"],
            responsible_from=world.user("district"),
            responsible_to=world.user("district"),
            every_days=30,
            format="The linking member's report",
            response_format="A written reply",
            started_on=today() - timedelta(days=90),
        ),
        support=SupportRequest.objects.create(
            specialist=world.user("sts"),
            sponsor=world.user("sponsor"),
            kind="introduction",
            what="An introduction to the Riverbend superintendent.",
            needed_by=today() + timedelta(days=14),
        ),
        change=change,
        holiday=Holiday.objects.create(day=date(today().year, 12, 25), name="Christmas Day"),
        shared=SharedWithSmt.objects.create(
            kind="success",
            team=world.region,
            text="All Zone districts meet monthly.",
            by=world.user("sts"),
        ),
    )
    return world._cycle
