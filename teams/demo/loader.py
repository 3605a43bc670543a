"""Writing the plan to the database: found by natural keys, so a second load adds nothing."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history

from ..models import (
    Agency,
    Dated,
    DevelopmentReview,
    Division,
    Level,
    Membership,
    Role,
    RoleAssignment,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamRole,
    TeamUpdate,
    User,
    today,
)
from ..registry import DemoPart, portal
from .lakeland import (
    ADAPTIVE_CHALLENGES,
    ADMIN,
    AGENCY_MAIL,
    AGENCY_NAME,
    CABINET,
    CHANGE_REASON,
    DEMO_BUILDING,
    DEMO_DISTRICT,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    DIVISION_HEADS,
    DIVISIONS,
    LOGIN_URL,
    NEXT_STEPS,
    PAIRINGS,
    REVIEW_NOTES,
    REVIEW_WINDOW_DAYS,
    SCHOOLS_MAIL,
    SEED,
    SMT_NAME,
    SPECIALISTS,
    SPONSORS,
    STATE_NAME,
    SUCCESSES,
    SUMMARIES,
    UPDATE_WINDOW_DAYS,
    ZONE_AGE_DAYS,
    DemoLogin,
    building_team_name,
    district_team_name,
)
from .plan import Plan, TeamPlan
from .run import DemoRun


@dataclass(frozen=True)
class DemoSummary:
    """What the database holds after a load, and how many rows this load wrote."""

    state_name: str
    divisions: int
    cabinet: int
    sponsors: int
    specialists: int
    teams_by_level: dict[str, int]
    zone_teams_by_level: dict[str, int]
    people: int
    memberships: int
    development_reviews: int
    updates: int
    updates_for_smt_attention: int
    rows_written: int
    parts: tuple[str, ...] = ()
    logins: tuple[DemoLogin, ...] = DEMO_LOGINS
    login_url: str = LOGIN_URL

    @property
    def already_loaded(self) -> bool:
        return self.rows_written == 0


def load_demo() -> DemoSummary:
    """Build (or complete) the Lakeland demo, every app's part of it, in one transaction."""
    with transaction.atomic():
        run = DemoRun(day=today())
        written = 0
        for part in portal.demo_parts:
            written += part.load(run)
        lines = [line for part in portal.demo_parts for line in part.describe()]
        summary = _summary(rows_written=written + run.rows_written, parts=lines)
    # Bulk writes bypass the services that keep the cache in step: start it afresh (the
    # sessions it holds are in the database too, so nobody is signed out).
    cache.clear()
    return summary


def load_cascade(run: DemoRun) -> int:
    """The base's part: the agency, its people and roles, sponsors and the cascade."""
    loader = DemoLoader(run)
    loader.load()
    return loader.rows_written


DEMO_PART = DemoPart("cascade", load=load_cascade, order=10)


# --- Writing the plan ------------------------------------------------------------------------


class DemoLoader:
    def __init__(self, run: DemoRun) -> None:
        self.run = run
        self.day = run.day
        self.plan = Plan()
        # The history texts draw from their own stream, so the plan above stays the same
        # whatever the texts consume.
        self.rng = random.Random(SEED + 1)
        self.rows_written = 0
        self.divisions: dict[str, Division] = {}
        self.people: dict[str, User] = {}
        self.teams: dict[str, Team] = {}

    def ago(self, days: int) -> date:
        return self.day - timedelta(days=days)

    def load(self) -> None:
        self._agency()
        self._divisions()
        self._people()
        self._division_heads()
        self._roles()
        self._sponsors()
        self._pairings()
        self._teams()
        self._memberships()
        self._reassert_demo_logins()
        self._development_reviews()
        self._updates()
        # What the bulk writes above imply for each team (its latest review, its activity).
        Team.objects.refresh_development()
        Team.objects.refresh_activity()

    def _bulk_create(self, model: type[models.Model], objs: list[models.Model]) -> None:
        """Bulk insert with history rows, so the audit trail shows where the demo came from."""
        if objs:
            bulk_create_with_history(
                objs, model, batch_size=500, default_change_reason=CHANGE_REASON
            )
            self.rows_written += len(objs)

    def _save(self, obj: models.Model) -> None:
        obj._change_reason = CHANGE_REASON
        obj.save()
        self.rows_written += 1

    # Organisation

    def _agency(self) -> None:
        # An installation that already has its agency keeps it; the demo only fills a gap.
        _, created = Agency.objects.get_or_create(
            singleton=True,
            defaults={"name": AGENCY_NAME, "short_name": "LDE", "state_name": STATE_NAME},
        )
        self.rows_written += created

    def _divisions(self) -> None:
        keys = {f"division:{key}": key for key in DIVISIONS}
        found = self.run.find(Division, list(keys))
        for demo_key, key in keys.items():
            name, short_name = DIVISIONS[key]
            division = found.get(demo_key)
            if division is None:
                # A division of that name made by hand is the demo's, not a second one.
                division, created = Division.objects.get_or_create(
                    name__iexact=name, defaults={"name": name, "short_name": short_name}
                )
                self.rows_written += created
            self.divisions[key] = division
        self.run.remember({f"division:{key}": d for key, d in self.divisions.items()})

    def _people(self) -> None:
        planned = self.plan.people
        found = self.run.find(User, [f"person:{username}" for username in planned])
        by_key = {key.removeprefix("person:"): person for key, person in found.items()}
        # People the keys do not know, under their planned usernames (whatever the case).
        unkeyed = {u.lower(): u for u in planned if u not in by_key}
        for person in User.objects.annotate(lowered=Lower("username")).filter(
            lowered__in=list(unkeyed)
        ):
            by_key[unkeyed[person.lowered]] = person
        existing = set(by_key)
        # Hashing is deliberately slow; the eight logins share one hash of one password.
        password = make_password(DEMO_PASSWORD)
        new = []
        for person in planned.values():
            if person.username in existing:
                continue
            user = User(
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{person.username}@{AGENCY_MAIL if person.division else SCHOOLS_MAIL}",
                job_title=person.job_title,
                division=self.divisions[person.division] if person.division else None,
                is_staff=person.username == ADMIN.username,
                is_superuser=person.username == ADMIN.username,
            )
            if person.username in DEMO_USERNAMES:
                user.password = password
            else:
                # Team members are records of who sits where; they do not sign in.
                user.set_unusable_password()
            new.append(user)
        self._bulk_create(User, new)
        for person in User.objects.filter(username__in=[u.username for u in new]):
            by_key[person.username] = person
        self.people = by_key
        self.run.remember({f"person:{username}": p for username, p in by_key.items()})
        # Re-asserted on every load, without a history row: the audit trail leaves
        # passwords out, and the demo must always open with `smt-demo`.
        User.objects.filter(pk__in=[by_key[u].pk for u in DEMO_USERNAMES]).update(password=password)

    def _division_heads(self) -> None:
        for key, username in DIVISION_HEADS.items():
            division = self.divisions[key]
            if division.head_id is None:
                division.head = self.people[username]
                division._change_reason = CHANGE_REASON
                division.save(update_fields=["head"])

    def _roles(self) -> None:
        people = [self.people[seat.username] for seat in (*CABINET, *SPECIALISTS, ADMIN)]
        held = set(
            RoleAssignment.objects.filter(person__in=people).values_list("person_id", "role")
        )
        new = []
        for seat in (*CABINET, *SPECIALISTS, ADMIN):
            person = self.people[seat.username]
            if (person.pk, seat.role) in held:
                continue
            new.append(
                RoleAssignment(
                    person=person,
                    role=seat.role,
                    started_on=self.ago(seat.days_held),
                    ended_on=self.ago(seat.ended_days_ago) if seat.ended_days_ago else None,
                )
            )
        self._bulk_create(RoleAssignment, new)

    def _sponsors(self) -> None:
        csso = self.people["csso"]
        appointed = set(SponsorAppointment.objects.values_list("sponsor_id", flat=True))
        for username, days_ago, ended_days_ago in SPONSORS:
            if self.people[username].pk in appointed:
                continue
            appointment = SponsorAppointment(
                sponsor=self.people[username],
                appointed_by=csso,
                started_on=self.ago(days_ago),
                ended_on=self.ago(ended_days_ago) if ended_days_ago else None,
                ended_by=csso if ended_days_ago else None,
                note="Appointed by the CSSO at the SMT meeting.",
            )
            appointment.full_clean()
            self._save(appointment)

    def _pairings(self) -> None:
        paired = set(SponsorPairing.objects.values_list("sponsor_id", "specialist_id"))
        for sponsor, specialist, days_ago, ended_days_ago in PAIRINGS:
            if (self.people[sponsor].pk, self.people[specialist].pk) in paired:
                continue
            pairing = SponsorPairing(
                sponsor=self.people[sponsor],
                specialist=self.people[specialist],
                started_on=self.ago(days_ago),
                ended_on=self.ago(ended_days_ago) if ended_days_ago else None,
            )
            pairing.full_clean()
            self._save(pairing)

    # The cascade

    def _teams(self) -> None:
        planned = self.plan.teams
        found = self.run.find(Team, [f"team:{p.name}" for p in planned])
        existing = {key.removeprefix("team:"): team for key, team in found.items()}
        # Teams the keys do not know: by their state code, which a rename leaves alone.
        codes = {p.code: p.name for p in planned if p.name not in existing and p.code}
        for team in Team.objects.filter(code__in=codes):
            existing[codes[team.code]] = team
        smt = Team.objects.filter(is_management_team=True).first()
        if smt is not None:
            existing[SMT_NAME] = smt
        zone_entered_on = self.ago(ZONE_AGE_DAYS)
        # Parents come before their children in the plan, so each parent has its key.
        for plan in planned:
            team = existing.get(plan.name)
            if team is None:
                team = Team(
                    name=plan.name,
                    code=plan.code,
                    level=plan.level,
                    is_management_team=plan.is_management_team,
                    parent=self.teams[plan.parent.name] if plan.parent else None,
                    unit_name=plan.unit_name,
                    purpose=plan.purpose,
                    cadence=plan.cadence,
                    zone_entered_on=zone_entered_on if plan.in_zone else None,
                )
                # Rule 2 is checked here; the constraints are the database's to enforce,
                # and a per-team uniqueness query would triple the time of this step.
                team.clean()
                self._save(team)
                team.specialists.set([self.people[u] for u in plan.specialists])
            self.teams[plan.name] = team
        self.run.remember({f"team:{name}": team for name, team in self.teams.items()})

    def _memberships(self) -> None:
        teams = list(self.teams.values())
        seated = set(Membership.objects.filter(team__in=teams).values_list("team_id", "person_id"))
        new = []
        for plan in self.plan.teams:
            team = self.teams[plan.name]
            for index, (username, role) in enumerate(plan.seats):
                person = self.people[username]
                if (team.pk, person.pk) in seated:
                    continue
                seated.add((team.pk, person.pk))
                # Later seats joined a little after the team formed; never before the
                # parent's seat of a linking member, since the parent formed earlier.
                joined = max(plan.formed_days_ago - index * 7, 30)
                new.append(
                    Membership(team=team, person=person, role=role, started_on=self.ago(joined))
                )
        self._bulk_create(Membership, new)

    def _reassert_demo_logins(self) -> None:
        """Give back what a demo login lost since the last load, from today."""
        for seat in (*CABINET, *SPECIALISTS, ADMIN):
            person = self.people[seat.username]
            if seat.role == Role.CSSO and _someone_else_is_csso(person):
                continue  # the agency has one CSSO; a successor named in the portal stays
            if seat.username in DEMO_USERNAMES:
                self._hold_from_today(
                    RoleAssignment, person=self.people[seat.username], role=seat.role
                )
        admin = self.people[ADMIN.username]
        if not (admin.is_active and admin.is_staff and admin.is_superuser):
            admin.is_active = admin.is_staff = admin.is_superuser = True
            admin._change_reason = CHANGE_REASON
            admin.save(update_fields=["is_active", "is_staff", "is_superuser"])
            self.rows_written += 1
        sponsor, specialist = self.people["sponsor"], self.people["sts"]
        self._hold_from_today(
            SponsorAppointment, sponsor=sponsor, extra={"appointed_by": self.people["csso"]}
        )
        self._hold_from_today(SponsorPairing, sponsor=sponsor, specialist=specialist)
        for username, team_name, role in (
            ("district", district_team_name(DEMO_DISTRICT), TeamRole.LEAD),
            ("building", building_team_name(DEMO_BUILDING), TeamRole.MEMBER),
        ):
            self._hold_from_today(
                Membership,
                team=self.teams[team_name],
                person=self.people[username],
                extra={"role": role},
            )

    def _hold_from_today(
        self, model: type[Dated], *, extra: dict | None = None, **holding: object
    ) -> None:
        """Make `holding` current today: start a pending record now, or open a new one."""
        if model.objects.current(self.day).filter(**holding).exists():
            return
        # At most one open record per holding (the models' constraints); if one exists
        # it has not started yet, so it starts today instead.
        record = model.objects.filter(ended_on__isnull=True, **holding).first()
        if record is None:
            record = model(**holding, **(extra or {}))
        record.started_on = self.day
        self._save(record)

    # History

    def _untouched(self, model: type[models.Model]) -> set[int]:
        """Teams with no rows of this history yet: a later load never stacks a second one."""
        with_history = set(
            model.objects.filter(team__in=self.teams.values()).values_list("team_id", flat=True)
        )
        return {t.pk for t in self.teams.values()} - with_history

    def _development_reviews(self) -> None:
        untouched = self._untouched(DevelopmentReview)
        rng = self.rng
        new = []
        for plan in self.plan.teams:
            team = self.teams[plan.name]
            reviews = self._plan_reviews(plan, rng)
            if team.pk not in untouched:
                continue
            recorder = self.people[plan.specialists[0] if plan.specialists else "deputy"]
            for reviewed_on, score, note in reviews:
                new.append(
                    DevelopmentReview(
                        team=team,
                        reviewed_on=reviewed_on,
                        formed=score >= 1,
                        members_trained=score >= 2,
                        meets_on_cadence=score >= 3,
                        linked=score >= 4,
                        note=note,
                        recorded_by=recorder,
                    )
                )
        self._bulk_create(DevelopmentReview, new)

    def _plan_reviews(self, plan: TeamPlan, rng: random.Random) -> list[tuple[date, int, str]]:
        """Quarterly reviews since the team formed (at most five, within fifteen months).

        Zone teams were built first, so they are further along (DOMAIN: Transformation Zone).
        """
        if plan.is_management_team or plan.level == Level.STATE:
            final = 4
        elif plan.in_zone:
            final = 4 if rng.random() < 0.75 else 3
        else:
            final = {Level.REGIONAL: (2, 4), Level.DISTRICT: (1, 3), Level.BUILDING: (1, 2)}[
                plan.level
            ]
            final = rng.randint(*final)
        start = min(plan.formed_days_ago - 30, REVIEW_WINDOW_DAYS - 46)
        days = list(range(start, 20, -91))[-5:]
        reviews = []
        for index, days_ago in enumerate(days):
            score = round(final * (index + 1) / len(days))
            if plan.in_zone:
                # Formation comes first in the zone: every review shows the team formed.
                score = max(score, 1)
            reviewed_on = self.ago(max(days_ago - rng.randint(0, 10), 1))
            note = REVIEW_NOTES[score].format(innovation=plan.innovation, parent=plan.parent_phrase)
            reviews.append((reviewed_on, score, note))
        return reviews

    def _updates(self) -> None:
        untouched = self._untouched(TeamUpdate)
        rng = self.rng
        new = []
        for plan in self.plan.teams:
            if plan.is_management_team:
                continue  # the SMT records its work in meetings, not team updates
            team = self.teams[plan.name]
            updates = list(self._plan_updates(plan, team, rng))
            if team.pk in untouched:
                new.extend(updates)
        self._bulk_create(TeamUpdate, new)

    def _plan_updates(self, plan: TeamPlan, team: Team, rng: random.Random) -> Iterable[TeamUpdate]:
        window = min(UPDATE_WINDOW_DAYS, plan.formed_days_ago - 7)
        if plan.in_zone or plan.level == Level.STATE:
            # Roughly monthly: one update in each of the last six months.
            days = [month * 30 + rng.randint(2, 24) for month in range(6)]
        else:
            days = rng.sample(range(3, window), rng.randint(2, 5))
        # The demo logins' own teams have news from this week on their home pages.
        logins_team = {
            building_team_name(DEMO_BUILDING): "building",
            district_team_name(DEMO_DISTRICT): "district",
        }.get(plan.name)
        if logins_team:
            days[0] = rng.randint(1, 5)
        days = sorted(d for d in days if d < window)
        sts = plan.specialists[0]
        leaders = plan.holders(TeamRole.LEAD, TeamRole.DATA_LEAD)
        for index, days_ago in enumerate(days):
            author = sts if rng.random() < 0.55 else rng.choice(leaders)
            if logins_team and index == 0:
                author = logins_team
            flagged = rng.random() < 0.1
            words = {
                "team": plan.team_phrase,
                "unit": plan.unit_name,
                "innovation": plan.innovation,
                "parent": plan.parent_phrase,
                "n": rng.randint(2, 8),
                "m": rng.randint(1, 3),
                "pct": rng.randint(52, 81),
            }
            challenges = (
                rng.sample(ADAPTIVE_CHALLENGES, rng.randint(1, 2))
                if flagged or rng.random() < 0.6
                else []
            )
            yield TeamUpdate(
                team=team,
                author=self.people[author],
                occurred_on=self.ago(days_ago),
                summary=_sentence(rng.choice(SUMMARIES[plan.level]).format(**words)),
                successes=" ".join(rng.sample(SUCCESSES, rng.randint(1, 2))).format(**words),
                adaptive_challenges=" ".join(challenges).format(**words),
                next_steps="\n".join(rng.sample(NEXT_STEPS, rng.randint(1, 3))).format(**words),
                for_smt_attention=flagged,
            )


def _someone_else_is_csso(person: User) -> bool:
    return (
        RoleAssignment.objects.filter(role=Role.CSSO, ended_on__isnull=True)
        .exclude(person=person)
        .exists()
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _summary(*, rows_written: int, parts: list[str]) -> DemoSummary:
    day = today()
    by_level = dict(
        Team.objects.values_list("level").annotate(n=models.Count("pk")).order_by("level")
    )
    zone = dict(
        Team.objects.in_zone(day)
        .values_list("level")
        .annotate(n=models.Count("pk"))
        .order_by("level")
    )
    agency = Agency.current()
    return DemoSummary(
        state_name=agency.state_name,
        divisions=Division.objects.active().count(),
        cabinet=User.objects.smt_members(day).count(),
        sponsors=User.objects.sponsors(day).count(),
        specialists=User.objects.specialists(day).count(),
        teams_by_level={level: by_level.get(level, 0) for level in Level.values},
        zone_teams_by_level={level: zone.get(level, 0) for level in Level.values},
        people=User.objects.count(),
        memberships=Membership.objects.current(day).count(),
        development_reviews=DevelopmentReview.objects.count(),
        updates=TeamUpdate.objects.count(),
        updates_for_smt_attention=TeamUpdate.objects.for_smt_attention().count(),
        rows_written=rows_written,
        parts=tuple(parts),
    )
