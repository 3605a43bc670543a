from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Case, Count, Exists, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models import BooleanField as Flag
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth

from teams.models import Level, Membership, Team, User, today

from .models import (
    Administration,
    CoachingSession,
    Instrument,
    Item,
    ItemScore,
    Kind,
    LiveRound,
    TrainingEvent,
    Vote,
)


@dataclass
class LevelDevelopment:
    level: str
    in_zone: bool
    teams: int = 0
    reviewed: int = 0
    formed: int = 0
    members_trained: int = 0
    meets_on_cadence: int = 0
    linked: int = 0

    def percent(self, count: int) -> int | None:
        return round(100 * count / self.reviewed) if self.reviewed else None

    @property
    def percents(self) -> list[int | None]:
        return [
            self.percent(c)
            for c in (self.formed, self.members_trained, self.meets_on_cadence, self.linked)
        ]


def development_by_level() -> list[LevelDevelopment]:
    """Each level's teams against the four development checks of their latest review,
    counted in the database: one grouped query whatever the number of teams."""
    day = today()
    in_zone = Q(zone_entered_on__lte=day) & (Q(zone_left_on__isnull=True) | Q(zone_left_on__gt=day))
    reviewed = Q(dev_reviewed_on__isnull=False)
    rows = (
        Team.objects.annotate(
            zone=Case(When(in_zone, then=Value(True)), default=Value(False), output_field=Flag())
        )
        .values("level", "zone")
        .annotate(
            teams=Count("pk"),
            reviewed=Count("pk", filter=reviewed),
            formed=Count("pk", filter=reviewed & Q(dev_formed=True)),
            members_trained=Count("pk", filter=reviewed & Q(dev_trained=True)),
            meets_on_cadence=Count("pk", filter=reviewed & Q(dev_meeting=True)),
            linked=Count("pk", filter=reviewed & Q(dev_linked=True)),
        )
        .order_by()
    )
    found = {(row.pop("level"), row.pop("zone")): row for row in rows}
    return [
        LevelDevelopment(Level(level).label, zone, **found[(level, zone)])
        for level in Level.values
        for zone in (True, False)
        if (level, zone) in found
    ]


# --- Results of an administration ------------------------------------------------------------


def percent(points, possible) -> float | None:
    return round(100 * points / possible, 1) if possible else None


@dataclass
class SectionResult:
    key: str
    title: str
    points: int
    possible: int
    previous: float | None = None

    @property
    def percent(self) -> float | None:
        return percent(self.points, self.possible)

    @property
    def change(self) -> float | None:
        if self.percent is None or self.previous is None:
            return None
        return round(self.percent - self.previous, 1)


@dataclass
class ItemResult:
    item: Item
    score: ItemScore | None
    previous: ItemScore | None
    actions: list = field(default_factory=list)
    earlier_actions: list = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def low(self) -> bool:
        return self.score is not None and self.score.is_low

    @property
    def dropped(self) -> bool:
        return (
            self.score is not None
            and self.previous is not None
            and not self.score.not_applicable
            and not self.previous.not_applicable
            and self.score.score < self.previous.score
        )

    @property
    def stayed_low(self) -> bool:
        return self.low and self.previous is not None and self.previous.is_low

    @property
    def red_without_plan(self) -> bool:
        """A low item the team has turned into no action: the signal to act on."""
        return self.low and not self.actions


@dataclass
class Results:
    administration: Administration
    sections: list[SectionResult]
    points: int
    possible: int
    previous: Administration | None
    previous_total: float | None
    items: list[ItemResult]
    scored: int
    trend: list[dict]

    @property
    def percent(self) -> float | None:
        return percent(self.points, self.possible)

    @property
    def change(self) -> float | None:
        if self.percent is None or self.previous_total is None:
            return None
        return round(self.percent - self.previous_total, 1)

    @property
    def at_fidelity(self) -> bool | None:
        threshold = self.administration.instrument.threshold
        if threshold is None or self.percent is None:
            return None
        return self.percent >= threshold

    @property
    def to_act_on(self) -> list[ItemResult]:
        """Items that dropped since last time or are low, and those with a plan, now or
        last time (to see what became of it)."""
        return [r for r in self.items if r.dropped or r.low or r.actions or r.earlier_actions]

    @property
    def red_without_plan(self) -> int:
        return sum(r.red_without_plan for r in self.items)


def section_sums(administration_ids: list[int]) -> dict[tuple[int, str], tuple[int, int]]:
    """Points and possible points per administration and section, summed in the database;
    items not applicable count in neither."""
    rows = (
        ItemScore.objects.filter(administration_id__in=administration_ids, not_applicable=False)
        .values("administration_id", "item__section__key")
        .annotate(points=Coalesce(Sum("score"), 0), possible=Coalesce(Sum("item__max_score"), 0))
        .order_by()
    )
    return {
        (row["administration_id"], row["item__section__key"]): (row["points"], row["possible"])
        for row in rows
    }


def earlier_administrations(administration: Administration, limit: int = 8) -> list:
    """The team's completed administrations of the same instrument before this one,
    newest first."""
    return list(
        Administration.objects.completed()
        .filter(team_id=administration.team_id, instrument_id=administration.instrument_id)
        .filter(
            Q(held_on__lt=administration.held_on)
            | Q(held_on=administration.held_on, pk__lt=administration.pk)
        )
        .order_by("-held_on", "-pk")[:limit]
    )


def results(administration: Administration, *, actions_for=None) -> Results:
    """Each section and the total as a percent of possible points, against the team's
    last administration of the instrument; the items that dropped or stayed low; a trend
    of the totals. A fixed number of queries whatever the size of the instrument."""
    earlier = earlier_administrations(administration)
    previous = earlier[0] if earlier else None
    sections = list(administration.version.sections.order_by("position"))
    ids = [administration.pk, *(a.pk for a in earlier)]
    sums = section_sums(ids)
    section_results = []
    for section in sections:
        points, possible = sums.get((administration.pk, section.key), (0, 0))
        before = sums.get((previous.pk, section.key)) if previous else None
        section_results.append(
            SectionResult(
                section.key, section.title, points, possible, percent(*before) if before else None
            )
        )
    items = list(administration.version.items.select_related("section").order_by("number"))
    # Each score with its item only: the default manager's administration and team would
    # be the same for every row.
    scores = {
        s.item_id: s
        for s in ItemScore.objects.filter(administration=administration)
        .select_related(None)
        .select_related("item")
    }
    before_scores = {
        s.item.key: s
        for s in ItemScore.objects.filter(administration_id=previous.pk if previous else None)
        .select_related(None)
        .select_related("item")
    }
    item_results = [
        ItemResult(item, scores.get(item.pk), before_scores.get(item.key)) for item in items
    ]
    if actions_for is not None:
        actions_for(item_results, scores, before_scores)
    totals = [
        (
            a,
            sum(p for (aid, _), (p, _) in sums.items() if aid == a.pk),
            sum(q for (aid, _), (_, q) in sums.items() if aid == a.pk),
        )
        for a in [administration, *earlier]
    ]
    trend = [
        {
            "label": f"{a.held_on:%b %Y}",
            "held_on": a.held_on,
            "total": percent(points, possible),
            "sections": [percent(*sums.get((a.pk, s.key), (0, 0))) for s in sections],
        }
        for a, points, possible in reversed(totals)
    ]
    points = sum(s.points for s in section_results)
    possible = sum(s.possible for s in section_results)
    previous_total = None
    if previous is not None:
        p = sum(v[0] for k, v in sums.items() if k[0] == previous.pk)
        q = sum(v[1] for k, v in sums.items() if k[0] == previous.pk)
        previous_total = percent(p, q)
    return Results(
        administration=administration,
        sections=section_results,
        points=points,
        possible=possible,
        previous=previous,
        previous_total=previous_total,
        items=item_results,
        scored=len(scores),
        trend=trend,
    )


# --- The live session ------------------------------------------------------------------------


@dataclass
class LiveState:
    administration: Administration
    item: Item | None
    revealed: bool
    step: int
    voters: list[tuple[User, int | None]]
    my_vote: int | None
    score: ItemScore | None
    scored: int
    items: int

    @property
    def all_voted(self) -> bool:
        return bool(self.voters) and all(score is not None for _, score in self.voters)

    @property
    def shown(self) -> bool:
        """Votes show together once everyone has voted or the facilitator reveals them."""
        return self.revealed or self.all_voted

    @property
    def voted(self) -> int:
        return sum(score is not None for _, score in self.voters)

    @property
    def spread(self) -> list[tuple[int, int]]:
        if self.item is None:
            return []
        counts = dict.fromkeys(self.item.score_values, 0)
        for _, score in self.voters:
            if score is not None:
                counts[score] = counts.get(score, 0) + 1
        return sorted(counts.items())


def live_state(administration: Administration, user: User) -> LiveState:
    live, _ = LiveRound.objects.select_related("item").get_or_create(administration=administration)
    participants = list(administration.participants.order_by("last_name", "first_name"))
    votes = {}
    if live.item_id:
        votes = dict(
            Vote.objects.filter(administration=administration, item_id=live.item_id).values_list(
                "voter_id", "score"
            )
        )
    counts = ItemScore.objects.filter(administration=administration).aggregate(n=Count("pk"))
    return LiveState(
        administration=administration,
        item=live.item,
        revealed=live.revealed,
        step=live.step,
        voters=[(p, votes.get(p.pk)) for p in participants],
        my_vote=votes.get(user.pk),
        score=(
            ItemScore.objects.filter(administration=administration, item_id=live.item_id).first()
            if live.item_id
            else None
        ),
        scored=counts["n"],
        items=administration.version.items.count(),
    )


# --- Lists -----------------------------------------------------------------------------------


def team_administrations(team: Team):
    return (
        Administration.objects.filter(team=team)
        .select_related("instrument")
        .order_by("-held_on", "-pk")
    )


def due_instruments(team: Team) -> list[tuple[Instrument, date | None, date | None]]:
    """Each instrument for the team's level, with the last time it was completed and
    when it is next due."""
    instruments = [i for i in Instrument.objects.order_by("kind", "name") if team.level in i.levels]
    last = dict(
        Administration.objects.completed()
        .filter(team=team)
        .values("instrument_id")
        .annotate(last=Max("held_on"))
        .values_list("instrument_id", "last")
    )
    return [
        (
            i,
            last.get(i.pk),
            last[i.pk] + timedelta(days=i.due_every_days) if i.pk in last else None,
        )
        for i in instruments
    ]


def capacity_by_period() -> list[dict]:
    """The average capacity total (percent of possible points) of completed capacity
    administrations per half year, in the Transformation Zone and outside it: whether the
    Zone improves faster than the rest. Kept in the cache under the newest change to any
    administration (every start, completion and correction writes a history row) and the
    cascade's version (the Zone), so it is summed again only after one."""
    from teams.freshness import remembered

    latest = Administration.history.aggregate(newest=Max("history_id"))["newest"] or 0
    return remembered(f"capacity-by-period:{latest}", ("cascade",), _capacity_by_period)


def _capacity_by_period() -> list[dict]:
    day = today()
    since = day.replace(year=day.year - 2, month=1, day=1)
    in_zone = Q(team__zone_entered_on__lte=day) & (
        Q(team__zone_left_on__isnull=True) | Q(team__zone_left_on__gt=day)
    )
    rows = (
        Administration.objects.completed()
        .filter(instrument__kind=Kind.CAPACITY, held_on__gte=since, total_percent__isnull=False)
        .annotate(
            zone=Case(When(in_zone, then=Value(True)), default=Value(False), output_field=Flag()),
            year=ExtractYear("held_on"),
            half=Case(When(held_on__month__lte=6, then=Value(1)), default=Value(2)),
        )
        .values("year", "half", "zone")
        .annotate(average=Avg("total_percent"), teams=Count("team_id", distinct=True))
        .order_by("year", "half")
    )
    periods: dict[tuple[int, int], dict] = {}
    for row in rows:
        period = periods.setdefault(
            (row["year"], row["half"]),
            {"label": f"{'Jan–Jun' if row['half'] == 1 else 'Jul–Dec'} {row['year']}",
             "zone": None, "rest": None, "zone_teams": 0, "rest_teams": 0},
        )  # fmt: skip
        side = "zone" if row["zone"] else "rest"
        period[side] = round(float(row["average"]), 1)
        period[f"{side}_teams"] = row["teams"]
    return list(periods.values())


# --- Implementation: training and coaching ---------------------------------------------------


@dataclass
class MemberTraining:
    person: User
    role: str
    trainings: int
    hours: Decimal | None
    last: date | None


def team_training(team: Team) -> list[MemberTraining]:
    """Each current member of the team: how many trainings they attended, their hours and
    the last one (counted in the database)."""
    through = TrainingEvent.attendees.through
    attended = through.objects.filter(user_id=OuterRef("person_id"))
    memberships = (
        Membership.objects.filter(team=team)
        .current()
        .select_related("person")
        .annotate(
            trainings=Coalesce(
                Subquery(attended.values("user_id").annotate(n=Count("pk")).values("n")[:1]),
                0,
            ),
            hours=Subquery(
                attended.values("user_id").annotate(h=Sum("trainingevent__hours")).values("h")[:1]
            ),
            last=Subquery(
                attended.values("user_id").annotate(d=Max("trainingevent__held_on")).values("d")[:1]
            ),
        )
        .order_by("person__last_name", "person__first_name")
    )
    return [
        MemberTraining(m.person, m.get_role_display(), m.trainings, m.hours, m.last)
        for m in memberships
    ]


def coaching_by_month(team: Team, months: int = 12) -> list[dict]:
    """Coaching dose per month for the team over the last year: sessions and minutes."""
    day = today()
    start = (day.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        CoachingSession.objects.filter(team=team, held_on__gte=start)
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"))
        .order_by("month")
    )
    found = {row["month"]: row for row in rows}
    result, month = [], start
    while month <= day:
        row = found.get(month, {})
        result.append(
            {"month": month, "sessions": row.get("sessions", 0), "minutes": row.get("minutes", 0)}
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return result


def implementation_summary(user: User) -> dict:
    """Per innovation and the people not yet trained, for the teams the person follows:
    kept in the cache under the newest training and coaching records (each writes a
    history row), the seats (people) and the cascade, per set of teams followed."""
    from teams.freshness import hashed, remembered
    from teams.standing import standing

    person = standing(user)
    scope = "all" if person.reads_whole_cascade else hashed(sorted(person.own_team_ids))
    newest = (
        TrainingEvent.history.aggregate(n=Max("history_id"))["n"] or 0,
        CoachingSession.history.aggregate(n=Max("history_id"))["n"] or 0,
    )
    return remembered(
        f"implementation:{scope}:{newest[0]}.{newest[1]}",
        ("cascade", "people"),
        lambda: {"innovations": innovation_summary(user), "untrained": untrained_count(user)},
    )


def innovation_summary(user: User) -> list[dict]:
    """Per innovation, across the teams the person follows: training events, hours, people
    trained, essential-functions coverage, coaching sessions and minutes."""
    from .rules import readable_team_data

    training = (
        TrainingEvent.objects.filter(readable_team_data(user))
        .values("innovation")
        .annotate(
            events=Count("pk", distinct=True),
            hours=Sum("hours"),
            essential=Count("pk", filter=Q(covered_essential_functions=True), distinct=True),
            teams=Count("team_id", distinct=True),
        )
        .order_by("innovation")
    )
    trained = dict(
        TrainingEvent.attendees.through.objects.filter(
            readable_team_data(user, "trainingevent__team")
        )
        .values("trainingevent__innovation")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("trainingevent__innovation", "n")
    )
    coaching = {
        row["innovation"]: row
        for row in CoachingSession.objects.filter(readable_team_data(user))
        .values("innovation")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    }
    names = sorted({row["innovation"] for row in training} | set(coaching))
    by_name = {row["innovation"]: row for row in training}
    return [
        {
            "innovation": name,
            "events": by_name.get(name, {}).get("events", 0),
            "hours": by_name.get(name, {}).get("hours") or 0,
            "essential": by_name.get(name, {}).get("essential", 0),
            "teams": by_name.get(name, {}).get("teams", 0),
            "trained": trained.get(name, 0),
            "sessions": coaching.get(name, {}).get("sessions", 0),
            "minutes": coaching.get(name, {}).get("minutes") or 0,
        }
        for name in names
    ]


def untrained_count(user: User) -> int:
    """People seated on the teams the person follows who have attended no training yet."""
    from .rules import readable_team_data

    through = TrainingEvent.attendees.through
    return (
        Membership.objects.current()
        .filter(readable_team_data(user))
        .exclude(Exists(through.objects.filter(user_id=OuterRef("person_id"))))
        .values("person_id")
        .distinct()
        .count()
    )


def training_list(user: User):
    from .rules import readable_team_data

    return (
        TrainingEvent.objects.filter(readable_team_data(user))
        .select_related("team")
        .order_by("-held_on", "-id")
    )


def with_attendee_counts(events) -> list:
    """The events with how many attended each, counted for these events only (counting
    before paging would group every event of the state)."""
    events = list(events)
    counts = dict(
        TrainingEvent.attendees.through.objects.filter(trainingevent_id__in=[e.pk for e in events])
        .values("trainingevent_id")
        .annotate(n=Count("pk"))
        .values_list("trainingevent_id", "n")
    )
    for event in events:
        event.people = counts.get(event.pk, 0)
    return events


def coaching_list(user: User):
    from .rules import readable_team_data

    return (
        CoachingSession.objects.filter(readable_team_data(user))
        .select_related("team", "coach", "coachee")
        .order_by("-held_on", "-id")
    )


def completed_for_agenda(meeting) -> list[Administration]:
    """Offered for a team's next agenda: its assessments completed in the last 90 days."""
    since = today() - timedelta(days=90)
    return list(
        Administration.objects.completed()
        .filter(team_id=meeting.team_id, completed_on__gte=since)
        .order_by("-held_on")[:3]
    )
