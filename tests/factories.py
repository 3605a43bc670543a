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
