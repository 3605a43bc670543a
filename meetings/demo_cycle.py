"""The practice-policy cycle in the Lakeland demo: about 40 barriers at every stage of the
path (some stalled for weeks at a district or region, some answered and confirmed, some
resolved by systemic changes), a protocol for every link in the Transformation Zone and a
few outside it, and months of support requests with one slow sponsor. Written once: a
second load finds barriers already there and adds nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from teams.demo import DemoRun
from teams.models import Division, Level, SponsorPairing, Team, User
from teams.registry import DemoPart

from .models import (
    Barrier,
    BarrierMove,
    Decision,
    Holiday,
    LinkProtocol,
    ProtocolReview,
    SharedWithSmt,
    SupportReply,
    SupportRequest,
    SystemicChange,
)
from .selectors import members_of, working_days

REASON = "Loaded the Lakeland demo"
SEED = 20_261_125

BARRIERS = [
    (
        "Substitute coverage for coaching days",
        "Teachers miss coaching sessions because no substitutes are available on coaching days.",
        "About a third of planned coaching sessions in the building did not happen this term.",
        "A pool of substitutes reserved for coaching days across the district.",
    ),
    (
        "Two improvement plans that ask the same questions",
        "Schools complete both the school improvement plan and the implementation plan.",
        "Principals spend two extra days a term on paperwork instead of walkthroughs.",
        "One plan template that serves both purposes.",
    ),
    (
        "Data lead has no protected time",
        "The building's data lead prepares the team's data at home, after hours.",
        "Data arrives late or not at all for two of three meetings.",
        "Two protected hours a week for the data lead.",
    ),
    (
        "Screening data arrives six weeks late",
        "Winter screening results reach teams six weeks after testing.",
        "Small groups are formed on stale data for half the term.",
        "Results returned within two weeks from the state's vendor.",
    ),
    (
        "Title I funds cannot pay for coaching stipends",
        "The district's reading of the guidance says coaching stipends are not allowed.",
        "Two buildings have no coach at all this year.",
        "Clear guidance from Federal Programs on coaching as an allowable cost.",
    ),
    (
        "New teachers start before training is offered",
        "Teachers hired in August start teaching before the summer training is repeated.",
        "A fifth of classrooms run the programme without training for months.",
        "A training window in September, or online modules.",
    ),
    (
        "Bus schedule cuts the intervention block",
        "Early buses take students out of the last period, when intervention is scheduled.",
        "Rural students miss two intervention sessions a week.",
        "Intervention moved earlier, or bus times changed.",
    ),
    (
        "Fidelity tool not available in Spanish",
        "The fidelity observation form exists only in English.",
        "Dual-language classrooms are not observed.",
        "A translated and validated form.",
    ),
]
CHANGES = [
    (
        "funding",
        "Coaching stipends are an allowable Title I cost",
        "Federal Programs issued guidance: coaching stipends tied to the district's "
        "implementation plan are allowable under Title I.",
        "federal",
    ),
    (
        "guidance",
        "One plan template for improvement and implementation",
        "The school improvement plan template now includes the implementation plan's "
        "sections; schools complete one document.",
        "improvement",
    ),
    (
        "structures",
        "Regional substitute pool for coaching days",
        "Each region keeps a pool of substitutes reserved for coaching days, funded from the "
        "state's professional learning budget.",
        "educators",
    ),
]
SUPPORT = [
    ("introduction", "An introduction to the superintendent of a district joining the Zone."),
    ("decision", "A decision on whether the Zone districts may pilot the new plan template."),
    ("resource", "Funding for a second coaching day each month in the Northern Region."),
    ("message", "A message from leadership to principals about protected coaching time."),
]
HOLIDAYS = [
    (1, 1, "New Year's Day"),
    (1, 19, "Martin Luther King Jr. Day"),
    (5, 25, "Memorial Day"),
    (7, 3, "Independence Day (observed)"),
    (9, 7, "Labor Day"),
    (11, 26, "Thanksgiving"),
    (11, 27, "Day after Thanksgiving"),
    (12, 25, "Christmas Day"),
]


def load_cycle(run: DemoRun) -> int:
    if Barrier.objects.exists():
        return 0
    loader = CycleDemo(run)
    loader.load()
    return loader.rows


def describe() -> list[str]:
    return [
        f"Practice-policy cycle: {Barrier.objects.count()} barriers "
        f"({Barrier.objects.filter(holder__is_management_team=True, stage='open').count()} "
        f"waiting with the SMT), {SystemicChange.objects.count()} systemic changes, "
        f"{LinkProtocol.objects.count()} linking protocols, "
        f"{SupportRequest.objects.count()} support requests.",
    ]


DEMO_PART = DemoPart("barriers", load=load_cycle, describe=describe, order=30)

# (final stage, how many): every stage of the path.
PLAN = [
    ("open_first", 9),
    ("open_higher", 6),
    ("at_smt", 5),
    ("answered", 5),
    ("returned", 4),
    ("confirmed", 7),
    ("systemic", 3),
    ("reopened", 2),
    ("not_actionable", 1),
]


class CycleDemo:
    def __init__(self, run: DemoRun) -> None:
        self.run = run
        self.rng = random.Random(SEED)
        self.rows = 0
        self.now = timezone.now()
        self.teams = {t.pk: t for t in Team.objects.all()}
        self.members: dict[int, list[User]] = {}

    def at(self, days_ago: float, hour: int = 10) -> datetime:
        day = self.run.day - timedelta(days=int(days_ago))
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def someone(self, team: Team) -> User:
        if team.pk not in self.members:
            people = members_of(team) or list(team.specialists.all())
            self.members[team.pk] = people or list(User.objects.filter(username="csso"))
        return self.rng.choice(self.members[team.pk])

    def path(self, team: Team) -> list[Team]:
        chain, node = [team], team
        while node.parent_id:
            node = self.teams[node.parent_id]
            chain.append(node)
        return chain

    def load(self) -> None:
        self._holidays()
        changes = self._changes()
        self._barriers(changes)
        self._protocols()
        self._support()
        self._shared()

    # --- Barriers ----------------------------------------------------------------------------

    def _raisers(self) -> list[Team]:
        building_login = User.objects.filter(username="building").first()
        lincoln = Team.objects.filter(memberships__person=building_login).first()
        zone = [t for t in self.teams.values() if t.in_zone(self.run.day)]
        buildings = [t for t in zone if t.level == Level.BUILDING]
        districts = [t for t in zone if t.level == Level.DISTRICT]
        others = [t for t in self.teams.values() if t.level in (Level.BUILDING, Level.DISTRICT)]
        raisers = [lincoln] * 4 if lincoln else []
        while len(raisers) < sum(n for _, n in PLAN):
            pool = self.rng.choice((buildings, buildings, districts, others))
            if pool:
                raisers.append(self.rng.choice(pool))
        return raisers

    def _barriers(self, changes: list[SystemicChange]) -> None:
        raisers = iter(self._raisers())
        systemic = iter(changes)
        number = 0
        for stage, count in PLAN:
            for _ in range(count):
                self._barrier(next(raisers), stage, systemic, number)
                number += 1

    def _barrier(self, team: Team, plan: str, systemic, number: int) -> None:
        rng = self.rng
        # Each team's barriers differ: the texts are taken in turn, not drawn.
        title, practice, effect, helps = BARRIERS[(number * 3) % len(BARRIERS)]
        path = self.path(team)
        raised_days = rng.randint(20, 200)
        raiser = self.someone(team)
        barrier = Barrier(
            team=team,
            kind="barrier" if rng.random() < 0.8 else "feedback",
            title=title,
            practice=practice,
            effect=effect,
            would_help=helps,
            raised_by=raiser,
            raised_at=self.at(raised_days),
            holder=path[1],
            moved_at=self.at(raised_days),
        )
        # How far it climbs: to the SMT for those that reach it, else one or two levels.
        if plan in ("at_smt", "systemic"):
            top = len(path) - 1
        elif plan == "open_first":
            top = 1
        elif plan == "answered":
            # Answered above and still on its way down: at least two levels up.
            top = min(len(path) - 1, rng.choice((2, 3)))
        else:
            top = min(len(path) - 1, rng.choice((1, 2, 2, 3)))
        moves: list[BarrierMove] = []
        clock = raised_days

        def move(kind, src, dst, by, note=""):
            nonlocal clock
            moves.append(
                BarrierMove(
                    kind=kind, from_team=src, to_team=dst, by=by, at=self.at(clock), note=note
                )
            )

        move("raised", team, path[1], raiser)
        # Stalled ones have sat for weeks where they are.
        for level in range(1, top):
            clock -= rng.randint(3, 25) if plan != "open_higher" else rng.randint(5, 40)
            clock = max(clock, 1)
            move(
                "escalated",
                path[level],
                path[level + 1],
                self.someone(path[level]),
                "We tried a local fix; it needs a decision above us.",
            )
        holder = path[top]
        barrier.holder = holder
        barrier.reached_state = any(
            t.is_management_team or t.level == Level.STATE for t in path[1 : top + 1]
        )
        if plan in ("open_first", "open_higher", "at_smt"):
            barrier.stage = "open"
        else:
            clock = max(1, clock - rng.randint(2, 20))
            barrier.answered_by_team = holder
            if plan == "systemic":
                barrier.outcome = "systemic"
                barrier.answer = "The SMT changed the system: see the systemic change."
            elif plan == "not_actionable":
                barrier.outcome = "not_actionable"
                barrier.outcome_reason = "Bus schedules are set by the district's contract."
                barrier.answer = "This cannot be changed at the state level this year."
            else:
                barrier.outcome = "practice"
                barrier.answer = "Schedule coaching on early-release days; the region will help."
            move("answered", holder, path[top - 1], self.someone(holder), barrier.answer)
            level = top - 1
            stop_at = 0
            if plan == "answered":
                stop_at = max(1, level - 1) if level > 1 else level
            while level > stop_at:
                clock = max(1, clock - rng.randint(1, 8))
                move(
                    "passed_down",
                    path[level],
                    path[level - 1],
                    self.someone(path[level]),
                    "For us: we will add it to our next meeting.",
                )
                level -= 1
            barrier.holder = path[level]
            barrier.stage = "answered" if level > 0 else "returned"
            if plan in ("confirmed", "systemic", "not_actionable"):
                clock = max(0.5, clock - rng.randint(1, 10))
                move("confirmed", team, team, self.someone(team), "The change reached classrooms.")
                barrier.stage = "closed"
                barrier.helped = True
                barrier.heard_back_at = self.at(clock)
            elif plan == "reopened":
                clock = max(1, clock - rng.randint(2, 10))
                move("reopened", team, holder, self.someone(team), "It did not reach practice.")
                barrier.holder = holder
                barrier.stage = "open"
                barrier.helped = False
                barrier.heard_back_at = self.at(clock)
                barrier.outcome = ""
        barrier.moved_at = moves[-1].at
        barrier._change_reason = REASON
        barrier.save()
        self.rows += 1
        for index, each in enumerate(moves):
            each.barrier = barrier
            if each.kind != "confirmed":
                later = moves[index + 1].at if index + 1 < len(moves) else None
                each.left_at = later
            else:
                each.left_at = each.at
        BarrierMove.objects.bulk_create(moves)
        self.rows += len(moves)
        if plan == "systemic":
            change = next(systemic, None)
            if change is not None:
                change.barriers.add(barrier)

    # --- Systemic changes --------------------------------------------------------------------

    def _changes(self) -> list[SystemicChange]:
        divisions = {d.short_name: d for d in Division.objects.all()}
        by_key = {
            "federal": "FP",
            "improvement": "SI",
            "educators": "EE",
        }
        csso = User.objects.filter(username="csso").first()
        decisions = list(Decision.objects.filter(team__is_management_team=True)[:3])
        made = []
        for index, (kind, title, description, division) in enumerate(CHANGES):
            owner = divisions.get(by_key[division]) or next(iter(divisions.values()), None)
            if owner is None or csso is None:
                continue
            change = SystemicChange(
                kind=kind,
                title=title,
                description=description,
                division=owner,
                effective_on=self.run.ago(30 + 40 * index),
                recorded_by=csso,
            )
            change._change_reason = REASON
            change.save()
            if index < len(decisions):
                change.decisions.add(decisions[index])
            made.append(change)
            self.rows += 1
        return made

    # --- Protocols ---------------------------------------------------------------------------

    def _protocols(self) -> None:
        zone = [
            t
            for t in self.teams.values()
            if t.in_zone(self.run.day) and t.parent_id and not t.is_management_team
        ]
        state = [t for t in self.teams.values() if t.level == Level.STATE and t.parent_id]
        outside = [
            t
            for t in self.teams.values()
            if t.level == Level.DISTRICT and not t.in_zone(self.run.day)
        ]
        links = zone + state + self.rng.sample(outside, min(5, len(outside)))
        protocols = []
        for team in links:
            parent = self.teams[team.parent_id]
            sender, receiver = members_of(team), members_of(parent)
            linking = next((p for p in sender if p in receiver), None)
            if not sender or not receiver:
                continue
            every = 30 if team.level != Level.BUILDING else 14
            protocols.append(
                LinkProtocol(
                    from_team=team,
                    to_team=parent,
                    rationale=f"So {parent} hears what {team} learns in practice, on schedule.",
                    passes=["updates", "successes", "challenges", "barriers", "decisions"],
                    responsible_from=linking or sender[0],
                    responsible_to=linking or receiver[0],
                    every_days=every,
                    minutes=15,
                    format=f"The linking member's report at {parent}'s meeting",
                    response_days=10,
                    response_format="Written reply in the portal within the response time",
                    started_on=self.run.ago(self.rng.randint(40, 300)),
                )
            )
        bulk_create_with_history(protocols, LinkProtocol, default_change_reason=REASON)
        self.rows += len(protocols)
        reviews = []
        for protocol in protocols[::3]:
            reviews.append(
                ProtocolReview(
                    protocol=protocol,
                    team=protocol.from_team,
                    verdict="working" if self.rng.random() < 0.7 else "adjust",
                    notes="The monthly report works; answers could come sooner.",
                    by=protocol.responsible_from,
                    reviewed_on=self.run.ago(self.rng.randint(5, 30)),
                )
            )
        bulk_create_with_history(reviews, ProtocolReview, default_change_reason=REASON)
        self.rows += len(reviews)

    # --- Support ----------------------------------------------------------------------------

    def _holidays(self) -> None:
        days = []
        for year in (self.run.day.year - 1, self.run.day.year):
            for month, day, name in HOLIDAYS:
                days.append(Holiday(day=date(year, month, day), name=name))
        bulk_create_with_history(days, Holiday, default_change_reason=REASON)
        self.rows += len(days)

    def _support(self) -> None:
        pairings = list(SponsorPairing.objects.current().select_related("sponsor", "specialist"))
        if not pairings:
            return
        sponsors = sorted({p.sponsor for p in pairings}, key=lambda u: u.username)
        # One sponsor is slow to answer: the measure should show it.
        slow = next((s for s in sponsors if s.username != "sponsor"), sponsors[0])
        requests, replies = [], []
        for pairing in pairings:
            for _ in range(self.rng.randint(3, 6)):
                kind, what = self.rng.choice(SUPPORT)
                asked = self.rng.randint(3, 170)
                lag = self.rng.randint(4, 12) if pairing.sponsor == slow else self.rng.randint(0, 3)
                answered = asked - lag if asked - lag > 0 and self.rng.random() < 0.92 else None
                request = SupportRequest(
                    specialist=pairing.specialist,
                    sponsor=pairing.sponsor,
                    kind=kind,
                    what=what,
                    needed_by=self.run.ago(asked - 14),
                    urgency=self.rng.choice(("routine", "routine", "soon", "urgent")),
                    asked_at=self.at(asked, 9),
                    first_answered_at=self.at(answered, 15) if answered is not None else None,
                    closed_at=self.at(answered - 1, 16)
                    if answered is not None and answered > 2
                    else None,
                )
                requests.append(request)
        holidays = set(Holiday.objects.values_list("day", flat=True))
        for request in requests:
            if request.first_answered_at:
                request.first_response_days = working_days(
                    request.asked_at, request.first_answered_at, holidays
                )
        bulk_create_with_history(requests, SupportRequest, default_change_reason=REASON)
        for request in requests:
            if request.first_answered_at:
                replies.append(
                    SupportReply(
                        request=request,
                        by=request.sponsor,
                        text="Yes: I will raise it with the division head this week.",
                        at=request.first_answered_at,
                    )
                )
        SupportReply.objects.bulk_create(replies)
        self.rows += len(requests) + len(replies)

    def _shared(self) -> None:
        sts = User.objects.filter(username="sts").first()
        team = Team.objects.filter(specialists=sts, level=Level.REGIONAL).first() if sts else None
        if sts is None or team is None:
            return
        SharedWithSmt.objects.bulk_create(
            [
                SharedWithSmt(
                    kind="success",
                    team=team,
                    text="All four Zone districts now meet monthly and pass their updates up.",
                    by=sts,
                    shared_at=self.at(4),
                ),
                SharedWithSmt(
                    kind="challenge",
                    team=team,
                    text="Principals say coaching competes with state testing preparation.",
                    by=sts,
                    shared_at=self.at(2),
                ),
            ]
        )
        self.rows += 2
