"""The Lakeland demo: the shape the issue asks for, the portal's rules kept, and a second
load that adds nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from teams.demo import DEMO_PASSWORD, DEMO_USERNAMES, LOGIN_URL, load_demo
from teams.demo.loader import DemoLoader
from teams.demo.plan import Plan
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
from teams.selectors import parent_seat_holders, updates_visible_to
from teams.sponsor_rule import sponsor_rule

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def lakeland(django_db_setup, django_db_blocker):
    """One load shared by a class of tests; what each test changes rolls back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def person(username: str) -> User:
    return User.objects.get(username=username)


def team_of(username: str, role: str) -> Team:
    return Membership.objects.current().get(person__username=username, role=role).team


def row_counts() -> dict[str, int]:
    """Every table the project knows, history and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
    }


class TestLakeland:
    """Read the one shared load; a test that changes it is rolled back after it."""

    def test_lakeland_has_the_shape_the_issue_describes(self, lakeland):
        agency = Agency.objects.get()
        assert (agency.name, agency.short_name, agency.state_name) == (
            "Lakeland Department of Education",
            "LDE",
            "Lakeland",
        )
        assert Division.objects.count() == 8
        assert User.objects.smt_members().count() == 10
        assert User.objects.holding(Role.CSSO).get().username == "csso"
        assert User.objects.holding(Role.DEPUTY).get().username == "deputy"
        assert User.objects.sponsors().count() == 3
        assert User.objects.specialists().count() == 6
        assert Team.objects.filter(level=Level.REGIONAL).count() == 5
        assert Team.objects.filter(level=Level.DISTRICT).count() == 20
        assert Team.objects.filter(level=Level.BUILDING).count() == 60
        assert Team.objects.filter(level=Level.STATE, is_management_team=False).count() == 2
        zone = Team.objects.in_zone()
        assert [zone.filter(level=level).count() for level in Level.values] == [0, 1, 4, 12]
        assert lakeland.zone_teams_by_level == {
            "state": 0,
            "regional": 1,
            "district": 4,
            "building": 12,
        }
        assert lakeland.cabinet == 10 and lakeland.sponsors == 3 and lakeland.specialists == 6

    def test_the_sponsor_rule_holds_with_three_sponsors_chosen_by_the_csso(self, lakeland):
        rule = sponsor_rule()
        assert rule.holds, rule.problems
        assert len(rule.seats) == 3
        assert len(rule.divisions) >= 2
        current = SponsorAppointment.objects.current()
        assert {a.appointed_by.username for a in current} == {"csso"}
        assert current.filter(sponsor__username="sponsor").exists()

    def test_every_sts_has_a_sponsor_and_a_slice_of_the_cascade(self, lakeland):
        for specialist in User.objects.specialists():
            assert SponsorPairing.objects.current().filter(specialist=specialist).exists()
            assert specialist.supported_teams.exists()
        assert SponsorPairing.objects.current().filter(
            sponsor__username="sponsor", specialist__username="sts"
        )
        supported = person("sts").supported_teams.all()
        zone = Team.objects.in_zone()
        assert set(zone) <= set(supported)
        assert set(supported) - set(zone) == {
            Team.objects.get(name="State Literacy Implementation Team")
        }
        unsupported = Team.objects.filter(is_management_team=False, specialists__isnull=True)
        assert not unsupported.exists()

    def test_every_demo_login_signs_in_with_the_demo_password(self, lakeland):
        for username in DEMO_USERNAMES:
            request = RequestFactory().post("/accounts/login/")
            user = authenticate(request=request, username=username, password=DEMO_PASSWORD)
            assert user is not None, username
        admin = person("admin")
        assert admin.is_staff and admin.is_superuser
        assert RoleAssignment.objects.current().filter(person=admin, role=Role.ADMIN).exists()

    def test_other_people_cannot_sign_in(self, lakeland):
        others = User.objects.exclude(username__in=DEMO_USERNAMES)
        assert others.count() > 200
        assert not any(user.has_usable_password() for user in others)

    def test_loading_twice_adds_no_rows_anywhere(self, lakeland):
        before = row_counts()
        again = load_demo()
        assert row_counts() == before
        assert again.already_loaded

    def test_a_load_after_renames_finds_the_renamed_records(self, lakeland):
        team = Team.objects.get(name="Lincoln Elementary Building Implementation Team")
        team.name = "Lincoln Elementary BIT"
        team.save()
        division = Division.objects.get(name="Early Learning")
        division.name = "Early Childhood Learning"
        division.save()
        member = User.objects.exclude(username__in=DEMO_USERNAMES).order_by("pk").first()
        member.username = "renamed.member"
        member.save()
        before = row_counts()

        again = load_demo()

        assert row_counts() == before
        assert again.already_loaded
        assert not Team.objects.filter(name__startswith="Lincoln Elementary Building").exists()
        assert not Division.objects.filter(name="Early Learning").exists()

    def test_every_team_below_the_smt_has_its_state_code(self, lakeland):
        codes = list(Team.objects.filter(is_management_team=False).values_list("code", flat=True))
        assert all(codes) and len(set(codes)) == len(codes)

    def test_quiet_teams_are_known_from_the_activity_loaded(self, lakeland):
        active = Team.objects.exclude(is_management_team=True).filter(last_active_on__isnull=False)
        assert active.count() > 60
        assert Team.objects.quiet().exists()

    def test_a_second_load_gives_the_demo_logins_back_what_they_lost(self, lakeland):
        day = today()
        assignment = RoleAssignment.objects.get(person__username="csso", role=Role.CSSO)
        assignment.ended_on = day
        assignment.save()
        seat = Membership.objects.get(person__username="building")
        seat.delete()
        User.objects.filter(username="district").update(password="!")

        load_demo()

        assert User.objects.holding(Role.CSSO).get().username == "csso"
        assert (
            team_of("building", TeamRole.MEMBER).name
            == "Lincoln Elementary Building Implementation Team"
        )
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request=request, username="district", password=DEMO_PASSWORD)

    def test_the_cascade_is_a_tree_by_level_with_the_smt_at_its_root(self, lakeland):
        smt = Team.objects.get(is_management_team=True)
        assert smt.parent is None and smt.level == Level.STATE
        for team in Team.objects.select_related("parent__parent__parent__parent"):
            team.full_clean()  # includes clean_place_in_cascade (rule 2)
            if not team.is_management_team:
                assert team.ancestors()[-1] == smt

    def test_teams_have_three_to_six_members_with_a_lead_a_data_lead_and_a_linking_member(
        self, lakeland
    ):
        for team in Team.objects.filter(is_management_team=False).prefetch_related("memberships"):
            roles = [m.role for m in team.memberships.all() if m.is_current()]
            assert 3 <= len(roles) <= 6, team
            assert {TeamRole.LEAD, TeamRole.DATA_LEAD, TeamRole.LINKING} <= set(roles), team

    def test_every_linking_member_sits_on_the_team_above(self, lakeland):
        linking = Membership.objects.current().filter(role=TeamRole.LINKING).select_related("team")
        assert linking.count() == 87
        for membership in linking:
            parent = membership.team.parent
            assert parent_seat_holders(parent, [membership.person_id]) == [membership.person_id]
            if not parent.is_management_team:
                above = Membership.objects.get(team=parent, person=membership.person_id)
                assert above.started_on <= membership.started_on

    def test_every_row_passes_the_models_own_validation(self, lakeland):
        for model in (RoleAssignment, SponsorAppointment, SponsorPairing, Membership):
            for row in model.objects.all():
                row.full_clean()
        for user in User.objects.all():
            user.full_clean(exclude=["password"])

    def test_history_is_dated_in_the_past_and_the_zone_is_further_along(self, lakeland):
        day = today()
        assert not DevelopmentReview.objects.filter(reviewed_on__gt=day).exists()
        assert not TeamUpdate.objects.filter(occurred_on__gt=day).exists()
        assert not DevelopmentReview.objects.filter(reviewed_on__lt=day - timedelta(days=460))
        for team in Team.objects.all():
            assert 1 <= team.development_reviews.count() <= 5, team
        zone_latest = [t.development_reviews.first().score for t in Team.objects.in_zone()]
        rest_latest = [
            t.development_reviews.first().score
            for t in Team.objects.exclude(pk__in=Team.objects.in_zone()).filter(
                level=Level.BUILDING
            )
        ]
        assert sum(zone_latest) / len(zone_latest) > sum(rest_latest) / len(rest_latest)

        updates = TeamUpdate.objects.count()
        assert 300 <= updates <= 500
        assert 0.05 <= TeamUpdate.objects.for_smt_attention().count() / updates <= 0.15
        assert TeamUpdate.objects.filter(occurred_on__lt=day - timedelta(days=190)).count() == 0

    def test_updates_are_written_by_the_teams_sts_or_a_member(self, lakeland):
        for update in TeamUpdate.objects.select_related("team").prefetch_related(
            "team__specialists", "team__memberships"
        ):
            writers = {s.pk for s in update.team.specialists.all()} | {
                m.person_id for m in update.team.memberships.all()
            }
            assert update.author_id in writers, update

    def test_the_district_login_sees_the_building_logins_updates(self, lakeland):
        building_team = team_of("building", TeamRole.MEMBER)
        district_team = team_of("district", TeamRole.LEAD)
        assert building_team.parent == district_team
        assert district_team.in_zone()
        visible = updates_visible_to(person("district"))
        assert visible.filter(team=building_team).count() == building_team.updates.count() > 0
        far = TeamUpdate.objects.exclude(team__in=Team.objects.within(district_team))
        assert not visible.filter(pk__in=far).exists()
        recent = today() - timedelta(days=7)
        for team in (building_team, district_team):
            assert team.updates.filter(occurred_on__gte=recent).exists(), team

    def test_every_demo_login_has_a_home_page_with_something_on_it(self, lakeland, client):
        for username in DEMO_USERNAMES:
            client.force_login(person(username))
            response = client.get("/")
            assert response.status_code == 200, username
            panels = {
                shown.panel.key: shown.data
                for shown in [*response.context["main"], *response.context["side"]]
            }
            news = panels.get("attention", {}).get("updates") or panels.get("recent", {}).get(
                "updates"
            )
            assert news, username

    def test_the_scheduler_s_first_tick_tells_the_demo_logins_what_is_due(self, lakeland):
        from digests.models import Notification
        from digests.services import notifications_derive

        assert notifications_derive() > 0
        mine = Notification.objects.filter(recipient__username="sponsor")
        # The sponsor's overdue action item, and the SMT's barriers waiting too long.
        assert mine.filter(kind="action_overdue").exists()
        assert Notification.objects.filter(kind="barrier_waiting", recipient__username="csso")
        # The late support request: to its sponsor, then the CSSO's office.
        late = Notification.objects.filter(kind="support_late")
        assert late.filter(occasion__startswith="support-late:").exists()
        assert late.filter(occasion__startswith="support-late-office:", recipient__username="csso")
        assert notifications_derive() == 0

    def test_last_months_digest_tells_the_demos_story(self, lakeland):
        from digests.digest import build_content, month_of, previous_month
        from digests.models import Digest, DigestRecipient

        # The archive's history, and the recipient the CSSO added.
        assert Digest.objects.count() == 2
        assert DigestRecipient.objects.get().person.username == "sponsor"
        content = build_content(previous_month(month_of(today())))
        figures = {figure["label"]: figure["value"] for figure in content["figures"]}
        sections = {section["key"]: section for section in content["sections"]}
        assert figures["Sponsor rule"] == "Holds"
        assert figures["Updates flagged for the SMT"] > 0
        assert figures["Barriers raised"] > 0 and figures["Waiting with the SMT"] > 0
        assert sections["stages"]["zone"]["teams"] == 17
        assert {s["name"] for s in sections["sponsor_rule"]["sponsors"]} == {
            str(p) for p in User.objects.sponsors()
        }
        assert any("waiting with the SMT" in line for line in content["attention"])


def test_the_demo_is_decided_by_its_seed_not_by_chance():
    first, second = Plan(), Plan()
    assert first.people == second.people
    assert [(t.name, t.seats, t.cadence) for t in first.teams] == [
        (t.name, t.seats, t.cadence) for t in second.teams
    ]


def test_a_failed_load_leaves_nothing_behind(monkeypatch):
    def break_down(self):
        raise RuntimeError("the updates could not be written")

    monkeypatch.setattr(DemoLoader, "_updates", break_down)
    with pytest.raises(RuntimeError):
        load_demo()
    assert not Team.objects.exists()
    assert not User.objects.exists()


def test_the_command_prints_a_summary_and_the_demo_logins():
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "Loaded the Lakeland demo" in printed
    assert "60 building" in printed
    for username in DEMO_USERNAMES:
        assert f"\n  {username} " in printed
    assert DEMO_PASSWORD in printed
    assert LOGIN_URL in printed
