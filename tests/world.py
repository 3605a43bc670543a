"""A small agency shaped like the demo: the eight demo roles, each where the demo puts them.

The access matrix, the browser journeys and the accessibility checks all walk this world,
so what a role sees in the tests is what it sees in the demo.
"""

from dataclasses import dataclass

from teams.models import Level, Role, Team, TeamRole, TeamUpdate, User

from .factories import (
    AgencyFactory,
    DevelopmentReviewFactory,
    DivisionFactory,
    MembershipFactory,
    RoleFactory,
    SmtFactory,
    SponsorAppointmentFactory,
    SponsorPairingFactory,
    TeamFactory,
    TeamUpdateFactory,
    UserFactory,
)

PASSWORD = "smt-demo"
ROLES = ("csso", "deputy", "smt", "sponsor", "sts", "district", "building", "admin")


@dataclass
class World:
    users: dict[str, User]
    smt: object
    state_team: object
    region: object
    district: object
    building: object
    other_building: object
    far_district: object
    far_building: object
    building_update: TeamUpdate
    far_update: TeamUpdate
    attention_update: TeamUpdate
    divisions: dict

    def user(self, role: str) -> User:
        return self.users[role]


def build_world(*, sponsors_rule_holds: bool = True) -> World:
    AgencyFactory()
    divisions = {
        key: DivisionFactory(name=name)
        for key, name in [
            ("academics", "Academic Standards and Instruction"),
            ("special", "Special Education Services"),
            ("finance", "Finance and Operations"),
        ]
    }

    def person(username, first, last, division, *roles, **extra):
        user = UserFactory(
            username=username,
            first_name=first,
            last_name=last,
            division=divisions[division],
            password=PASSWORD,
            **extra,
        )
        for role in roles:
            RoleFactory(person=user, role=role)
        return user

    users = {
        "csso": person("csso", "Carmen", "Ortiz", "academics", Role.CSSO),
        "deputy": person("deputy", "David", "Nguyen", "special", Role.DEPUTY),
        "smt": person("smt", "Sarah", "Mitchell", "finance", Role.SMT_MEMBER),
        "sponsor": person("sponsor", "Paul", "Okafor", "special", Role.SMT_MEMBER),
        "sts": person("sts", "Tina", "Alvarez", "academics", Role.STS),
        "district": person("district", "Dana", "Reyes", "academics"),
        "building": person("building", "Ben", "Carter", "academics"),
        "admin": person(
            "admin", "Alex", "Morgan", "finance", Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }
    second_sponsor = person("sponsor2", "Grace", "Lee", "academics", Role.SMT_MEMBER)
    SponsorAppointmentFactory(sponsor=users["sponsor"], appointed_by=users["csso"])
    if sponsors_rule_holds:
        SponsorAppointmentFactory(sponsor=second_sponsor, appointed_by=users["csso"])
    SponsorPairingFactory(sponsor=users["sponsor"], specialist=users["sts"])

    sts = users["sts"]
    smt = SmtFactory()
    state_team = TeamFactory(
        name="State Literacy Implementation Team", level=Level.STATE, parent=smt, specialists=[sts]
    )
    region = TeamFactory(
        name="Northern Region Team", level=Level.REGIONAL, parent=state_team, specialists=[sts]
    )
    district = TeamFactory(
        name="Cedar Falls District Team", level=Level.DISTRICT, parent=region, specialists=[sts]
    )
    building = TeamFactory(
        name="Lincoln Elementary Team", level=Level.BUILDING, parent=district, specialists=[sts]
    )
    other_building = TeamFactory(name="Maple Middle Team", level=Level.BUILDING, parent=district)
    far_region = TeamFactory(name="Southern Region Team", level=Level.REGIONAL, parent=state_team)
    far_district = TeamFactory(
        name="Riverbend District Team", level=Level.DISTRICT, parent=far_region
    )
    far_building = TeamFactory(
        name="Oak Park Elementary Team", level=Level.BUILDING, parent=far_district
    )

    MembershipFactory(team=district, person=users["district"], role=TeamRole.LEAD)
    MembershipFactory(team=building, person=users["building"], role=TeamRole.MEMBER)
    MembershipFactory(team=region, person=users["district"], role=TeamRole.MEMBER)
    DevelopmentReviewFactory(team=district, recorded_by=sts, members_trained=True)

    outsider = UserFactory(username="riverbend-lead", first_name="Rita", last_name="Banks")
    MembershipFactory(team=far_building, person=outsider, role=TeamRole.LEAD)
    world = World(
        users=users,
        smt=smt,
        state_team=state_team,
        region=region,
        district=district,
        building=building,
        other_building=other_building,
        far_district=far_district,
        far_building=far_building,
        building_update=TeamUpdateFactory(
            team=building,
            author=users["building"],
            summary="Lincoln's team met and reviewed its data.",
        ),
        far_update=TeamUpdateFactory(
            team=far_building, author=outsider, summary="Oak Park trained two new coaches."
        ),
        attention_update=TeamUpdateFactory(
            team=district,
            author=sts,
            for_smt_attention=True,
            summary="Cedar Falls needs coaching time protected in the calendar.",
        ),
        divisions=divisions,
    )
    # Factories write updates without the service, so bring the derived activity in line.
    Team.objects.refresh_activity()
    return world
