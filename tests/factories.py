"""Factories that build the agency's world; each test states only what matters to it."""

from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from teams.models import (
    Agency,
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


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("singleton",)

    singleton = True
    name = "Lakeland Department of Education"
    short_name = "LDE"
    state_name = "Lakeland"


class DivisionFactory(DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Division {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    division = factory.SubFactory(DivisionFactory)
    password = factory.django.Password("correct horse battery staple")


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(UserFactory)
    role = Role.SMT_MEMBER
    started_on = factory.LazyFunction(lambda: today() - timedelta(days=365))


def smt_member(**kwargs) -> User:
    person = UserFactory(**kwargs)
    RoleFactory(person=person, role=Role.SMT_MEMBER)
    return person


class SponsorAppointmentFactory(DjangoModelFactory):
    class Meta:
        model = SponsorAppointment

    sponsor = factory.LazyFunction(smt_member)
    appointed_by = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: today() - timedelta(days=200))


class SponsorPairingFactory(DjangoModelFactory):
    class Meta:
        model = SponsorPairing

    sponsor = factory.SubFactory(UserFactory)
    specialist = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: today() - timedelta(days=100))


class SmtFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("is_management_team",)

    name = "State Management Team"
    level = Level.STATE
    is_management_team = True


PARENT_LEVEL = {
    Level.STATE: None,
    Level.REGIONAL: Level.STATE,
    Level.DISTRICT: Level.REGIONAL,
    Level.BUILDING: Level.DISTRICT,
}


class TeamFactory(DjangoModelFactory):
    """A team in a valid place: its parent is built one level up unless given."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    level = Level.BUILDING

    @factory.lazy_attribute
    def parent(self):
        above = PARENT_LEVEL[self.level]
        if above is None:
            return SmtFactory()
        return TeamFactory(level=above)

    @factory.post_generation
    def specialists(self, create, extracted, **kwargs):
        if create and extracted:
            self.specialists.set(extracted)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(UserFactory)
    role = TeamRole.MEMBER
    started_on = factory.LazyFunction(lambda: today() - timedelta(days=90))


class DevelopmentReviewFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentReview

    team = factory.SubFactory(TeamFactory)
    recorded_by = factory.SubFactory(UserFactory)
    formed = True


class TeamUpdateFactory(DjangoModelFactory):
    class Meta:
        model = TeamUpdate

    team = factory.SubFactory(TeamFactory)
    author = factory.SubFactory(UserFactory)
    occurred_on = factory.LazyFunction(lambda: today() - timedelta(days=3))
    summary = factory.Faker("sentence")


def set_agency(**settings) -> None:
    """Change the agency's settings as the portal does (its cached copy is dropped)."""
    agency = Agency.objects.get()
    for name, value in settings.items():
        setattr(agency, name, value)
    agency.save()


# --- The data system ---------------------------------------------------------------------------
# Instruments are built through the importer's own path (a definition), as admins load them.

DISTRICT_INSTRUMENT = """
key: test-district-capacity
name: District Capacity Check (test)
kind: capacity
levels: [district, building]
sections:
  - key: leadership
    title: Leadership
    items:
      - {key: lead-1, prompt: The team has written terms of reference.}
      - {key: lead-2, prompt: Members have protected time.}
  - key: data
    title: Data
    items:
      - {key: data-1, prompt: The team reviews its data each quarter.}
      - {key: data-2, prompt: Low items have action items.}
"""


STATE_INSTRUMENT = """
key: test-state-capacity
name: State Capacity Check (test)
levels: [state, regional]
sections:
  - key: leadership
    title: Leadership
    items:
      - {key: state-1, prompt: The state team has terms of reference.}
"""


def instrument(text: str = DISTRICT_INSTRUMENT):
    from datasystem.importers import parse_instrument
    from datasystem.services import instrument_from_definition

    found, _ = instrument_from_definition(definition=parse_instrument(text), by=None)
    return found


def administration(*, team, instrument, facilitator, participants=(), held_on=None, scores=None):
    """An administration of the instrument's latest version; `scores` ({item key: score or
    "na"}) are recorded, and with every item scored it is completed."""
    from datasystem.models import Administration, ItemScore, LiveRound, Status
    from datasystem.services import total_percent

    version = instrument.latest_version()
    found = Administration.objects.create(
        team=team,
        instrument=instrument,
        version=version,
        held_on=held_on or today(),
        facilitator=facilitator,
        started_by=facilitator,
    )
    found.participants.set(participants or [facilitator])
    LiveRound.objects.create(administration=found)
    items = {item.key: item for item in version.items.all()}
    for key, value in (scores or {}).items():
        ItemScore.objects.create(
            administration=found,
            item=items[key],
            score=None if value == "na" else value,
            not_applicable=value == "na",
            recorded_by=facilitator,
        )
    if scores and set(scores) == set(items):
        found.status = Status.COMPLETED
        found.completed_on = found.held_on
        found.total_percent = total_percent(found)
        found.save()
    return found


def training(*, team, recorded_by, attendees=(), innovation="structured literacy", **extra):
    from datasystem.models import TrainingEvent

    event = TrainingEvent.objects.create(
        team=team,
        innovation=innovation,
        held_on=extra.pop("held_on", today() - timedelta(days=30)),
        trainer=extra.pop("trainer", "Regional trainers"),
        hours=extra.pop("hours", 6),
        covered_essential_functions=extra.pop("covered_essential_functions", True),
        recorded_by=recorded_by,
        **extra,
    )
    event.attendees.set(attendees)
    return event


def coaching(*, team, coach, coachee=None, minutes=45, innovation="structured literacy", **extra):
    from datasystem.models import CoachingSession

    return CoachingSession.objects.create(
        team=team,
        coach=coach,
        coachee=coachee,
        held_on=extra.pop("held_on", today() - timedelta(days=10)),
        innovation=innovation,
        focus=extra.pop("focus", "small groups"),
        minutes=minutes,
        recorded_by=extra.pop("recorded_by", coach),
    )


# --- Initiatives (vision, inventory, reviews, stages, selection) --------------------------------
# A section of its own: the initiatives module's factories and the records its pages need.

from decimal import Decimal  # noqa: E402

from initiatives.models import (  # noqa: E402
    Affirmation,
    Candidate,
    Funding,
    GoalAlignment,
    Indicator,
    Initiative,
    Overlap,
    RatingSheet,
    Review,
    SelectionProtocol,
    SelectionRating,
    StageRecord,
    StrategicGoal,
    VisionVersion,
)


class VisionVersionFactory(DjangoModelFactory):
    class Meta:
        model = VisionVersion

    vision = "Every Lakeland student reads, reasons and belongs."
    mission = "We build the capacity of schools to use effective practices well."
    adopted_on = factory.LazyFunction(lambda: today() - timedelta(days=180))
    adopted_by = factory.SubFactory(UserFactory)


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = StrategicGoal

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Goal {n + 1}")
    adopted_in = factory.SubFactory(VisionVersionFactory)


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Initiative {n}")
    division = factory.SubFactory(DivisionFactory)
    purpose = "Improve outcomes."
    target_population = "All students"
    intended_outcomes = "Better results."
    started_on = factory.LazyFunction(lambda: today() - timedelta(days=400))
    status = "active"

    @factory.post_generation
    def review_dates(self, create, extracted, **kwargs):
        if create:
            from initiatives.services import refresh_review_dates

            refresh_review_dates(self)


class FundingFactory(DjangoModelFactory):
    class Meta:
        model = Funding

    initiative = factory.SubFactory(InitiativeFactory)
    fiscal_year = 2027
    source = "state"
    amount = Decimal("100000")
    fte = Decimal("1.5")


class AlignmentFactory(DjangoModelFactory):
    class Meta:
        model = GoalAlignment

    initiative = factory.SubFactory(InitiativeFactory)
    goal = factory.SubFactory(GoalFactory)
    strength = "primary"


class ProtocolFactory(DjangoModelFactory):
    class Meta:
        model = SelectionProtocol
        django_get_or_create = ("name",)

    name = "Hexagon (demo)"
    scale_min = 1
    scale_max = 5


def protocol_with_indicators(*keys: str) -> SelectionProtocol:
    protocol = ProtocolFactory()
    for order, key in enumerate(keys or ("need", "fit", "evidence"), start=1):
        Indicator.objects.get_or_create(
            protocol=protocol,
            key=key,
            defaults={"order": order, "name": key.title(), "prompt": f"How strong is the {key}?"},
        )
    return protocol


def rated(
    candidate: Candidate, rater: User, scores: list[int], *, submitted: bool = True, note: str = ""
):
    """A rater's sheet for a candidate, with one score (and note) per indicator in order."""
    sheet, _ = RatingSheet.objects.get_or_create(candidate=candidate, rater=rater)
    for indicator, score in zip(candidate.protocol.indicators.all(), scores, strict=True):
        SelectionRating.objects.update_or_create(
            sheet=sheet, indicator=indicator, defaults={"score": score, "note": note}
        )
    if submitted:
        from django.utils import timezone

        sheet.submitted_at = timezone.now()
        sheet.save()
    return sheet


def initiatives_world(world):
    """The initiatives module's records in the demo-shaped world, made once per world: a
    vision in two versions with three goals (one served by nothing), an affirmation 14
    months old, three initiatives (one overdue, one serving no goal), funding, an overlap,
    a review, a stage, a protocol and a candidate rated by one of its two raters."""
    from types import SimpleNamespace

    made = getattr(world, "_initiatives", None)
    if made is not None:
        return made
    csso = world.user("csso")
    old = VisionVersionFactory(adopted_on=today() - timedelta(days=800), adopted_by=csso)
    version = VisionVersionFactory(
        adopted_on=today() - timedelta(days=200),
        adopted_by=csso,
        vision="Every Lakeland student reads, reasons and belongs, in every school.",
    )
    goals = [
        GoalFactory(number=1, title="Every child reads by grade 3", adopted_in=old),
        GoalFactory(number=2, title="Inclusive schools", adopted_in=old),
        GoalFactory(number=3, title="A skilled, stable workforce", adopted_in=version),
    ]
    Affirmation.objects.create(
        affirmed_on=today() - timedelta(days=440), vision=old, recorded_by=csso
    )
    literacy = InitiativeFactory(
        name="Structured Literacy K-3",
        division=world.divisions["academics"],
        is_innovation=True,
        started_on=today() - timedelta(days=1200),
        grades="K-3",
    )
    literacy.teams.set([world.district, world.building])
    inclusion = InitiativeFactory(name="Inclusive Practices", division=world.divisions["special"])
    legacy = InitiativeFactory(name="Legacy Reading Grant", division=world.divisions["finance"])
    FundingFactory(initiative=literacy)
    FundingFactory(initiative=legacy, amount=Decimal("25000"), fte=Decimal("0.5"))
    AlignmentFactory(initiative=literacy, goal=goals[0], strength="primary")
    AlignmentFactory(initiative=inclusion, goal=goals[1], strength="primary")
    AlignmentFactory(initiative=literacy, goal=goals[1], strength="contributing")
    first, second = sorted((literacy, legacy), key=lambda i: i.pk)
    Overlap.objects.create(
        first=first,
        second=second,
        shares_population=True,
        note="Both serve K-3 readers.",
        recorded_by=csso,
    )
    Review.objects.create(
        initiative=inclusion,
        held_on=today() - timedelta(days=100),
        decision="continue",
        rationale="Results are rising.",
        next_review_on=today() + timedelta(days=265),
        recorded_by=csso,
    )
    from initiatives.services import refresh_review_dates

    refresh_review_dates(inclusion)
    StageRecord.objects.create(
        innovation=literacy,
        team=world.district,
        stage="installation",
        entered_on=today() - timedelta(days=90),
        evidence="Coaches hired.",
        recorded_by=world.user("sts"),
    )
    protocol = protocol_with_indicators("need", "fit", "evidence")
    candidate = Candidate.objects.create(
        name="Check & Connect",
        description="A mentoring program for students at risk of dropping out.",
        division=world.divisions["special"],
        protocol=protocol,
        proposed_by=csso,
    )
    candidate.raters.set([world.user("smt"), world.user("sponsor")])
    rated(candidate, world.user("sponsor"), [4, 3, 5])
    world._initiatives = SimpleNamespace(
        literacy=literacy,
        inclusion=inclusion,
        legacy=legacy,
        version=version,
        old_version=old,
        goals=goals,
        funding=Funding.objects.get(initiative=literacy),
        alignment=GoalAlignment.objects.get(initiative=literacy, goal=goals[0]),
        overlap=Overlap.objects.get(),
        review=Review.objects.get(),
        stage=StageRecord.objects.get(),
        protocol=protocol,
        candidate=candidate,
    )
    return world._initiatives


def import_job(*, by):
    """A finished outcome import that rejected a row, with its rejected rows to download."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from datasystem.models import ImportJob, JobStatus

    found = ImportJob.objects.filter(file_name="test-outcomes.csv").first()
    if found is not None:
        return found
    problem = "Line 3: unit 'LK-NOPE' is not the state code of any team."
    job = ImportJob.objects.create(
        created_by=by,
        file_name="test-outcomes.csv",
        status=JobStatus.REJECTED,
        rows_total=2,
        rows_read=2,
        rows_rejected=1,
        problems=[problem],
        result="1 of 2 rows have problems: nothing was written.",
        finished_at=timezone.now(),
    )
    job.rejected_file.save(
        f"import-{job.pk}-rejected.csv",
        ContentFile(
            "line,problem,measure,unit,period,group,value,students\n"
            "3,unit 'LK-NOPE' is not the state code of any team.,reading,LK-NOPE,2025-26,all,"
            "50,40\n"
        ),
    )
    return job
