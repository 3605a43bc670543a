"""The CSSO's monthly digest: what the cascade achieved and where it is stuck, one screen
first and detail after.

A digest is a list of sections (`SECTIONS`). Each reads one module for one month, in a
few aggregate queries whatever the size of the state, and returns plain data (kept as
JSON in `Digest.content`, so a month's digest reads the same in a year): its figures,
what needs the CSSO's attention, what was achieved, and its detail. The first screen is
made of every section's figures, attention and achievements.

Outcome figures pass through the data system's one suppression function
(`datasystem.suppression`) before they are kept; see `digests/outcomes.py`, the section
that joins the list when the outcome data is in the data system.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from datasystem.models import Administration, Kind
from initiatives.models import IN_PLACE, Initiative, Review, Stage, StageRecord
from meetings.models import (
    ActionItem,
    ActionStatus,
    Barrier,
    BarrierMove,
    BarrierStage,
    Decision,
    Holiday,
    MoveKind,
    SharedWithSmt,
    SupportRequest,
    SystemicChange,
)
from meetings.selectors import working_days
from teams.models import Team, TeamUpdate, today
from teams.sponsor_rule import sponsor_rule

from .models import ReminderSettings
from .outcomes import zone_progress

# The digest's shape: bumped when sections change, so a page knows what it reads.
CONTENT_VERSION = 2
# How many of a list the digest shows; the counts say how many there were.
SHOWN = 8


@dataclass(frozen=True)
class Period:
    """The month a digest covers: [start, end), and its moments in the agency's time."""

    start: date

    @property
    def end(self) -> date:
        return next_month(self.start)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y}"

    @property
    def as_of(self) -> date:
        """The day a state is read for ("waiting now", "overdue"): the month's last day, or
        today for a month not yet over (an admin's preview)."""
        return min(self.last_day, today())


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(first: date) -> date:
    return (first.replace(day=1) - timedelta(days=1)).replace(day=1)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value:%-d %b}"


def _short(text: str, length: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _figure(label: str, value: Any, note: str = "", *, first: bool = False) -> dict[str, Any]:
    """A figure of a section; `first` puts it on the digest's first screen as well."""
    return {"label": label, "value": value, "note": note, "first": first}


def _median(values: list[float]) -> float | None:
    """The median to a tenth, shown without a trailing .0."""
    if not values:
        return None
    value = round(statistics.median(values), 1)
    return int(value) if value == int(value) else value


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable[[Period], dict[str, Any]]
    # Its attention leads the first screen: the SMT's own governance comes before the work.
    attention_first: bool = False


# --- Successes and adaptive challenges -------------------------------------------------------


def shared_with_smt(period: Period) -> dict[str, Any]:
    shared = list(
        SharedWithSmt.objects.filter(shared_at__gte=period.since, shared_at__lt=period.until)
        .select_related("team")
        .order_by("-shared_at")
    )
    flagged = TeamUpdate.objects.for_smt_attention().filter(
        occurred_on__gte=period.start, occurred_on__lt=period.end
    )
    counts = flagged.aggregate(
        all=Count("pk"),
        successes=Count("pk", filter=~Q(successes="")),
        challenges=Count("pk", filter=~Q(adaptive_challenges="")),
    )
    flagged_count = counts["all"]
    newest = list(
        flagged.select_related("team")
        .only("occurred_on", "summary", "successes", "adaptive_challenges", "team__name")
        .order_by("-occurred_on", "-pk")[:SHOWN]
    )
    successes = [
        {"team": s.team.name, "text": _short(s.text), "on": _day(s.shared_at)}
        for s in shared
        if s.kind == "success"
    ] + [
        {"team": u.team.name, "text": _short(u.successes), "on": _day(u.occurred_on)}
        for u in newest
        if u.successes.strip()
    ]
    challenges = [
        {"team": s.team.name, "text": _short(s.text), "on": _day(s.shared_at)}
        for s in shared
        if s.kind == "challenge"
    ] + [
        {"team": u.team.name, "text": _short(u.adaptive_challenges), "on": _day(u.occurred_on)}
        for u in newest
        if u.adaptive_challenges.strip()
    ]
    # Successes and challenges: those an STS or sponsor brought to the SMT, and those written
    # in the updates flagged for its attention.
    success_count = sum(1 for s in shared if s.kind == "success") + counts["successes"]
    challenge_count = sum(1 for s in shared if s.kind == "challenge") + counts["challenges"]
    return {
        "figures": [
            _figure("Updates flagged for the SMT", flagged_count, first=True),
            _figure("Successes", success_count),
            _figure("Adaptive challenges", challenge_count),
        ],
        "achieved": [f"{success_count} success{'es' * (success_count != 1)} shared with the SMT"]
        if success_count
        else [],
        "attention": [
            f"{challenge_count} adaptive challenge{'s' * (challenge_count != 1)} brought to the SMT"
        ]
        if challenge_count
        else [],
        "successes": successes[:SHOWN],
        "challenges": challenges[:SHOWN],
        "updates": [
            {"team": u.team.name, "text": _short(u.summary), "on": _day(u.occurred_on)}
            for u in newest
        ],
    }


# --- Stages and the Transformation Zone ----------------------------------------------------------


def stages(period: Period) -> dict[str, Any]:
    moved = StageRecord.objects.filter(entered_on__gte=period.start, entered_on__lt=period.end)
    by_stage = dict(moved.values_list("stage").annotate(n=Count("pk")).order_by())
    labels = dict(Stage.choices)
    changes = list(
        moved.select_related("team", "innovation")
        .only("stage", "entered_on", "team__name", "innovation__name")
        .order_by("-entered_on", "-pk")[:SHOWN]
    )
    day = period.as_of
    zone = Team.objects.in_zone(day)
    zone_by_level = dict(zone.values_list("level").annotate(n=Count("pk")).order_by())
    entered = Team.objects.filter(
        zone_entered_on__gte=period.start, zone_entered_on__lt=period.end
    ).count()
    zone_stages = dict(
        StageRecord.objects.filter(is_current=True, team__in=zone.values("pk"))
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    with_stage = sum(zone_stages.values())
    in_place = sum(zone_stages.get(stage, 0) for stage in IN_PLACE)
    moved_total = sum(by_stage.values())
    into_full = by_stage.get(Stage.FULL, 0)
    return {
        "figures": [
            _figure("Stage changes recorded", moved_total),
            _figure(
                "Zone units with the innovation in place",
                f"{in_place} of {with_stage}" if with_stage else "–",
                "full implementation or sustainment",
                first=True,
            ),
        ],
        "achieved": [f"{into_full} unit{'s' * (into_full != 1)} reached full implementation"]
        if into_full
        else [],
        "attention": [],
        "by_stage": [
            {"stage": labels[stage], "count": by_stage.get(stage, 0)}
            for stage in Stage.values
            if by_stage.get(stage)
        ],
        "changes": [
            {
                "team": r.team.name,
                "innovation": r.innovation.name,
                "stage": labels.get(r.stage, r.stage),
                "on": _day(r.entered_on),
            }
            for r in changes
        ],
        "zone": {
            "teams": sum(zone_by_level.values()),
            "by_level": [
                {"level": level.title(), "count": zone_by_level[level]}
                for level in ("regional", "district", "building")
                if zone_by_level.get(level)
            ],
            "entered": entered,
            "stages": [
                {"stage": labels[stage], "count": zone_stages.get(stage, 0)}
                for stage in Stage.values
                if zone_stages.get(stage)
            ],
            "in_place": in_place,
            "with_stage": with_stage,
        },
    }


# --- Capacity and fidelity -------------------------------------------------------------------


def assessments(period: Period) -> dict[str, Any]:
    """Capacity and fidelity results completed in the month, each against the same team's
    previous result on the same instrument. One query; a month's results are summed here."""
    previous = (
        Administration.objects.completed()
        .filter(
            team_id=OuterRef("team_id"),
            instrument_id=OuterRef("instrument_id"),
            held_on__lt=OuterRef("held_on"),
        )
        .order_by("-held_on", "-pk")
        .values("total_percent")[:1]
    )
    day = period.as_of
    in_zone = Q(team__zone_entered_on__lte=day) & (
        Q(team__zone_left_on__isnull=True) | Q(team__zone_left_on__gt=day)
    )
    rows = (
        Administration.objects.completed()
        .filter(
            completed_on__gte=period.start,
            completed_on__lt=period.end,
            total_percent__isnull=False,
        )
        .annotate(
            before=Subquery(previous),
            zone=Case(When(in_zone, then=Value(True)), default=Value(False)),
        )
        .values_list(
            "instrument__kind",
            "total_percent",
            "before",
            "zone",
            "instrument__threshold",
            "team__name",
            "instrument__name",
        )
    )
    found: dict[str, list[tuple]] = {kind: [] for kind in Kind.values}
    for row in rows:
        found[row[0]].append(row[1:])
    kinds = {kind: _results(label, found[kind]) for kind, label in Kind.choices}
    capacity, fidelity = kinds[Kind.CAPACITY], kinds[Kind.FIDELITY]
    attention = []
    if capacity["declined"]:
        attention.append(
            f"{capacity['declined']} team{'s' * (capacity['declined'] != 1)} scored lower on "
            "capacity than last time"
        )
    below = fidelity["count"] - fidelity["at_threshold"]
    if fidelity["count"] and below:
        attention.append(f"{below} fidelity result{'s' * (below != 1)} below threshold")
    return {
        "figures": [
            _figure("Capacity assessments completed", capacity["count"]),
            _figure(
                "Average capacity",
                f"{capacity['average']}%" if capacity["average"] is not None else "–",
                _signed(capacity["change"], "points on last time"),
                first=True,
            ),
            _figure(
                "Fidelity at threshold",
                f"{fidelity['at_threshold']} of {fidelity['count']}" if fidelity["count"] else "–",
            ),
        ],
        "achieved": [
            f"{capacity['improved']} team{'s' * (capacity['improved'] != 1)} improved capacity"
        ]
        if capacity["improved"]
        else [],
        "attention": attention,
        "kinds": list(kinds.values()),
    }


def _results(label: str, rows: list[tuple]) -> dict[str, Any]:
    """(percent, previous percent, in the Zone, threshold, team, instrument) summed."""

    def mean(values) -> float | None:
        values = [float(v) for v in values]
        return round(sum(values) / len(values), 1) if values else None

    compared = [
        (float(now) - float(before), now, team, instrument)
        for now, before, _, _, team, instrument in rows
        if before is not None
    ]
    compared.sort(key=lambda r: (r[0], r[2]))
    return {
        "label": label,
        "count": len(rows),
        "average": mean(r[0] for r in rows),
        "change": mean(c[0] for c in compared),
        "compared": len(compared),
        "improved": sum(1 for c in compared if c[0] > 0),
        "declined": sum(1 for c in compared if c[0] < 0),
        "zone": mean(r[0] for r in rows if r[2]),
        "rest": mean(r[0] for r in rows if not r[2]),
        "at_threshold": sum(1 for r in rows if r[3] is not None and r[0] >= r[3]),
        "drops": [_change(c) for c in compared[:3] if c[0] < 0],
        "gains": [_change(c) for c in reversed(compared[-3:]) if c[0] > 0],
    }


def _change(compared: tuple) -> dict[str, Any]:
    change, now, team, instrument = compared
    return {
        "team": team,
        "instrument": instrument,
        "percent": _round(now),
        "change": round(change, 1),
    }


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _signed(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{'+' if value > 0 else ''}{value} {unit}"


# --- The practice-policy cycle -----------------------------------------------------------------


def barriers(period: Period) -> dict[str, Any]:
    in_month = Q(at__gte=period.since, at__lt=period.until)
    raised = Barrier.objects.filter(raised_at__gte=period.since, raised_at__lt=period.until)
    raised_count = raised.count()
    moves = BarrierMove.objects.filter(in_month)
    escalated = moves.filter(kind=MoveKind.ESCALATED).count()
    to_smt = moves.filter(kind=MoveKind.ESCALATED, to_team__is_management_team=True).count()
    resolved = list(
        moves.filter(kind=MoveKind.CONFIRMED)
        .select_related("barrier__team")
        .only("at", "barrier__raised_at", "barrier__title", "barrier__team__name")
        .order_by("-at")
    )
    days = [(m.at - m.barrier.raised_at).total_seconds() / 86400 for m in resolved]
    waiting_smt = list(
        Barrier.objects.filter(
            holder__is_management_team=True, stage=BarrierStage.OPEN, moved_at__lt=period.until
        )
        .only("title", "moved_at")
        .order_by("moved_at")[:SHOWN]
    )
    waiting_smt_count = Barrier.objects.filter(
        holder__is_management_team=True, stage=BarrierStage.OPEN
    ).count()
    target = ReminderSettings.current().barrier_wait_days
    end = period.until
    long_at_smt = [b for b in waiting_smt if (end - b.moved_at).days > target]
    changes = list(
        SystemicChange.objects.filter(effective_on__gte=period.start, effective_on__lt=period.end)
        .select_related("division")
        .order_by("-effective_on")
    )
    attention = []
    if long_at_smt:
        attention.append(
            f"{len(long_at_smt)} barrier{'s' * (len(long_at_smt) != 1)} waiting with the SMT "
            f"for more than {target} days"
        )
    achieved = []
    if resolved:
        achieved.append(
            f"{len(resolved)} barrier{'s' * (len(resolved) != 1)} resolved and confirmed in "
            "practice"
        )
    if changes:
        achieved.append(f"{len(changes)} systemic change{'s' * (len(changes) != 1)} made")
    return {
        "figures": [
            _figure("Barriers raised", raised_count),
            _figure("Passed up a level", escalated, f"{to_smt} to the SMT"),
            _figure("Barriers resolved", len(resolved), first=True),
            _figure(
                "Median time to resolution",
                f"{_median(days)} days" if days else "–",
                "from raised to confirmed in practice",
                first=True,
            ),
            _figure("Waiting with the SMT", waiting_smt_count),
        ],
        "achieved": achieved,
        "attention": attention,
        "resolved": [
            {
                "title": m.barrier.title,
                "team": m.barrier.team.name,
                "days": round((m.at - m.barrier.raised_at).total_seconds() / 86400),
                "on": _day(m.at),
            }
            for m in resolved[:SHOWN]
        ],
        "waiting_at_smt": [
            {"title": b.title, "days": (end - b.moved_at).days} for b in waiting_smt
        ],
        "changes": [
            {
                "title": c.title,
                "kind": c.get_kind_display(),
                "division": c.division.name,
                "on": _day(c.effective_on),
            }
            for c in changes[:SHOWN]
        ],
        "changes_count": len(changes),
    }


def support(period: Period) -> dict[str, Any]:
    asked = SupportRequest.objects.filter(asked_at__gte=period.since, asked_at__lt=period.until)
    answered = SupportRequest.objects.filter(
        first_answered_at__gte=period.since,
        first_answered_at__lt=period.until,
        first_response_days__isnull=False,
    ).select_related("sponsor")
    by_sponsor: dict[str, list[int]] = {}
    for request in answered.only(
        "first_response_days", "sponsor__first_name", "sponsor__last_name", "sponsor__username"
    ):
        by_sponsor.setdefault(str(request.sponsor), []).append(request.first_response_days)
    all_days = [d for days in by_sponsor.values() for d in days]
    target = ReminderSettings.current().support_target_days
    # Unanswered at the month's end after more working days than the target.
    end = min(period.until, timezone.now())
    unanswered = SupportRequest.objects.filter(asked_at__lt=end).filter(
        Q(first_answered_at__isnull=True) | Q(first_answered_at__gte=end),
        Q(closed_at__isnull=True) | Q(closed_at__gte=end),
    )
    holidays = set(Holiday.objects.values_list("day", flat=True))
    waiting_count = sum(
        1
        for asked in unanswered.values_list("asked_at", flat=True)
        if working_days(asked, end, holidays) > target
    )
    slow = [name for name, days in by_sponsor.items() if _median(days) > target]
    attention = []
    if slow:
        attention.append(
            f"Slow first answers from {', '.join(sorted(slow))} (median over {target} working days)"
        )
    if waiting_count:
        attention.append(
            f"{waiting_count} support request{'s' * (waiting_count != 1)} unanswered past the "
            "target"
        )
    return {
        "figures": [
            _figure("Support requests", asked.count()),
            _figure(
                "Median first answer",
                f"{_median(all_days)} working days" if all_days else "–",
                f"target {target}",
                first=True,
            ),
        ],
        "achieved": [],
        "attention": attention,
        "target": target,
        "sponsors": [
            {
                "sponsor": name,
                "answered": len(days),
                "median": _median(days),
                "slowest": max(days),
            }
            for name, days in sorted(by_sponsor.items())
        ],
        "waiting": waiting_count,
    }


# --- The SMT's decisions and action items ---------------------------------------------------------


def smt_work(period: Period) -> dict[str, Any]:
    decisions = Decision.objects.filter(
        team__is_management_team=True, decided_on__gte=period.start, decided_on__lt=period.end
    )
    decision_count = decisions.count()
    shown = list(decisions.only("text", "decided_on").order_by("-decided_on", "-pk")[:SHOWN])
    done = ActionItem.objects.filter(
        status=ActionStatus.DONE, done_on__gte=period.start, done_on__lt=period.end
    ).aggregate(all=Count("pk"), smt=Count("pk", filter=Q(team__is_management_team=True)))
    # Open at the end of the month and due before it: overdue then (or now, for a month
    # still running).
    overdue = ActionItem.objects.filter(due_on__lt=period.as_of).filter(
        Q(status=ActionStatus.OPEN) | Q(status=ActionStatus.DONE, done_on__gte=period.end)
    )
    overdue_counts = overdue.aggregate(
        all=Count("pk"), smt=Count("pk", filter=Q(team__is_management_team=True))
    )
    smt_overdue = list(
        overdue.filter(team__is_management_team=True)
        .select_related("owner")
        .only("what", "due_on", "owner__first_name", "owner__last_name", "owner__username")
        .order_by("due_on", "pk")[:SHOWN]
    )
    attention = []
    if overdue_counts["smt"]:
        attention.append(
            f"{overdue_counts['smt']} SMT action item{'s' * (overdue_counts['smt'] != 1)} overdue"
        )
    return {
        "figures": [
            _figure("SMT decisions", decision_count),
            _figure("Action items done", done["all"], f"{done['smt']} of them the SMT's"),
            _figure(
                "Action items overdue",
                overdue_counts["all"],
                f"{overdue_counts['smt']} of them the SMT's",
                first=True,
            ),
        ],
        "achieved": [f"{decision_count} decision{'s' * (decision_count != 1)} by the SMT"]
        if decision_count
        else [],
        "attention": attention,
        "decisions": [{"text": _short(d.text), "on": _day(d.decided_on)} for d in shown],
        "overdue": [
            {"what": _short(a.what, 100), "owner": str(a.owner), "due": _day(a.due_on)}
            for a in smt_overdue
        ],
    }


# --- Initiatives ---------------------------------------------------------------------------------


def initiatives(period: Period) -> dict[str, Any]:
    reviews = list(
        Review.objects.filter(held_on__gte=period.start, held_on__lt=period.end)
        .select_related("initiative")
        .only("held_on", "decision", "initiative__name")
        .order_by("-held_on")
    )
    day = period.as_of
    due = Initiative.objects.running().filter(next_review_on__lte=day + timedelta(days=60))
    counts = due.aggregate(all=Count("pk"), overdue=Count("pk", filter=Q(next_review_on__lt=day)))
    soonest = list(due.only("name", "next_review_on").order_by("next_review_on", "pk")[:SHOWN])
    return {
        "figures": [
            _figure("Initiatives reviewed", len(reviews)),
            _figure("Reviews due within 60 days", counts["all"], f"{counts['overdue']} overdue"),
        ],
        "achieved": [],
        "attention": [
            f"{counts['overdue']} initiative review{'s' * (counts['overdue'] != 1)} overdue"
        ]
        if counts["overdue"]
        else [],
        "reviewed": [
            {
                "initiative": r.initiative.name,
                "decision": r.get_decision_display(),
                "on": _day(r.held_on),
            }
            for r in reviews[:SHOWN]
        ],  # fmt: skip
        "due": [
            {
                "initiative": i.name,
                "on": f"{i.next_review_on:%-d %b %Y}",
                "overdue": i.next_review_on < day,
            }
            for i in soonest
        ],
    }


# --- The sponsor rule ----------------------------------------------------------------------------


def sponsor_rule_status(period: Period) -> dict[str, Any]:
    rule = sponsor_rule(day=period.as_of)
    return {
        "figures": [
            _figure("Sponsor rule", "Holds" if rule.holds else "Broken", first=True),
        ],
        "achieved": [],
        "attention": [f"The sponsor rule is broken: {p}" for p in rule.problems],
        "holds": rule.holds,
        "problems": rule.problems,
        "sponsors": [
            {
                "name": str(seat.sponsor),
                "division": seat.division.name if seat.division else "",
                "counts": seat.counts,
            }
            for seat in rule.seats
        ],
    }


SECTIONS: list[Section] = [
    Section("shared", "Successes and adaptive challenges shared with the SMT", shared_with_smt),
    Section("stages", "Stages of implementation and the Transformation Zone", stages),
    Section("outcomes", "Outcomes in the Transformation Zone", zone_progress),
    Section("assessments", "Capacity and fidelity results", assessments),
    Section("barriers", "Barriers and systemic change", barriers),
    Section("support", "Sponsor support to the STSs", support),
    Section("smt", "The SMT's decisions and action items", smt_work),
    Section("initiatives", "Initiatives reviewed and due", initiatives),
    Section("sponsor_rule", "The sponsor rule", sponsor_rule_status, attention_first=True),
]


def build_content(month: date) -> dict[str, Any]:
    """A month's digest as plain data: the first screen, then each section in order."""
    period = Period(month_of(month))
    sections = []
    for section in SECTIONS:
        data = section.build(period)
        sections.append({"key": section.key, "title": section.title, **data})
    leading = {section.key for section in SECTIONS if section.attention_first}
    by_urgency = sorted(sections, key=lambda s: s["key"] not in leading)
    return {
        "version": CONTENT_VERSION,
        "month": period.start.isoformat(),
        "label": period.label,
        "built_on": today().isoformat(),
        "figures": [{**figure, "section": s["key"]} for s in sections for figure in s["figures"]],
        "attention": [line for s in by_urgency for line in s["attention"]],
        "achieved": [line for s in sections for line in s["achieved"]],
        "sections": sections,
    }
