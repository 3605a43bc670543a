"""The fictional state of Lakeland, as data: its agency, cabinet, sponsors, STSs, regions,
districts and schools, the demo logins, and the phrases its teams' updates are written in."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import (
    Level,
    Role,
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
