"""The demo state, Lakeland: its agency, cabinet, sponsors, STSs and cascade of teams.

Everything is fictional and built from fixed lists and one seeded `random.Random`, so two
loads produce the same people, teams and texts; only the dates move, because they are
counted back from today and the demo should always look current.

Loading twice adds nothing: people are found by username, divisions and teams by name,
roles, appointments, pairings and memberships by who holds what, and a team's
development and update history is written only when the team has none. A second load
re-asserts what the eight demo logins need (their password, roles, sponsor seat, pairing
and team seats) so the demo can always be signed into, whatever was clicked in between.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from .models import (
    Agency,
    Cadence,
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

DEMO_PASSWORD = "smt-demo"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
# The audit trail shows this as the reason for every row the loader writes.
CHANGE_REASON = "Loaded the Lakeland demo"
SEED = 20_250_901

AGENCY_NAME = "Lakeland Department of Education"
STATE_NAME = "Lakeland"
SMT_NAME = "State Management Team"

AGENCY_MAIL = "lde.lakeland.example"
SCHOOLS_MAIL = "schools.lakeland.example"

# About fourteen months ago, as the issue describes the Transformation Zone.
ZONE_AGE_DAYS = 426
UPDATE_WINDOW_DAYS = 180
REVIEW_WINDOW_DAYS = 456


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "csso",
        "Chief State School Officer",
        "The sponsor rule, updates flagged for SMT attention and the whole cascade; "
        "appoints sponsors.",
    ),
    DemoLogin(
        "deputy",
        "Deputy CSSO",
        "What the CSSO sees, with the same authority to appoint sponsors.",
    ),
    DemoLogin(
        "smt",
        "SMT member",
        "The sponsor rule, updates flagged for SMT attention and the whole cascade.",
    ),
    DemoLogin(
        "sponsor",
        "SMT member, Executive Leadership Sponsor",
        "The STSs they champion (among them the `sts` login), flagged updates and the whole "
        "cascade.",
    ),
    DemoLogin(
        "sts",
        "State Transformation Specialist",
        "The Northern Region (Transformation Zone), its 4 districts and 12 buildings, and "
        "the State Literacy Implementation Team; logs updates for them.",
    ),
    DemoLogin(
        "district",
        "District team lead",
        "The Cedar Falls School District team and the updates of its 3 buildings.",
    ),
    DemoLogin(
        "building",
        "Building team member",
        "The Lincoln Elementary team and its updates.",
    ),
    DemoLogin(
        "admin",
        "Portal administrator",
        "Settings (/settings/) and the Django admin (/admin/), plus flagged updates.",
    ),
)
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)


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
    logins: tuple[DemoLogin, ...] = DEMO_LOGINS
    login_url: str = LOGIN_URL

    @property
    def already_loaded(self) -> bool:
        return self.rows_written == 0


def load_demo() -> DemoSummary:
    """Build (or complete) the Lakeland demo in one transaction and describe it."""
    with transaction.atomic():
        loader = _DemoLoader(day=today())
        loader.load()
        return _summary(rows_written=loader.rows_written)


# --- The organisation ------------------------------------------------------------------------

DIVISIONS = {
    "academics": ("Academic Standards and Instruction", "ASI"),
    "special": ("Special Education Services", "SES"),
    "federal": ("Federal Programs", "FP"),
    "assessment": ("Assessment and Accountability", "AA"),
    "educators": ("Educator Effectiveness", "EE"),
    "finance": ("Finance and Operations", "FO"),
    "improvement": ("School Improvement", "SI"),
    "early": ("Early Learning", "EL"),
}


@dataclass(frozen=True)
class Seat:
    """A named person at the agency, with the role they hold and since how many days."""

    username: str
    first_name: str
    last_name: str
    division: str
    job_title: str
    role: str
    days_held: int
    ended_days_ago: int | None = None


# The cabinet: ten current members across the eight divisions, plus the member whose
# seat (and sponsorship) Robert Hayes and Paul Okafor took over, so history has a past.
CABINET = (
    Seat("csso", "Carmen", "Ortiz", "academics", "Chief State School Officer", Role.CSSO, 1500),
    Seat("deputy", "David", "Nguyen", "special", "Deputy Superintendent", Role.DEPUTY, 1200),
    Seat("smt", "Sarah", "Mitchell", "finance", "Chief Financial Officer", Role.SMT_MEMBER, 900),
    Seat(
        "sponsor",
        "Paul",
        "Okafor",
        "special",
        "Assistant Superintendent, Special Education Services",
        Role.SMT_MEMBER,
        1100,
    ),
    Seat(
        "grace.lee",
        "Grace",
        "Lee",
        "academics",
        "Assistant Superintendent, Academic Standards and Instruction",
        Role.SMT_MEMBER,
        1300,
    ),
    Seat(
        "marcus.bell",
        "Marcus",
        "Bell",
        "federal",
        "Director of Federal Programs",
        Role.SMT_MEMBER,
        1000,
    ),
    Seat(
        "helen.park",
        "Helen",
        "Park",
        "assessment",
        "Chief Accountability Officer",
        Role.SMT_MEMBER,
        800,
    ),
    Seat(
        "robert.hayes",
        "Robert",
        "Hayes",
        "educators",
        "Assistant Superintendent, Educator Effectiveness",
        Role.SMT_MEMBER,
        300,
    ),
    Seat(
        "angela.brooks",
        "Angela",
        "Brooks",
        "improvement",
        "Director of School Improvement",
        Role.SMT_MEMBER,
        950,
    ),
    Seat(
        "lisa.whitfield",
        "Lisa",
        "Whitfield",
        "early",
        "Director of Early Learning",
        Role.SMT_MEMBER,
        600,
    ),
    Seat(
        "thomas.reed",
        "Thomas",
        "Reed",
        "educators",
        "Former Assistant Superintendent, Educator Effectiveness",
        Role.SMT_MEMBER,
        1600,
        ended_days_ago=300,
    ),
)
DIVISION_HEADS = {
    "academics": "grace.lee",
    "special": "sponsor",
    "federal": "marcus.bell",
    "assessment": "helen.park",
    "educators": "robert.hayes",
    "finance": "smt",
    "improvement": "angela.brooks",
    "early": "lisa.whitfield",
}

STS_TITLE = "State Transformation Specialist"
SPECIALISTS = (
    Seat("sts", "Tina", "Alvarez", "academics", STS_TITLE, Role.STS, 800),
    Seat("james.whitaker", "James", "Whitaker", "improvement", STS_TITLE, Role.STS, 750),
    Seat("priya.raman", "Priya", "Raman", "special", STS_TITLE, Role.STS, 700),
    Seat("miguel.santos", "Miguel", "Santos", "federal", STS_TITLE, Role.STS, 650),
    Seat("keisha.franklin", "Keisha", "Franklin", "improvement", STS_TITLE, Role.STS, 500),
    Seat("owen.gallagher", "Owen", "Gallagher", "academics", STS_TITLE, Role.STS, 820),
)
ADMIN = Seat(
    "admin",
    "Alex",
    "Morgan",
    "finance",
    "Portal Administrator, Information Technology",
    Role.ADMIN,
    900,
)

# (sponsor, appointed days ago, ended days ago). Paul Okafor replaced Thomas Reed, whose
# seat ended with his cabinet role: rule 1 held throughout, with two sponsors at least.
SPONSORS = (
    ("grace.lee", 700, None),
    ("marcus.bell", 700, None),
    ("thomas.reed", 700, 300),
    ("sponsor", 300, None),
)
# (sponsor, STS, paired days ago, ended days ago): every STS has a line to the cabinet.
PAIRINGS = (
    ("sponsor", "sts", 290, None),
    ("sponsor", "james.whitaker", 290, None),
    ("grace.lee", "priya.raman", 680, None),
    ("grace.lee", "owen.gallagher", 690, None),
    ("marcus.bell", "miguel.santos", 640, None),
    ("marcus.bell", "keisha.franklin", 480, None),
    ("thomas.reed", "sts", 650, 300),
)

# --- The cascade -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    """A state implementation team, the innovation it carries and the regions under it."""

    name: str
    innovation: str
    lead: str
    specialist: str
    linking: str
    subject_specialist: str
    regions: tuple[str, ...]


BRANCHES = (
    Branch(
        "State Literacy Implementation Team",
        "structured literacy in grades K-3",
        lead="sts",
        specialist="sts",
        linking="grace.lee",
        subject_specialist="Literacy Program Specialist",
        regions=("Northern", "Central", "Lakeshore"),
    ),
    Branch(
        "State Mathematics Implementation Team",
        "explicit, tiered mathematics instruction",
        lead="owen.gallagher",
        specialist="owen.gallagher",
        linking="angela.brooks",
        subject_specialist="Mathematics Program Specialist",
        regions=("Southern", "Western"),
    ),
)
ZONE_REGION = "Northern"
REGION_SPECIALISTS = {
    "Northern": "sts",
    "Central": "james.whitaker",
    "Lakeshore": "priya.raman",
    "Southern": "miguel.santos",
    "Western": "keisha.franklin",
}
# Four districts per region, three buildings per district.
DISTRICTS = {
    "Northern": {
        "Cedar Falls School District": (
            "Lincoln Elementary",
            "Roosevelt Elementary",
            "Cedar Falls Middle School",
        ),
        "Pine Ridge Public Schools": (
            "Hawthorne Elementary",
            "Pine Ridge Elementary",
            "Pine Ridge Junior High",
        ),
        "Birch Lake Community Schools": (
            "Birch Lake Elementary",
            "Lakeside Elementary",
            "Birch Lake High School",
        ),
        "North Fork School District": (
            "North Fork Elementary",
            "Whittier Elementary",
            "North Fork Middle School",
        ),
    },
    "Central": {
        "Maple Grove School District": (
            "Maple Grove Elementary",
            "Jefferson Elementary",
            "Maple Grove Middle School",
        ),
        "Harmony Valley Public Schools": (
            "Harmony Elementary",
            "Valley View Elementary",
            "Harmony Valley High School",
        ),
        "Prairie View School District": (
            "Prairie View Elementary",
            "Franklin Elementary",
            "Prairie View Middle School",
        ),
        "Stonebridge Community Schools": (
            "Stonebridge Elementary",
            "Carver Elementary",
            "Stonebridge Middle School",
        ),
    },
    "Lakeshore": {
        "Bayport Public Schools": (
            "Bayport Elementary",
            "Lighthouse Elementary",
            "Bayport Middle School",
        ),
        "Harbor Point School District": (
            "Harbor Point Elementary",
            "Douglass Elementary",
            "Harbor Point High School",
        ),
        "Willow Bay Community Schools": (
            "Willow Bay Elementary",
            "Emerson Elementary",
            "Willow Bay Middle School",
        ),
        "Sandy Shores School District": (
            "Dune Ridge Elementary",
            "Sandy Shores Elementary",
            "Sandy Shores Middle School",
        ),
    },
    "Southern": {
        "Riverbend School District": (
            "Riverbend Elementary",
            "Oak Park Elementary",
            "Riverbend Middle School",
        ),
        "Oak Hollow Public Schools": (
            "Oak Hollow Elementary",
            "Madison Elementary",
            "Oak Hollow Middle School",
        ),
        "Southfield Community Schools": (
            "Southfield Elementary",
            "Garfield Elementary",
            "Southfield High School",
        ),
        "Red Clay School District": (
            "Red Clay Elementary",
            "Tubman Elementary",
            "Red Clay Middle School",
        ),
    },
    "Western": {
        "Sunset Plains School District": (
            "Sunset Elementary",
            "Longfellow Elementary",
            "Sunset Plains Middle School",
        ),
        "Granite Peak Public Schools": (
            "Granite Peak Elementary",
            "Aspen Elementary",
            "Granite Peak Junior-Senior High School",
        ),
        "Coyote Springs School District": (
            "Coyote Springs Elementary",
            "Mesa Elementary",
            "Coyote Springs Middle School",
        ),
        "Dry Creek Community Schools": (
            "Dry Creek Elementary",
            "Willow Creek Elementary",
            "Dry Creek Middle School",
        ),
    },
}
# Where the `district` and `building` logins sit: inside the Transformation Zone.
DEMO_DISTRICT = "Cedar Falls School District"
DEMO_BUILDING = "Lincoln Elementary"
DEMO_TEAM_PEOPLE = (
    Seat(
        "district",
        "Dana",
        "Reyes",
        "academics",
        f"Assistant Superintendent for Teaching and Learning, {DEMO_DISTRICT}",
        "",
        0,
    ),
    Seat("building", "Ben", "Carter", "academics", f"Grade 3 Teacher, {DEMO_BUILDING}", "", 0),
)


def region_team_name(region: str) -> str:
    return f"{region} Region Implementation Team"


def district_team_name(district: str) -> str:
    return f"{district} Implementation Team"


def building_team_name(school: str) -> str:
    return f"{school} Building Implementation Team"


# --- People on the teams -------------------------------------------------------------------
# Paragraphs of names, not lists: two hundred one-name lines would bury the rest.
FIRST_NAMES = (  # noqa: SIM905
    "Aaron Abigail Adriana Aisha Alan Alicia Amir Ana Andre Anita Ben Beth Brandon Brianna "
    "Caleb Camila Carlos Chloe Colin Dana Daniel Deborah Derek Diana Elena Eli Emily Eric "
    "Fatima Felix Gabriel Gloria Hannah Hector Ian Imani Isaac Jada Jamal Janet Jason Jenna "
    "Jorge Julia Karen Kevin Laura Leon Lucia Luis Maria Mark Maya Megan Mei Nadia Nathan "
    "Nicole Noah Olivia Omar Patricia Peter Rachel Rafael Rosa Ryan Samuel Sofia Stephanie "
    "Steven Tanya Theresa Tyler Valerie Victor Wendy William Yolanda Zachary"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Abbott Acosta Adler Baker Banks Barnes Becker Bennett Bishop Boyd Bradley Burke Campbell "
    "Castillo Chen Coleman Collins Cruz Daniels Delgado Dixon Douglas Duncan Ellis Evans Fischer "
    "Fleming Flores Foster Garcia Gibson Gordon Graham Gray Greene Hansen Harper Hill Hoffman "
    "Holland Howard Hughes Jensen Jimenez Johnson Kang Keller Kim Knight Larson Lawson Lopez "
    "Lund Marsh Martinez McCoy Medina Meyer Miller Moreno Murphy Nelson Novak Olsen Ortega "
    "Palmer Patel Pearson Perry Porter Price Quinn Ramirez Ramos Reynolds Rivera Robinson "
    "Rossi Russell Schmidt Shah Simmons Singh Sorensen Spencer Stewart Sullivan Tanaka Torres "
    "Tran Vargas Wagner Walsh Warren Watson Weber Wells Wilson Wong Yates Young Zimmerman"
).split()

ELEMENTARY_ROLES = (
    "Kindergarten Teacher",
    "Grade 1 Teacher",
    "Grade 2 Teacher",
    "Grade 3 Teacher",
    "Special Education Teacher",
    "English Learner Teacher",
    "School Counselor",
    "Title I Reading Specialist",
)
SECONDARY_ROLES = (
    "Grade 6 English Teacher",
    "Grade 7 Mathematics Teacher",
    "Grade 9 English Teacher",
    "Algebra I Teacher",
    "Special Education Teacher",
    "School Counselor",
    "English Learner Teacher",
)
DATA_LEAD_ROLES = (
    "Assistant Principal",
    "Reading Interventionist",
    "School Psychologist",
    "Instructional Data Coach",
)
DISTRICT_LEADS = (
    "Assistant Superintendent for Teaching and Learning",
    "Director of Curriculum and Instruction",
    "Superintendent",
)

# --- What the updates and reviews say ---------------------------------------------------------
# Placeholders: {team} "the Lincoln Elementary team", {unit} "Lincoln Elementary",
# {innovation}, {parent} "the Cedar Falls School District team", {n}, {m}, {pct}.

SUMMARIES = {
    Level.BUILDING: (
        "{team} met with all members present and reviewed the latest universal screening "
        "results; {pct}% of students are at or above benchmark.",
        "{team} walked through the practice profile for {innovation} and agreed which "
        "essential functions to observe first.",
        "Coaching cycles continued: {n} teachers completed a cycle this month and logged their "
        "coaching notes.",
        "{team} used the TIPS format on the rise in office referrals during the lunch period "
        "and agreed a precise problem statement.",
        "{team} reviewed the first fidelity checks for {innovation}; most classrooms use the "
        "core routines, but small-group time is still short.",
        "The principal protected the team's meeting time in the master schedule; {team} met on "
        "its cadence for the third month running.",
        "Grade-level teams shared progress-monitoring graphs and the team regrouped students "
        "for the next six weeks of intervention.",
        "Two new members were oriented to the terms of reference and to the data {team} "
        "reviews at each meeting.",
        "{team} prepared its report for {parent}: training attendance, coaching reach and the "
        "latest fidelity results.",
        "{team} planned its capacity assessment with the STS and agreed who facilitates and "
        "who takes notes.",
    ),
    Level.DISTRICT: (
        "{team} reviewed the building reports: {m} of 3 buildings met on cadence this month.",
        "{team} completed the District Capacity Assessment by consensus, with the STS "
        "facilitating; the action plan focuses on coaching and data use.",
        "The superintendent's cabinet heard the team's report on {innovation} and agreed to "
        "keep early-release Wednesdays for coaching.",
        "{team} checked the professional learning calendar against the training plan for "
        "{innovation} and found two clashes.",
        "{team} worked on a barrier raised by a building: substitute cover for teachers "
        "attending training.",
        "Budget planning for next year: {team} mapped Title I and IDEA funds to coaching "
        "positions.",
        "{team} agreed its linking communication protocol with the buildings: reports a week "
        "before the district meeting, answers within ten days.",
        "{team} walked the buildings with the principals to see {innovation} in classrooms and "
        "debriefed what they saw.",
    ),
    Level.REGIONAL: (
        "{team} met with the district leads and reviewed each district's capacity assessment "
        "results.",
        "Regional coaches reported coaching reach across the districts; {m} districts need "
        "more coaching time.",
        "{team} planned the regional training days for {innovation} and confirmed trainers "
        "and dates.",
        "{team} reviewed the barriers the districts escalated this month and decided which to "
        "carry to {parent}.",
        "The service center board heard an update on {innovation} and asked for a mid-year "
        "data summary.",
        "{team} started a monthly network where district coaches share practice and problems.",
    ),
    Level.STATE: (
        "{team} reviewed the regional capacity results with the statewide training and "
        "coaching data.",
        "{team} revised the practice profile for {innovation} after feedback from the "
        "regional coaches.",
        "{team} prepared its quarterly report for the SMT: successes, adaptive challenges and "
        "two policy barriers.",
        "{team} worked with Assessment and Accountability on the data reports districts "
        "receive each quarter.",
        "{team} met the regional leads to agree the criteria for scaling up beyond the "
        "Transformation Zone.",
    ),
}
SUCCESSES = (
    "Every classroom has now had at least one coaching visit.",
    "Attendance at team meetings has been full for two months running.",
    "Teachers are asking for coaching rather than being assigned to it.",
    "The data lead now brings a one-page data summary to every meeting.",
    "Fidelity scores rose between the fall and winter checks.",
    "The linking member brought back an answer from {parent} within a week.",
    "Families came to the learning night in record numbers.",
    "Two new coaches completed their certification.",
    "The schedule now protects a daily intervention block.",
    "Progress-monitoring data is entered on time in every grade.",
    "The team closed three items from its last capacity assessment action plan.",
    "Students in intervention groups made more growth than last year's cohort.",
)
ADAPTIVE_CHALLENGES = (
    "Some veteran teachers see {innovation} as one more initiative that will pass; the team "
    "is working on how to talk about why this one is different.",
    "Principals are pulled into compliance meetings on team meeting days; protecting the "
    "time needs a decision above the building.",
    "Staff turnover mid-year means repeating training the team thought was done.",
    "Teachers are not yet comfortable being observed; to some, coaching still feels like "
    "evaluation.",
    "The team reviews its data but struggles to turn it into decisions.",
    "Several initiatives compete for the same professional learning days.",
    "Special education and general education staff plan separately; there is no shared "
    "planning time yet.",
    "Substitute shortages make it hard to release teachers for training.",
    "Buildings read the district's guidance differently, so practice varies.",
    "Trust between the central office and the buildings is still being rebuilt after last "
    "year's reorganisation.",
)
NEXT_STEPS = (
    "Schedule the spring capacity assessment and invite the STS to facilitate.",
    "Data lead to prepare grade-level screening summaries before the next meeting.",
    "Finish coaching cycles for the remaining {n} teachers by the end of the month.",
    "Bring the substitute cover barrier to {parent}.",
    "Revise the terms of reference to add a family engagement role.",
    "Run a second fidelity check in the classrooms new to {innovation}.",
    "Share this month's success at the next meeting of {parent}.",
    "Agree decision rules for moving students between intervention tiers.",
    "Meet the principal to protect team meeting time in next year's calendar.",
    "Send the monthly report to {parent} under the linking protocol.",
)
# The note of a review names the furthest step the team has reached.
REVIEW_NOTES = (
    "Membership is still being agreed; the team has not formally formed.",
    "The team has formed and agreed its terms of reference; training is scheduled.",
    "Members are trained in {innovation}; meetings do not yet keep the cadence.",
    "Meeting on cadence with data at every meeting; the link to {parent} is informal.",
    "Linked up and down: the linking member reports both ways every month.",
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


class _Plan:
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


# --- Writing the plan ------------------------------------------------------------------------


class _DemoLoader:
    def __init__(self, *, day: date) -> None:
        self.day = day
        self.plan = _Plan()
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
        for key, (name, short_name) in DIVISIONS.items():
            division, created = Division.objects.get_or_create(
                name=name, defaults={"short_name": short_name}
            )
            self.divisions[key] = division
            self.rows_written += created

    def _people(self) -> None:
        planned = self.plan.people
        existing = set(User.objects.filter(username__in=planned).values_list("username", flat=True))
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
        self.people = {u.username: u for u in User.objects.filter(username__in=planned)}
        # Re-asserted on every load, without a history row: the audit trail leaves
        # passwords out, and the demo must always open with `smt-demo`.
        User.objects.filter(username__in=DEMO_USERNAMES).update(password=password)

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
        appointed = set(SponsorAppointment.objects.values_list("sponsor__username", flat=True))
        for username, days_ago, ended_days_ago in SPONSORS:
            if username in appointed:
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
        paired = set(
            SponsorPairing.objects.values_list("sponsor__username", "specialist__username")
        )
        for sponsor, specialist, days_ago, ended_days_ago in PAIRINGS:
            if (sponsor, specialist) in paired:
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
        existing = {t.name: t for t in Team.objects.filter(name__in=[p.name for p in planned])}
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


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _summary(*, rows_written: int) -> DemoSummary:
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
    )
