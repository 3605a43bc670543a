"""The base's part of the benchmark state (`make bench`): Lakeland at the size of the largest
real states.

The SMT, state implementation teams, 20 regions, 1,200 districts and 9,000 buildings; about
30,000 people seated 3 to 7 to a team, each team linked to the one above by a member who
sits on both (rule 3); 60 STSs each supporting a slice of the cascade; the cabinet with
three sponsors across divisions, each STS paired with one of them; a few development
reviews per team and 24 months of updates (about 1.8 per team a month, a tenth for the SMT's
attention), two regions in the Transformation Zone. The demo's eight logins are placed in
it under the demo's names and password: `sts` supports about 150 teams, `district` leads a
district of eight buildings and `building` sits on one of them, so every page of a role is
the same page on the demo and here, only with more around it.

Everything is planned first as plain data from seeded random streams (a few tuples per team
and person), then written with `state.copy` (PostgreSQL COPY) in the build's transaction.
Dates are counted back from the day of the build, as the demo's are. The audit history is
not written for these rows: the bench measures pages, and history is read per record.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.urls import reverse
from django.utils import timezone

from .demo.lakeland import (
    ADAPTIVE_CHALLENGES,
    ADMIN,
    AGENCY_MAIL,
    AGENCY_NAME,
    CABINET,
    DATA_LEAD_ROLES,
    DEMO_BUILDING,
    DEMO_DISTRICT,
    DEMO_PASSWORD,
    DEMO_TEAM_PEOPLE,
    DEMO_USERNAMES,
    DISTRICT_LEADS,
    DIVISION_HEADS,
    DIVISIONS,
    ELEMENTARY_ROLES,
    FIRST_NAMES,
    LAST_NAMES,
    NEXT_STEPS,
    REVIEW_NOTES,
    SCHOOLS_MAIL,
    SECONDARY_ROLES,
    SMT_NAME,
    SPECIALISTS,
    SPONSORS,
    STATE_NAME,
    STS_TITLE,
    SUCCESSES,
    SUMMARIES,
    ZONE_AGE_DAYS,
    building_team_name,
    district_team_name,
    region_team_name,
)
from .models import (
    Agency,
    Cadence,
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
)
from .registry import BenchPart

# --- Names ------------------------------------------------------------------------------------

INNOVATIONS = (
    ("State Literacy Implementation Team", "structured literacy in grades K-3"),
    ("State Mathematics Implementation Team", "explicit, tiered mathematics instruction"),
    ("State Behavior Support Implementation Team", "school-wide positive behavior support"),
    ("State Early Learning Implementation Team", "play-based early learning in pre-K"),
)
REGIONS = (  # noqa: SIM905
    "Northern Central Lakeshore Southern Western Eastern Prairie Highlands Riverlands Pinewood "
    "Bayside Uplands Midlands Frontier Valley Coastal Heartland Ridge Delta Canyon"
).split()
PLACES = (  # noqa: SIM905
    "Cedar Pine Oak Maple Birch Willow Aspen Elm Ash Spruce Hickory Walnut Chestnut Poplar "
    "Alder Juniper Laurel Magnolia Cypress Sycamore Red Silver Stone Granite Clear Green Fair "
    "Rock Sand Lake Bear Eagle Fox Deer Wolf Hawk Crane Otter Beaver Elk"
).split()
FEATURES = (  # noqa: SIM905
    "Falls Ridge Lake Creek Valley Springs Grove Hollow Point Harbor Bluff Prairie Meadow "
    "Crossing Hills Fork Bend Plains Park Glen Haven Field Brook Mills Heights Landing Bay "
    "Shores Rapids Wood"
).split()
DISTRICT_KINDS = ("School District", "Public Schools", "Community Schools")
NAMESAKES = (  # noqa: SIM905
    "Lincoln Roosevelt Jefferson Washington Franklin Madison Hamilton Adams Jackson Kennedy "
    "Douglass Tubman Carver Emerson Whittier Longfellow Hawthorne Twain Edison Keller "
    "Parks Chavez Marshall Truman Wilson Grant Monroe Garfield Hoover Irving"
).split()
SCHOOL_KINDS = (
    ("Elementary", 6),
    ("Middle School", 2),
    ("Junior High", 1),
    ("High School", 2),
)

# How many sit on a team (3 to 7, most teams small, as the handouts describe).
SEAT_COUNTS = (3, 4, 5, 6, 7)
SEAT_WEIGHTS = (35, 35, 15, 10, 5)
# Updates a team logs in a month; the "about 2" with some months quieter.
UPDATES_PER_MONTH = (1, 1, 2, 2, 3)
ZONE_SHARE = 0.1
# Every team formed before the 24 months of updates began: a mature cascade.
FORMED_DAYS_AGO = {Level.STATE: 1_200, Level.REGIONAL: 1_000, Level.DISTRICT: 850}
BUILDING_FORMED_DAYS_AGO = 760
# The cabinet's first four seats are demo logins (CSSO, Deputy, `smt`, `sponsor`); the
# members after them sit on the state teams as their link to the SMT.
CABINET_LOGINS = 4
REVIEWS_WITHIN_DAYS = 456


@dataclass(slots=True)
class PlannedTeam:
    index: int
    name: str
    level: str
    unit_name: str
    code: str
    parent: int | None
    innovation: str
    formed_days_ago: int
    in_zone: bool
    cadence: int = Cadence.MONTHLY
    is_management_team: bool = False
    # Person indexes: the STSs who support the team, and (person, team role) seats.
    specialists: list[int] = field(default_factory=list)
    seats: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlannedPerson:
    username: str
    first_name: str
    last_name: str
    job_title: str
    division: str | None = None


class CascadePlan:
    """The whole of the base's part as plain data; ids are given when it is written."""

    def __init__(self, state: Any) -> None:
        self.scale = state.scale
        self.rng = state.rng("teams:cascade")
        self.people: list[PlannedPerson] = []
        self.by_username: dict[str, int] = {}
        self.teams: list[PlannedTeam] = []
        self._seat_pool: dict[int, list[int]] = {}
        self._named()
        self._cascade()

    # People

    def add(self, person: PlannedPerson) -> int:
        self.by_username[person.username] = len(self.people)
        self.people.append(person)
        return len(self.people) - 1

    def new_person(self, job_title: str, division: str | None = None) -> int:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        # The running number keeps usernames unique whatever the names drawn.
        username = f"{first}.{last}.{len(self.people)}".lower()
        return self.add(PlannedPerson(username, first, last, job_title, division))

    def person(self, username: str) -> int:
        return self.by_username[username]

    def _named(self) -> None:
        for seat in (*CABINET, ADMIN, SPECIALISTS[0], *DEMO_TEAM_PEOPLE):
            self.add(
                PlannedPerson(
                    seat.username, seat.first_name, seat.last_name, seat.job_title, seat.division
                )
            )
        self.specialists = [self.person(SPECIALISTS[0].username)]
        divisions = [seat.division for seat in SPECIALISTS]
        for n in range(1, self.scale.specialists):
            self.specialists.append(self.new_person(STS_TITLE, divisions[n % len(divisions)]))
        self.cabinet = [self.person(seat.username) for seat in CABINET if not seat.ended_days_ago]

    # The cascade

    def _team(self, **kwargs: Any) -> PlannedTeam:
        team = PlannedTeam(index=len(self.teams), **kwargs)
        self.teams.append(team)
        return team

    def _seat(
        self,
        team: PlannedTeam,
        titles: list[tuple[str, str | None]],
        *,
        lead: int | None = None,
        also: tuple[tuple[int, str], ...] = (),
    ) -> None:
        """Seat the team: a lead, a data lead, the linking member from the team above, then
        members or a coach (titles[2:]) up to a size of 3 to 7.

        `titles` are (job title, division) of the people a seat brings in: the lead's, the
        data lead's, then the others'. `lead` and `also` seat people who already exist.
        """
        rng = self.rng
        size = rng.choices(SEAT_COUNTS, SEAT_WEIGHTS)[0]
        if lead is None:
            lead = self.new_person(*titles[0])
        seats = [(lead, TeamRole.LEAD), (self.new_person(*titles[1]), TeamRole.DATA_LEAD)]
        parent_pool = self._seat_pool.get(team.parent, [])
        if parent_pool:
            seats.append((parent_pool[team.index % len(parent_pool)], TeamRole.LINKING))
        elif team.level == Level.STATE:
            # State teams link to the SMT through a cabinet member: the SMT's seats come
            # with the cabinet roles, not with membership rows.
            others = self.cabinet[CABINET_LOGINS:]
            linking = others[team.index % len(others)]
            seats.append((linking, TeamRole.LINKING))
        seats.extend(also)
        while len(seats) < size:
            title, division = rng.choice(titles[2:])
            role = TeamRole.COACH if "Coach" in title else TeamRole.MEMBER
            seats.append((self.new_person(title, division), role))
        team.seats = seats
        # Who links the teams below, as in the demo: the data lead, members and coaches,
        # never the lead (so the `district` login sits on its district alone).
        self._seat_pool[team.index] = [
            p for p, role in seats if role not in (TeamRole.LEAD, TeamRole.LINKING)
        ]

    def _cascade(self) -> None:
        scale, rng = self.scale, self.rng
        smt = self._team(
            name=SMT_NAME,
            level=Level.STATE,
            unit_name=STATE_NAME,
            code="",
            parent=None,
            innovation="implementation science",
            formed_days_ago=1_500,
            in_zone=False,
            is_management_team=True,
        )
        states = []
        for n in range(scale.state_teams):
            name, innovation = INNOVATIONS[n % len(INNOVATIONS)]
            if n >= len(INNOVATIONS):
                name = f"{name} {n // len(INNOVATIONS) + 1}"
            team = self._team(
                name=name,
                level=Level.STATE,
                unit_name=STATE_NAME,
                code=f"LK-S{n + 1:02d}",
                parent=smt.index,
                innovation=innovation,
                formed_days_ago=FORMED_DAYS_AGO[Level.STATE],
                in_zone=False,
            )
            self._seat(
                team,
                [
                    (STS_TITLE, None),
                    ("Education Data Analyst", "assessment"),
                    ("Literacy Program Specialist", "academics"),
                    ("Special Education Program Consultant", "special"),
                    ("Federal Programs Consultant", "federal"),
                ],
                # An STS leads each state team; the first is the `sts` login, as in the demo.
                lead=self.specialists[n % len(self.specialists)],
            )
            states.append(team)

        zone_regions = max(1, round(scale.regions * ZONE_SHARE))
        regions = []
        for n in range(scale.regions):
            parent = states[n * len(states) // scale.regions]
            region = REGIONS[n % len(REGIONS)]
            if n >= len(REGIONS):
                region = f"{region} {n // len(REGIONS) + 1}"
            center = f"{region} Education Service Center"
            team = self._team(
                name=region_team_name(region),
                level=Level.REGIONAL,
                unit_name=f"{region} Region",
                code=f"LK-R{n + 1:03d}",
                parent=parent.index,
                innovation=parent.innovation,
                formed_days_ago=FORMED_DAYS_AGO[Level.REGIONAL] - rng.randint(0, 90),
                in_zone=n < zone_regions,
            )
            self._seat(
                team,
                [
                    (f"Executive Director, {center}", None),
                    (f"Regional Data Specialist, {center}", None),
                    (f"Regional Implementation Coach, {center}", None),
                    (f"Regional Special Education Consultant, {center}", None),
                ],
            )
            regions.append(team)

        district_names = self._district_names(scale.districts)
        buildings = self._buildings_per_district()
        school_number = 0
        for n, district in enumerate(district_names):
            region = regions[n * len(regions) // scale.districts]
            team = self._team(
                name=district_team_name(district),
                level=Level.DISTRICT,
                unit_name=district,
                code=f"LK-D{n + 1:05d}",
                parent=region.index,
                innovation=region.innovation,
                formed_days_ago=FORMED_DAYS_AGO[Level.DISTRICT] - rng.randint(0, 60),
                in_zone=region.in_zone,
            )
            self._seat(
                team,
                [
                    (f"{rng.choice(DISTRICT_LEADS)}, {district}", None),
                    (f"District Assessment Coordinator, {district}", None),
                    (f"Director of Special Education, {district}", None),
                    (f"District Instructional Coach, {district}", None),
                    (f"Title I Coordinator, {district}", None),
                ],
                lead=self.person("district") if n == 0 else None,
            )
            for b in range(buildings[n]):
                school_number += 1
                school = DEMO_BUILDING if n == 0 and b == 0 else self._school_name()
                self._building(team, school, school_number, login=n == 0 and b == 0)
        self._support()

    def _building(self, district: PlannedTeam, school: str, number: int, *, login: bool) -> None:
        rng = self.rng
        team = self._team(
            name=building_team_name(school),
            level=Level.BUILDING,
            unit_name=school,
            code=f"LK-B{number:06d}",
            parent=district.index,
            innovation=district.innovation,
            formed_days_ago=BUILDING_FORMED_DAYS_AGO,
            in_zone=district.in_zone,
            # Buildings early in implementation meet more often (DOMAIN: Meetings).
            cadence=(
                Cadence.FORTNIGHTLY
                if district.in_zone or rng.random() < 0.3
                else rng.choice((Cadence.MONTHLY, Cadence.MONTHLY, Cadence.BIMONTHLY))
            ),
        )
        roles = ELEMENTARY_ROLES if "Elementary" in school else SECONDARY_ROLES
        titles = [
            (f"Principal, {school}", None),
            (f"{rng.choice(DATA_LEAD_ROLES)}, {school}", None),
        ]
        titles += [(f"{title}, {school}", None) for title in roles]
        titles.append((f"Instructional Coach, {school}", None))
        self._seat(
            team, titles, also=((self.person("building"), TeamRole.MEMBER),) if login else ()
        )

    def _district_names(self, count: int) -> list[str]:
        names = [f"{place} {feature}" for place in PLACES for feature in FEATURES]
        # The `district` login's district keeps the demo's name, and only it.
        names.remove(DEMO_DISTRICT.removesuffix(" School District"))
        self.rng.shuffle(names)
        result = [DEMO_DISTRICT]
        for n in range(1, count):
            place = names[n % len(names)]
            kind = DISTRICT_KINDS[n % len(DISTRICT_KINDS)]
            lap = n // len(names)
            result.append(f"{place} {kind}" + (f" {lap + 1}" if lap else ""))
        return result

    def _school_name(self) -> str:
        rng = self.rng
        kind = rng.choices([k for k, _ in SCHOOL_KINDS], [w for _, w in SCHOOL_KINDS])[0]
        namesake = rng.choice(NAMESAKES) if rng.random() < 0.6 else rng.choice(PLACES)
        return f"{namesake} {kind}"

    def _buildings_per_district(self) -> list[int]:
        """Between 2 and 15 buildings a district, adding up to the scale's total; the
        `district` login's district has exactly the scale's number for it."""
        scale, rng = self.scale, self.rng
        mean = scale.buildings / scale.districts
        counts = [max(2, min(15, round(rng.gauss(mean, mean / 3)))) for _ in range(scale.districts)]
        counts[0] = scale.district_login_buildings
        difference = scale.buildings - sum(counts)
        while difference:
            n = rng.randrange(1, scale.districts)
            step = 1 if difference > 0 else -1
            if 2 <= counts[n] + step <= 15:
                counts[n] += step
                difference -= step
        return counts

    def _support(self) -> None:
        """Each STS supports a contiguous slice of districts with their buildings; the `sts`
        login's slice is the first, of about `sts_login_teams` teams. A region is supported
        by the STSs of its districts, a state team by the STS who leads it."""
        scale = self.scale
        districts = [t for t in self.teams if t.level == Level.DISTRICT]
        below: dict[int, list[PlannedTeam]] = {}
        for team in self.teams:
            if team.level == Level.BUILDING:
                below.setdefault(team.parent, []).append(team)
        first_slice, counted = 0, 0
        while counted < scale.sts_login_teams and first_slice < len(districts) - 1:
            counted += 1 + len(below.get(districts[first_slice].index, []))
            first_slice += 1
        others = self.specialists[1:]
        rest = len(districts) - first_slice
        for n, district in enumerate(districts):
            if n < first_slice:
                sts = self.specialists[0]
            else:
                sts = others[(n - first_slice) * len(others) // rest]
            for team in (district, *below.get(district.index, [])):
                team.specialists = [sts]
            region = self.teams[district.parent]
            if sts not in region.specialists:
                region.specialists.append(sts)
        for team in self.teams:
            if team.level == Level.STATE and not team.is_management_team:
                team.specialists = [team.seats[0][0]]


# --- Writing ------------------------------------------------------------------------------------


class CascadeWriter:
    def __init__(self, state: Any) -> None:
        self.state = state
        self.day: date = state.day
        self.plan = CascadePlan(state)
        self.rng = state.rng("teams:history")
        self.person_id = state.ids(User, len(self.plan.people)).start
        self.team_id = state.ids(Team, len(self.plan.teams)).start
        self.division_ids = dict(zip(DIVISIONS, state.ids(Division, len(DIVISIONS)), strict=True))
        self._moments: dict[date, datetime] = {}

    def ago(self, days: int) -> date:
        return self.day - timedelta(days=days)

    def pid(self, username_or_index: str | int) -> int:
        index = (
            self.plan.person(username_or_index)
            if isinstance(username_or_index, str)
            else username_or_index
        )
        return self.person_id + index

    def tid(self, index: int) -> int:
        return self.team_id + index

    def write(self) -> None:
        copy = self.state.copy
        copy(Agency, [{"id": self.state.ids(Agency, 1).start, "name": AGENCY_NAME,
                       "short_name": "LDE", "state_name": STATE_NAME}])  # fmt: skip
        copy(
            Division,
            (
                {
                    "id": self.division_ids[key],
                    "name": name,
                    "short_name": short_name,
                    "head_id": self.pid(DIVISION_HEADS[key]),
                }
                for key, (name, short_name) in DIVISIONS.items()
            ),
        )
        copy(User, self._people())
        copy(RoleAssignment, self._roles())
        copy(SponsorAppointment, self._sponsors())
        copy(SponsorPairing, self._pairings())
        copy(Team, self._teams())
        through = Team.specialists.through
        supports = [(t.index, p) for t in self.plan.teams for p in t.specialists]
        ids = iter(self.state.ids(through, len(supports)))
        copy(
            through,
            (
                {"id": next(ids), "team_id": self.tid(t), "user_id": self.pid(p)}
                for t, p in supports
            ),
        )
        copy(Membership, self._memberships())
        copy(DevelopmentReview, self._reviews())
        copy(TeamUpdate, self._updates())
        # What the copied rows imply for each team, as the services keep it one by one.
        Team.objects.refresh_ancestry()
        Team.objects.refresh_development()
        Team.objects.refresh_activity()

    def _people(self) -> Iterator[dict[str, Any]]:
        # Hashing is deliberately slow: the eight logins share one hash of the demo password.
        password = make_password(DEMO_PASSWORD)
        rng = self.state.rng("teams:passwords")
        alphabet = string.ascii_letters + string.digits
        for index, person in enumerate(self.plan.people):
            login = person.username in DEMO_USERNAMES
            yield {
                "id": self.pid(index),
                "username": person.username,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@{AGENCY_MAIL if person.division else SCHOOLS_MAIL}",
                "job_title": person.job_title,
                "division_id": self.division_ids[person.division] if person.division else None,
                # Team members are records of who sits where; they do not sign in.
                "password": password
                if login
                else UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices(alphabet, k=40)),
                "is_staff": person.username == ADMIN.username,
                "is_superuser": person.username == ADMIN.username,
                "date_joined": self.state.now,
            }

    def _roles(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for seat in (*CABINET, ADMIN):
            yield {
                "person_id": self.pid(seat.username),
                "role": seat.role,
                "started_on": self.ago(seat.days_held),
                "ended_on": self.ago(seat.ended_days_ago) if seat.ended_days_ago else None,
            }
        for n, index in enumerate(self.plan.specialists):
            yield {
                "person_id": self.pid(index),
                "role": Role.STS,
                "started_on": self.ago(
                    SPECIALISTS[0].days_held if n == 0 else rng.randint(400, 900)
                ),
            }

    def _sponsors(self) -> Iterator[dict[str, Any]]:
        for username, days_ago, ended_days_ago in SPONSORS:
            yield {
                "sponsor_id": self.pid(username),
                "appointed_by_id": self.pid("csso"),
                "started_on": self.ago(days_ago),
                "ended_on": self.ago(ended_days_ago) if ended_days_ago else None,
                "ended_by_id": self.pid("csso") if ended_days_ago else None,
                "note": "Appointed by the CSSO at the SMT meeting.",
            }

    def _pairings(self) -> Iterator[dict[str, Any]]:
        """Every STS paired with one of the current sponsors; `sponsor` with `sts`."""
        current = [username for username, _, ended in SPONSORS if not ended]
        current.sort(key=lambda username: username != "sponsor")
        for n, index in enumerate(self.plan.specialists):
            yield {
                "sponsor_id": self.pid(current[n % len(current)]),
                "specialist_id": self.pid(index),
                "started_on": self.ago(290 if n == 0 else 200 + n % 300),
            }
        # The seat Paul Okafor took over, so the pairings have a past as in the demo.
        yield {
            "sponsor_id": self.pid("thomas.reed"),
            "specialist_id": self.pid("sts"),
            "started_on": self.ago(650),
            "ended_on": self.ago(300),
        }

    def _teams(self) -> Iterator[dict[str, Any]]:
        zone_entered_on = self.ago(ZONE_AGE_DAYS)
        for team in self.plan.teams:
            yield {
                "id": self.tid(team.index),
                "name": team.name,
                "level": team.level,
                "is_management_team": team.is_management_team,
                "parent_id": None if team.parent is None else self.tid(team.parent),
                "unit_name": team.unit_name,
                "code": team.code,
                "purpose": f"Makes {team.innovation} work in {team.unit_name}.",
                "cadence": team.cadence,
                "zone_entered_on": zone_entered_on if team.in_zone else None,
            }

    def _memberships(self) -> Iterator[dict[str, Any]]:
        for team in self.plan.teams:
            for n, (person, role) in enumerate(team.seats):
                yield {
                    "team_id": self.tid(team.index),
                    "person_id": self.pid(person),
                    "role": role,
                    # Later seats joined a little after the team formed.
                    "started_on": self.ago(team.formed_days_ago - 7 * n),
                }

    def _recorder(self, team: PlannedTeam) -> int:
        if team.specialists:
            return self.pid(team.specialists[0])
        return self.pid("deputy")

    def _reviews(self) -> Iterator[dict[str, Any]]:
        """Quarterly reviews within the last fifteen months, the marks rising as teams grow."""
        rng = self.rng
        for team in self.plan.teams:
            final = 4 if team.level == Level.STATE or team.in_zone else rng.randint(1, 4)
            count = rng.randint(2, 5)
            for n in range(count):
                days_ago = REVIEWS_WITHIN_DAYS - 91 * (5 - count + n) - rng.randint(0, 10)
                score = max(1, round(final * (n + 1) / count))
                reviewed_on = self.ago(max(days_ago, 1))
                yield {
                    "team_id": self.tid(team.index),
                    "reviewed_on": reviewed_on,
                    "formed": score >= 1,
                    "members_trained": score >= 2,
                    "meets_on_cadence": score >= 3,
                    "linked": score >= 4,
                    "note": REVIEW_NOTES[score].format(
                        innovation=team.innovation, parent="the team above"
                    ),
                    "recorded_by_id": self._recorder(team),
                    "recorded_at": self._moment(reviewed_on),
                }

    def _updates(self) -> Iterator[dict[str, Any]]:
        """Month by month, oldest first, every team in turn: the order they would have been
        written in, so the table's physical order follows time as a real one's does."""
        rng = self.rng
        teams = [t for t in self.plan.teams if not t.is_management_team]
        for month in range(self.state.scale.months_of_updates - 1, -1, -1):
            for team in teams:
                leaders = [
                    p for p, role in team.seats if role in (TeamRole.LEAD, TeamRole.DATA_LEAD)
                ]
                for _ in range(rng.choice(UPDATES_PER_MONTH)):
                    occurred_on = self.ago(month * 30 + rng.randint(0, 29))
                    author = (
                        team.specialists[0]
                        if team.specialists and rng.random() < 0.55
                        else rng.choice(leaders)
                    )
                    flagged = rng.random() < 0.1
                    words = {
                        "team": f"the {team.unit_name} team",
                        "unit": team.unit_name,
                        "innovation": team.innovation,
                        "parent": "the team above",
                        "n": rng.randint(2, 8),
                        "m": rng.randint(1, 3),
                        "pct": rng.randint(52, 81),
                    }
                    challenges = (
                        rng.sample(ADAPTIVE_CHALLENGES, rng.randint(1, 2))
                        if flagged or rng.random() < 0.6
                        else []
                    )
                    summary = rng.choice(SUMMARIES[team.level]).format(**words)
                    yield {
                        "team_id": self.tid(team.index),
                        "author_id": self.pid(author),
                        "occurred_on": occurred_on,
                        "summary": summary[:1].upper() + summary[1:],
                        "successes": " ".join(rng.sample(SUCCESSES, rng.randint(1, 2))).format(
                            **words
                        ),
                        "adaptive_challenges": " ".join(challenges).format(**words),
                        "next_steps": "\n".join(rng.sample(NEXT_STEPS, rng.randint(1, 3))).format(
                            **words
                        ),
                        "for_smt_attention": flagged,
                        "created_at": self._moment(occurred_on),
                    }

    def _moment(self, day: date) -> datetime:
        """The afternoon of `day`, when its record was written (kept: at most 730 days)."""
        if day not in self._moments:
            self._moments[day] = timezone.make_aware(datetime.combine(day, time(16)))
        return self._moments[day]


def build(state: Any) -> None:
    CascadeWriter(state).write()


# --- The pages measured -------------------------------------------------------------------------


def smt_page(state: Any) -> str:
    return reverse("teams:team", args=[Team.objects.get(is_management_team=True).pk])


def district_page(state: Any) -> str:
    """The team page of the district the `district` login leads, in whichever state."""
    seat = (
        Membership.objects.current()
        .filter(person__username="district", role=TeamRole.LEAD, team__level=Level.DISTRICT)
        .order_by("team_id")
        .first()
    )
    if seat is None:
        raise LookupError("The district login leads no district team in this state.")
    return reverse("teams:team", args=[seat.team_id])


# (label, path): the base's main pages, for every demo role that may open them.
MAIN_PAGES = (
    ("/", "/"),
    ("/teams/", "/teams/"),
    ("/teams/<SMT>/", smt_page),
    ("/teams/<district>/", district_page),
    ("/teams/updates/", "/teams/updates/"),
    ("/people/", "/people/"),
    ("/sponsors/", "/sponsors/"),
    ("/initiatives/", "/initiatives/"),
    ("/data/", "/data/"),
)


def pages(state: Any) -> list[tuple[str, str, Any]]:
    rows = [(label, role, path) for label, path in MAIN_PAGES for role in DEMO_USERNAMES]
    rows.append(("/settings/", "admin", "/settings/"))
    return rows


BENCH_PART = BenchPart("cascade", build=build, pages=pages, order=10, version=3)
