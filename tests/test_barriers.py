"""The practice-policy communication cycle: barriers up one level at a time, answers back
down the path they came, systemic changes, linking protocols kept, and sponsor support."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import selectors, services
from meetings.models import Barrier, Holiday, LinkProtocol, SupportRequest
from teams.models import Level, Team

from .cycle_world import cycle_of
from .factories import MembershipFactory, TeamFactory, TeamUpdateFactory, set_agency
from .meetings_world import meetings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(world):
    return cycle_of(world)


def raise_one(world, team=None, by="building"):
    return services.barrier_raise(
        barrier=Barrier(
            team=team or world.building,
            title="Coaching clashes with testing",
            practice="Coaching days fall in the testing window.",
            effect="Two months without coaching.",
            would_help="A calendar that leaves coaching days.",
        ),
        by=world.user(by),
    )


def test_a_barrier_goes_to_the_team_one_level_up(world):
    barrier = raise_one(world)
    assert barrier.holder == world.district
    (move,) = barrier.moves.all()
    assert (move.kind, move.from_team, move.to_team, move.by) == (
        "raised",
        world.building,
        world.district,
        world.user("building"),
    )


def test_the_agencys_level_skip_is_honoured(world):
    set_agency(districts_may_report_to_state=True)
    skipping = TeamFactory(level=Level.DISTRICT, parent=world.state_team)
    MembershipFactory(team=skipping, person=world.user("building"))
    barrier = raise_one(world, team=skipping)
    assert barrier.holder == world.state_team
    assert barrier.reached_state


def test_only_someone_on_the_team_raises_for_it(world):
    with pytest.raises(PermissionDenied):
        raise_one(world, team=world.far_building)
    assert not Barrier.objects.exists()


def test_escalating_moves_one_level_and_keeps_the_note(world, c):
    services.barrier_escalate(
        barrier=c.open_at_district, by=world.user("district"), note="We asked the principals."
    )
    barrier = Barrier.objects.get(pk=c.open_at_district.pk)
    assert barrier.holder == world.region
    last = barrier.moves.order_by("at").last()
    assert (last.kind, last.note) == ("escalated", "We asked the principals.")


def test_escalating_past_the_smt_is_refused(world, c):
    with pytest.raises(ValidationError, match="top of the cascade"):
        services.barrier_escalate(barrier=c.at_smt, by=world.user("smt"), note="Up!")
    assert Barrier.objects.get(pk=c.at_smt.pk).holder == world.smt


def test_only_the_team_holding_it_answers(world, c):
    for role in ("building", "smt"):
        with pytest.raises(PermissionDenied):
            services.barrier_answer(
                barrier=c.open_at_district, by=world.user(role), answer="x", outcome="practice"
            )
    assert Barrier.objects.get(pk=c.open_at_district.pk).stage == "open"


def test_the_answer_returns_down_the_path_it_came(world, c):
    services.barrier_answer(
        barrier=c.at_smt,
        by=world.user("smt"),
        answer="Results within two weeks.",
        outcome="practice",
    )
    holders = [Barrier.objects.get(pk=c.at_smt.pk).holder]
    while Barrier.objects.get(pk=c.at_smt.pk).stage == "answered":
        services.barrier_pass_down(
            barrier=Barrier.objects.get(pk=c.at_smt.pk), by=world.user("sts"), note="Noted."
        )
        holders.append(Barrier.objects.get(pk=c.at_smt.pk).holder)
    assert holders == [world.state_team, world.region, world.district, world.building]
    assert Barrier.objects.get(pk=c.at_smt.pk).stage == "returned"


def test_the_raising_team_confirms_or_reopens_it_where_it_was_answered(world, c):
    services.barrier_confirm(
        barrier=c.back_with_building, by=world.user("building"), helped=False, note="No change."
    )
    reopened = Barrier.objects.get(pk=c.back_with_building.pk)
    assert (reopened.stage, reopened.holder, reopened.helped) == ("open", world.district, False)
    services.barrier_answer(
        barrier=reopened, by=world.user("district"), answer="Try this.", outcome="practice"
    )
    services.barrier_confirm(
        barrier=Barrier.objects.get(pk=c.back_with_building.pk),
        by=world.user("building"),
        helped=True,
    )
    closed = Barrier.objects.get(pk=c.back_with_building.pk)
    assert (closed.stage, closed.helped) == ("closed", True)
    assert closed.heard_back_at is not None


def test_confirming_another_teams_barrier_is_refused(world, c):
    with pytest.raises(PermissionDenied):
        services.barrier_confirm(barrier=c.back_with_building, by=world.user("smt"), helped=True)


def test_a_systemic_resolution_names_its_change(world, c):
    with pytest.raises(ValidationError, match="systemic change"):
        services.barrier_answer(
            barrier=c.at_smt, by=world.user("smt"), answer="Changed.", outcome="systemic"
        )
    services.barrier_answer(
        barrier=c.at_smt,
        by=world.user("smt"),
        answer="Changed.",
        outcome="systemic",
        change=c.change,
    )
    assert c.at_smt in c.change.barriers.all()


def test_a_merged_barrier_closes_and_points_at_the_other(world, c):
    services.barrier_merge(
        barrier=c.open_at_district, into=c.answer_at_district, by=world.user("district")
    )
    merged = Barrier.objects.get(pk=c.open_at_district.pk)
    assert (merged.stage, merged.outcome, merged.merged_into) == (
        "closed",
        "merged",
        c.answer_at_district,
    )


def test_the_smt_places_a_barrier_on_its_next_agenda(world, c):
    m = meetings_of(world)
    item = services.barrier_place_on_agenda(barrier=c.at_smt, by=world.user("smt"))
    assert item.meeting == m.smt_next and item.subject == c.at_smt


def test_the_smts_queue_and_offers(world, c, client):
    m = meetings_of(world)
    queue = list(selectors.smt_queue())
    assert queue == [c.at_smt] and queue[0].waiting.days == 3
    offered = {r for _, rs in selectors.offers_for(m.smt_next, []) for _, r in rs}
    assert c.at_smt in offered and c.shared in offered


def test_days_at_each_level_are_summed_in_the_database(world, c):
    items = [Barrier.objects.get(pk=c.at_smt.pk)]
    selectors.follow_through_days(items)
    days = items[0].days
    assert (days.district, days.regional, days.state) == (5.0, 5.0, 5.0)
    assert days.smt > 10


def test_the_follow_through_shows_an_sts_only_their_teams_items(world, c, client):
    from .cycle_world import barrier

    other_state = TeamFactory(level=Level.STATE, parent=world.smt)
    other_region = TeamFactory(level=Level.REGIONAL, parent=other_state)
    other_district = TeamFactory(level=Level.DISTRICT, parent=other_region)
    far = barrier(world, "Far away", [other_district, other_region, other_state])
    client.force_login(world.user("sts"))
    items = client.get(reverse("barriers:follow-through")).context["items"]
    assert c.at_smt in items and far not in items
    client.force_login(world.user("sponsor"))
    assert far in client.get(reverse("barriers:follow-through")).context["items"]


def test_an_item_for_the_csso_and_sponsor_reads_whole_path(world, c, client):
    client.force_login(world.user("sponsor"))
    page = client.get(reverse("barriers:barrier", args=[c.at_smt.pk])).content.decode()
    assert "Its path" in page and "State Management Team" in page


# --- Linking protocols ------------------------------------------------------------------------


def test_a_protocol_joins_a_team_and_the_team_directly_above(world, c):
    with pytest.raises(ValidationError, match="directly above"):
        services.protocol_save(
            protocol=LinkProtocol(
                from_team=world.building,
                to_team=world.region,
                rationale="x",
                responsible_from=world.user("building"),
                responsible_to=world.user("district"),
                format="x",
                response_format="x",
            ),
            by=world.user("sts"),
        )


@pytest.mark.parametrize(
    "field, value", [("every_days", 0), ("minutes", 481), ("response_days", 91)]
)
def test_a_protocol_outside_sense_is_refused_by_the_service_and_the_database(
    world, c, field, value
):
    protocol = LinkProtocol.objects.get(pk=c.protocol.pk)
    setattr(protocol, field, value)
    with pytest.raises(ValidationError):
        services.protocol_save(protocol=protocol, by=world.user("sts"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkProtocol.objects.filter(pk=protocol.pk).update(**{field: value})


def test_keeping_the_protocol_is_read_from_what_the_teams_already_record(world, c):
    TeamUpdateFactory(team=world.district, author=world.user("district"))
    Team.objects.refresh_activity()
    protocol = LinkProtocol.objects.select_related("from_team").get(pk=c.protocol.pk)
    selectors.protocols_keeping([protocol])
    assert protocol.keeping.on_schedule and not protocol.keeping.gone_quiet
    # Three barriers went up from the district to the region; two left it within ten days.
    assert (protocol.keeping.answers, protocol.keeping.answers_in_time) == (3, 2)
    assert protocol.keeping.review_due


def test_a_link_gone_quiet_stands_out(world, c):
    Team.objects.filter(pk=world.district.pk).update(last_active_on=None)
    protocol = LinkProtocol.objects.select_related("from_team").get(pk=c.protocol.pk)
    selectors.protocols_keeping([protocol])
    assert protocol.keeping.gone_quiet


def test_both_teams_review_after_it_has_run_twice(world, c):
    services.protocol_review(
        protocol=c.protocol, by=world.user("district"), team=world.district, verdict="working"
    )
    services.protocol_review(
        protocol=c.protocol, by=world.user("sts"), team=world.region, verdict="adjust"
    )
    protocol = LinkProtocol.objects.select_related("from_team").get(pk=c.protocol.pk)
    selectors.protocols_keeping([protocol])
    assert not protocol.keeping.review_due


# --- Sponsor support -------------------------------------------------------------------------


def ask(world, sponsor="sponsor", by="sts"):
    return services.support_ask(
        request=SupportRequest(
            sponsor=world.user(sponsor),
            kind="resource",
            what="Funding for coaching.",
            needed_by=timezone.localdate() + timedelta(days=7),
        ),
        by=world.user(by),
    )


def test_only_an_sts_asks_and_only_a_paired_sponsor(world):
    with pytest.raises(ValidationError, match="paired"):
        ask(world, sponsor="smt")
    with pytest.raises(PermissionDenied):
        ask(world, by="district")
    assert not SupportRequest.objects.exists()


def test_only_the_sponsor_asked_answers(world):
    request = ask(world)
    with pytest.raises(PermissionDenied):
        services.support_reply(request=request, by=world.user("csso"), text="I can help.")
    services.support_reply(request=request, by=world.user("sponsor"), text="Yes.")
    answered = SupportRequest.objects.get(pk=request.pk)
    assert answered.first_answered_at is not None and answered.first_response_days == 0


def moment(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 10))


def test_response_times_count_working_days_only():
    # Friday to the next Tuesday, with Monday a holiday: one working day.
    assert (
        selectors.working_days(
            moment(2026, 11, 20), moment(2026, 11, 24), {moment(2026, 11, 23).date()}
        )
        == 1
    )
    assert selectors.working_days(moment(2026, 11, 20), moment(2026, 11, 20), set()) == 0


def test_each_sponsors_median_and_slowest_first_response(world):
    Holiday.objects.create(day=moment(2026, 11, 23).date(), name="A holiday")
    for days in (1, 4, 2):
        SupportRequest.objects.create(
            specialist=world.user("sts"),
            sponsor=world.user("sponsor"),
            kind="resource",
            what="x",
            needed_by=timezone.localdate(),
            asked_at=moment(2026, 11, 2),
            first_answered_at=moment(2026, 11, 2) + timedelta(days=days),
            first_response_days=days,
        )
    (times,) = selectors.sponsor_response_times(months=1200)
    assert (times.median_days, times.slowest_days, times.answered) == (2, 4, 3)


def test_the_csso_sees_every_sponsors_times(world, client):
    ask(world)
    client.force_login(world.user("csso"))
    response = client.get(reverse("barriers:support"))
    assert [t.sponsor for t in response.context["times"]] == [world.user("sponsor")]


def test_a_decision_shows_the_systemic_changes_it_led_to(world, c, client):
    m = meetings_of(world)
    c.change.decisions.add(m.decision)
    client.force_login(world.user("smt"))
    page = client.get(reverse("meetings:decision", args=[m.decision.pk])).content.decode()
    assert "Regional substitute pool for coaching days" in page


def test_a_support_request_needed_by_a_day_gone_by_is_refused_by_the_service(world):
    with pytest.raises(ValidationError, match="cannot be in the past"):
        services.support_ask(
            request=SupportRequest(
                sponsor=world.user("sponsor"),
                kind="resource",
                what="Funding for coaching.",
                needed_by=timezone.localdate() - timedelta(days=1),
            ),
            by=world.user("sts"),
        )
    assert not SupportRequest.objects.exists()


def test_the_barriers_my_teams_raised_are_paged_newest_first_with_their_teams(world, c, client):
    from .cycle_world import barrier

    now = timezone.now()
    for n in range(22):
        made = barrier(world, f"Barrier {n}", [world.building, world.district])
        Barrier.objects.filter(pk=made.pk).update(raised_at=now - timedelta(hours=n))
    client.force_login(world.user("sts"))

    first = client.get(reverse("barriers:index")).context["page"]
    second = client.get(reverse("barriers:index") + "?page=2").context["page"]

    assert [b.title for b in first.object_list[:3]] == ["Barrier 0", "Barrier 1", "Barrier 2"]
    assert len(first.object_list) == 20 and first.has_next
    shown = [*first.object_list, *second.object_list]
    assert [b.raised_at for b in shown] == sorted((b.raised_at for b in shown), reverse=True)
    assert len({b.pk for b in shown}) == len(shown)
    assert shown[0].team == world.building and shown[0].holder == world.district


@pytest.mark.parametrize("role", ["sts", "district", "building", "smt"])
def test_the_follow_through_reads_what_the_barrier_rule_lets_each_person_read(world, c, role):
    from meetings.rules import readable_barriers

    user = world.user(role)
    by_join = set(Barrier.objects.filter(readable_barriers(user, joined=True)))
    by_subquery = set(Barrier.objects.filter(readable_barriers(user)))
    assert by_join == by_subquery
    readable = {b for b in Barrier.objects.all() if user.has_perm("meetings.view_barrier", b)}
    assert by_join == readable
