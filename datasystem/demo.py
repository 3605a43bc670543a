"""The data system's part of the Lakeland demo.

The four demo instruments (written for the portal, labelled as such) from
`datasystem/instruments/`; two or three completed capacity assessments per team over 18
months, the Transformation Zone improving faster than the rest; one assessment in
progress for the `district` login's team (Cedar Falls), ready for a live session; and
training and coaching across the Zone. A team's assessments, training and coaching are
written only when it has none, so a second load adds nothing.
"""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from simple_history.utils import bulk_create_with_history

from meetings.models import ActionItem, ActionStatus
from teams.demo.lakeland import CHANGE_REASON, DEMO_DISTRICT, SEED, district_team_name
from teams.models import Membership, Team, TeamRole, User
from teams.registry import DemoPart

from . import demo_outcomes
from .importers import parse_instrument
from .models import (
    Administration,
    CoachingSession,
    Instrument,
    ItemScore,
    Kind,
    LiveRound,
    Status,
    TrainingEvent,
)
from .services import instrument_from_definition, total_percent

INSTRUMENTS = Path(__file__).parent / "instruments"
# Days ago of each team's completed capacity assessments, oldest first (18 months).
ROUNDS = (540, 360, 180)
TRAINERS = ("Regional literacy trainers", "Lakeland Reading Institute", "District coach team")
FOCUSES = (
    "planning the phonics block",
    "small-group instruction from screening data",
    "modelling new skills",
    "using the fidelity check with teachers",
    "running the team meeting with data",
)


def load(run) -> int:
    return DemoData(run).load()


def describe() -> list[str]:
    return [
        "Data: 4 demo instruments, 2–3 capacity assessments per team over 18 months (the "
        "Zone improving faster), one in progress for Cedar Falls, fidelity checks in the "
        "Zone's buildings, training and coaching across the Zone.",
        f"Outcomes: {demo_outcomes.describe()}.",
    ]


DEMO_PART = DemoPart("datasystem", load=load, describe=describe, order=60)


class DemoData:
    def __init__(self, run) -> None:
        self.run = run
        self.day = run.day
        self.rng = random.Random(SEED + 17)
        self.written = 0

    def load(self) -> int:
        instruments = self._instruments()
        teams = list(
            Team.objects.filter(is_management_team=False)
            .in_cascade_order()
            .prefetch_related("specialists")
        )
        seats = defaultdict(list)
        for membership in Membership.objects.current().select_related("person").order_by("pk"):
            seats[membership.team_id].append(membership)
        self._assessments(teams, instruments, seats)
        self._fidelity(teams, instruments, seats)
        self._implementation(teams, seats)
        self.written += demo_outcomes.load(self.day)
        return self.written

    def _instruments(self) -> dict[str, Instrument]:
        found = {}
        for path in sorted(INSTRUMENTS.glob("*.yaml")):
            definition = parse_instrument(path.read_text(encoding="utf-8"), filename=path.name)
            instrument, changed = instrument_from_definition(
                definition=definition, by=None, note="Loaded with the Lakeland demo."
            )
            self.written += changed
            found[definition.key] = instrument
        return found

    # Capacity assessments

    def _assessments(self, teams, instruments, seats) -> None:
        by_level = {}
        for instrument in instruments.values():
            if instrument.kind == Kind.CAPACITY:
                for level in instrument.levels:
                    by_level[level] = instrument
        done = set(Administration.objects.values_list("team_id", flat=True).distinct())
        demo_team = Team.objects.filter(name=district_team_name(DEMO_DISTRICT)).first()
        district_login = User.objects.filter(username="district").first()
        sts_login = User.objects.filter(username="sts").first()
        for team in teams:
            instrument = by_level.get(team.level)
            people = [m.person for m in seats.get(team.pk, [])]
            if instrument is None or not people or team.pk in done:
                continue
            lead = next((m.person for m in seats[team.pk] if m.role == TeamRole.LEAD), people[0])
            in_zone = team.in_zone(self.day)
            rounds = ROUNDS if in_zone or self.rng.random() < 0.5 else ROUNDS[1:]
            start = self.rng.uniform(0.25, 0.45)
            growth = self.rng.uniform(0.12, 0.18) if in_zone else self.rng.uniform(0.0, 0.06)
            for n, days in enumerate(rounds):
                level = min(0.95, start + growth * (n + len(ROUNDS) - len(rounds)))
                scores = self._completed(team, instrument, lead, people, days, level)
                self._plans(team, lead, scores, latest=n == len(rounds) - 1)
            if demo_team is not None and team.pk == demo_team.pk and district_login is not None:
                participants = [district_login, *([sts_login] if sts_login else [])]
                participants += [p for p in people if p not in participants][:2]
                self._in_progress(team, instrument, district_login, participants)

    def _completed(self, team, instrument, lead, people, days, level) -> None:
        version = instrument.latest_version()
        held_on = self.run.ago(days + self.rng.randint(0, 20))
        administration = Administration(
            team=team,
            instrument=instrument,
            version=version,
            held_on=held_on,
            facilitator=lead,
            started_by=lead,
            status=Status.COMPLETED,
            completed_on=held_on,
        )
        administration._change_reason = CHANGE_REASON
        administration.save()
        administration.participants.set(people[:6])
        scores = []
        for item in version.items.order_by("number"):
            roll = self.rng.random()
            score = 2 if roll < level * level else (1 if roll < level + 0.3 else 0)
            voters = min(len(people), 6)
            spread = {str(s): 0 for s in item.score_values}
            for _ in range(voters):
                vote = max(0, min(item.max_score, score + self.rng.choice((-1, 0, 0, 0, 1))))
                spread[str(vote)] += 1
            scores.append(
                ItemScore(
                    administration=administration,
                    item=item,
                    score=score,
                    spread=spread,
                    note="" if score else "Not yet in place: the team will plan it.",
                    recorded_by=lead,
                )
            )
        scores = bulk_create_with_history(scores, ItemScore, default_change_reason=CHANGE_REASON)
        administration.total_percent = total_percent(administration)
        administration.save_without_historical_record()
        self.written += 1 + len(scores)
        return scores

    def _plans(self, team, lead, scores, *, latest: bool) -> None:
        """Some low items turned into action items (done by now, when they are from an
        earlier round), and some left without: the "red without a plan" signal."""
        actions = []
        for score in scores:
            if not score.is_low or self.rng.random() < 0.5:
                continue
            held_on = score.administration.held_on
            due_on = held_on + timedelta(days=self.rng.choice((45, 60, 90)))
            done = not latest or self._carried_out(score, due_on, lead)
            done_on = held_on + timedelta(days=50) if not latest else due_on
            actions.append(
                ActionItem(
                    team=team,
                    what=f"Put in place: {score.item.prompt}",
                    owner=lead,
                    due_on=due_on,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    done_on=done_on if done else None,
                    origin_type=ContentType.objects.get_for_model(ItemScore),
                    origin_id=score.pk,
                    created_by=lead,
                )
            )
        bulk_create_with_history(actions, ActionItem, default_change_reason=CHANGE_REASON)
        self.written += len(actions)

    def _carried_out(self, score, due_on, lead) -> bool:
        """A living state: most plans of the latest round whose day has passed were carried
        out. Not those of the demo's logins, whose open plan their pages show (the bench
        gives its logins the same). Decided by the score's own seed, so the demo's other
        random choices stay as they were."""
        from teams.demo import DEMO_USERNAMES

        if due_on >= self.day or lead.username in DEMO_USERNAMES:
            return False
        return (
            random.Random(f"{SEED}:plan:{score.item_id}:{score.administration_id}").random() < 0.7
        )

    def _in_progress(self, team, instrument, facilitator, participants) -> None:
        version = instrument.latest_version()
        administration = Administration(
            team=team,
            instrument=instrument,
            version=version,
            held_on=self.day,
            facilitator=facilitator,
            started_by=facilitator,
        )
        administration._change_reason = CHANGE_REASON
        administration.save()
        administration.participants.set(participants)
        LiveRound.objects.create(administration=administration)
        self.written += 2

    # Fidelity checks: the Zone's buildings, and a few others for comparison

    def _fidelity(self, teams, instruments, seats) -> None:
        fidelity = [i for i in instruments.values() if i.kind == Kind.FIDELITY]
        checked = set(
            Administration.objects.filter(instrument__kind=Kind.FIDELITY)
            .values_list("team_id", flat=True)
            .distinct()
        )
        for instrument in fidelity:
            for team in teams:
                people = [m.person for m in seats.get(team.pk, [])]
                if team.level not in instrument.levels or not people or team.pk in checked:
                    continue
                in_zone = team.in_zone(self.day)
                # A few buildings outside the Zone too, the same ones on every load.
                if not in_zone and zlib.crc32(team.name.encode()) % 7:
                    continue
                lead = next(
                    (m.person for m in seats[team.pk] if m.role == TeamRole.LEAD), people[0]
                )
                start = self.rng.uniform(0.5, 0.62)
                growth = self.rng.uniform(0.06, 0.12) if in_zone else self.rng.uniform(0, 0.04)
                for n, days in enumerate((270, 180, 90)):
                    self._completed(team, instrument, lead, people, days, start + growth * n)

    # Training and coaching across the Transformation Zone

    def _implementation(self, teams, seats) -> None:
        trained = set(TrainingEvent.objects.values_list("team_id", flat=True).distinct())
        events, attendance, sessions = [], [], []
        for team in teams:
            if not team.in_zone(self.day) or team.pk in trained or not seats.get(team.pk):
                continue
            people = [m.person for m in seats[team.pk]]
            specialists = list(team.specialists.all())
            recorder = specialists[0] if specialists else people[0]
            innovation = "structured literacy in grades K-3"
            for n in range(self.rng.randint(2, 3)):
                event = TrainingEvent(
                    team=team,
                    innovation=innovation,
                    held_on=self.run.ago(400 - n * 150 + self.rng.randint(0, 30)),
                    trainer=self.rng.choice(TRAINERS),
                    hours=Decimal(self.rng.choice((3, 6, 6, 12))),
                    covered_essential_functions=n == 0 or self.rng.random() < 0.6,
                    recorded_by=recorder,
                )
                # The last one or two members of a team are often new: not trained yet.
                keep = people[: max(1, len(people) - self.rng.randint(0, 2))]
                events.append(event)
                attendance.append(keep)
            coachee_pool = [*people, None]
            for month in range(12):
                if self.rng.random() < 0.8:
                    sessions.append(
                        CoachingSession(
                            team=team,
                            coach=recorder,
                            coachee=self.rng.choice(coachee_pool),
                            held_on=self.run.ago(month * 30 + self.rng.randint(0, 25)),
                            innovation=innovation,
                            focus=self.rng.choice(FOCUSES),
                            minutes=self.rng.choice((30, 45, 45, 60, 90)),
                            recorded_by=recorder,
                        )
                    )
        if events:
            created = bulk_create_with_history(
                events, TrainingEvent, default_change_reason=CHANGE_REASON
            )
            for event, people in zip(created, attendance, strict=True):
                event.attendees.set(people)
        bulk_create_with_history(sessions, CoachingSession, default_change_reason=CHANGE_REASON)
        self.written += len(events) + len(sessions)
