"""The whole demo planned as plain data from the seed alone, before anything is written."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from ..models import (
    Cadence,
    Level,
    TeamRole,
)
from .lakeland import (
    ADMIN,
    BRANCHES,
    CABINET,
    DATA_LEAD_ROLES,
    DEMO_BUILDING,
    DEMO_DISTRICT,
    DEMO_TEAM_PEOPLE,
    DISTRICT_LEADS,
    DISTRICTS,
    ELEMENTARY_ROLES,
    FIRST_NAMES,
    LAST_NAMES,
    REGION_SPECIALISTS,
    SECONDARY_ROLES,
    SEED,
    SMT_NAME,
    SPECIALISTS,
    STATE_NAME,
    ZONE_REGION,
    building_team_name,
    district_team_name,
    region_team_name,
)

# --- The plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    username: str
    first_name: str
    last_name: str
    job_title: str
    division: str | None = None


@dataclass
class TeamPlan:
    name: str
    level: str
    unit_name: str
    innovation: str
    parent: TeamPlan | None
    formed_days_ago: int
    in_zone: bool = False
    is_management_team: bool = False
    cadence: int = Cadence.MONTHLY
    specialists: list[str] = field(default_factory=list)
    # (username, team role) in the order the seats were planned.
    seats: list[tuple[str, str]] = field(default_factory=list)
    # The state's code for the unit: stable whatever the team is renamed to.
    code: str = ""

    def holders(self, *roles: str) -> list[str]:
        return [username for username, role in self.seats if role in roles]

    @property
    def team_phrase(self) -> str:
        if self.level == Level.STATE:
            return "the state team"
        return f"the {self.unit_name} team"

    @property
    def parent_phrase(self) -> str:
        parent = self.parent
        if parent is None:
            return "the SMT"
        if parent.is_management_team:
            return "the State Management Team"
        if parent.level == Level.STATE:
            return f"the {parent.name}"
        return f"the {parent.unit_name} team"

    @property
    def purpose(self) -> str:
        if self.is_management_team:
            return (
                "The cabinet: sets direction, selects innovations, removes the barriers the "
                "cascade cannot solve, and sponsors the Transformation Zone."
            )
        return {
            Level.STATE: "Builds the regions' capacity to support {innovation}: training, "
            "coaching, data and guidance; carries practice to the SMT.",
            Level.REGIONAL: "Supports the {unit}'s districts to use {innovation} well, and "
            "links them to the state team.",
            Level.DISTRICT: "Leads {innovation} across {unit}: supports the building teams, "
            "aligns resources, and solves the problems buildings raise.",
            Level.BUILDING: "Makes {innovation} work in the classrooms of {unit}: reviews "
            "data, plans coaching, and solves problems at the school.",
        }[self.level].format(innovation=self.innovation, unit=self.unit_name)


class Plan:
    """The whole demo as plain data, decided by the seed alone and never by the database."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.people: dict[str, PersonPlan] = {}
        self.teams: list[TeamPlan] = []
        self._names: set[tuple[str, str]] = set()
        for seat in (*CABINET, *SPECIALISTS, ADMIN, *DEMO_TEAM_PEOPLE):
            self._add(
                PersonPlan(
                    seat.username, seat.first_name, seat.last_name, seat.job_title, seat.division
                )
            )
        self._plan_cascade()
        counters: dict[str, int] = {}
        for team in self.teams:
            if team.is_management_team:
                # The SMT stands for the state in the data system: state-wide outcome
                # values are imported under its code.
                team.code = "LK-STATE"
                continue
            counters[team.level] = counters.get(team.level, 0) + 1
            team.code = f"LK-{team.level[0].upper()}{counters[team.level]:03d}"

    def _add(self, person: PersonPlan) -> str:
        self.people[person.username] = person
        self._names.add((person.first_name, person.last_name))
        return person.username

    def new_person(self, job_title: str, division: str | None = None) -> str:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if (first, last) not in self._names:
                break
        username = re.sub(r"[^a-z.-]", "", f"{first}.{last}".lower())
        return self._add(PersonPlan(username, first, last, job_title, division))

    def _plan_cascade(self) -> None:
        rng = self.rng
        smt = TeamPlan(
            SMT_NAME,
            Level.STATE,
            STATE_NAME,
            "implementation science",
            parent=None,
            formed_days_ago=1400,
            is_management_team=True,
        )
        self.teams.append(smt)
        for branch in BRANCHES:
            state = TeamPlan(
                branch.name,
                Level.STATE,
                STATE_NAME,
                branch.innovation,
                parent=smt,
                formed_days_ago=760,
                specialists=[branch.specialist],
            )
            state.seats = [
                (branch.lead, TeamRole.LEAD),
                (self.new_person("Education Data Analyst", "assessment"), TeamRole.DATA_LEAD),
                (branch.linking, TeamRole.LINKING),
                (self.new_person(branch.subject_specialist, "academics"), TeamRole.MEMBER),
                (
                    self.new_person("Special Education Program Consultant", "special"),
                    TeamRole.MEMBER,
                ),
            ]
            self.teams.append(state)
            # Each region's linking member is someone who already sits on the state team.
            region_links = state.holders(TeamRole.MEMBER, TeamRole.DATA_LEAD)
            for index, region in enumerate(branch.regions):
                self._plan_region(state, region, region_links[index % len(region_links)], rng)

    def _plan_region(self, state: TeamPlan, region: str, linking: str, rng: random.Random) -> None:
        in_zone = region == ZONE_REGION
        center = f"{region} Education Service Center"
        team = TeamPlan(
            region_team_name(region),
            Level.REGIONAL,
            f"{region} Region",
            state.innovation,
            parent=state,
            formed_days_ago=520 if in_zone else rng.randint(300, 400),
            in_zone=in_zone,
            specialists=[REGION_SPECIALISTS[region]],
        )
        team.seats = [
            (self.new_person(f"Executive Director, {center}"), TeamRole.LEAD),
            (self.new_person(f"Regional Data Specialist, {center}"), TeamRole.DATA_LEAD),
            (self.new_person(f"Regional Implementation Coach, {center}"), TeamRole.COACH),
            (linking, TeamRole.LINKING),
        ]
        if rng.random() < 0.5:
            team.seats.append(
                (
                    self.new_person(f"Regional Special Education Consultant, {center}"),
                    TeamRole.MEMBER,
                )
            )
        self.teams.append(team)
        district_links = team.holders(TeamRole.COACH, TeamRole.MEMBER, TeamRole.DATA_LEAD)
        for index, (district, schools) in enumerate(DISTRICTS[region].items()):
            self._plan_district(
                team, district, schools, district_links[index % len(district_links)], rng
            )

    def _plan_district(
        self,
        region: TeamPlan,
        district: str,
        schools: tuple[str, ...],
        linking: str,
        rng: random.Random,
    ) -> None:
        in_zone = region.in_zone
        team = TeamPlan(
            district_team_name(district),
            Level.DISTRICT,
            district,
            region.innovation,
            parent=region,
            formed_days_ago=480
            if in_zone
            else rng.randint(200, min(330, region.formed_days_ago - 40)),
            in_zone=in_zone,
            specialists=list(region.specialists),
        )
        lead = (
            "district"
            if district == DEMO_DISTRICT
            else self.new_person(f"{rng.choice(DISTRICT_LEADS)}, {district}")
        )
        team.seats = [
            (lead, TeamRole.LEAD),
            (self.new_person(f"District Assessment Coordinator, {district}"), TeamRole.DATA_LEAD),
            (linking, TeamRole.LINKING),
            (self.new_person(f"Director of Special Education, {district}"), TeamRole.MEMBER),
        ]
        if in_zone or rng.random() < 0.6:
            team.seats.append(
                (self.new_person(f"District Instructional Coach, {district}"), TeamRole.COACH)
            )
        if rng.random() < 0.3:
            team.seats.append(
                (self.new_person(f"Title I Coordinator, {district}"), TeamRole.MEMBER)
            )
        self.teams.append(team)
        # The district's coach or members sit on the building teams to link them up.
        building_links = team.holders(TeamRole.COACH, TeamRole.MEMBER, TeamRole.DATA_LEAD)
        for index, school in enumerate(schools):
            self._plan_building(team, school, building_links[index % len(building_links)], rng)

    def _plan_building(
        self, district: TeamPlan, school: str, linking: str, rng: random.Random
    ) -> None:
        in_zone = district.in_zone
        team = TeamPlan(
            building_team_name(school),
            Level.BUILDING,
            school,
            district.innovation,
            parent=district,
            formed_days_ago=(
                440 if in_zone else rng.randint(150, min(250, district.formed_days_ago - 40))
            ),
            in_zone=in_zone,
            # Buildings early in implementation meet more often (DOMAIN: Meetings).
            cadence=(
                Cadence.FORTNIGHTLY
                if in_zone or rng.random() < 0.3
                else rng.choice((Cadence.MONTHLY, Cadence.MONTHLY, Cadence.BIMONTHLY))
            ),
            specialists=list(district.specialists),
        )
        roles = ELEMENTARY_ROLES if "Elementary" in school else SECONDARY_ROLES
        team.seats = [
            (self.new_person(f"Principal, {school}"), TeamRole.LEAD),
            (self.new_person(f"{rng.choice(DATA_LEAD_ROLES)}, {school}"), TeamRole.DATA_LEAD),
            (linking, TeamRole.LINKING),
        ]
        if school == DEMO_BUILDING:
            team.seats.append(("building", TeamRole.MEMBER))
        for title in rng.sample(roles, rng.randint(0, 2)):
            team.seats.append((self.new_person(f"{title}, {school}"), TeamRole.MEMBER))
        if len(team.seats) < 6 and rng.random() < 0.3:
            team.seats.append((self.new_person(f"Instructional Coach, {school}"), TeamRole.COACH))
        self.teams.append(team)
