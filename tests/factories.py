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
