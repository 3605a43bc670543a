"""Who may do what, asked of the services as well as the pages: a division's head edits
that division's initiatives only; STSs record stages only for the teams they support; a
second editor never overwrites the first."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from initiatives import services
from initiatives.forms import InitiativeForm
from initiatives.models import Initiative, StageRecord
from teams.models import today

from .factories import initiatives_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(world):
    """The `district` lead heads the academics division (and holds no cabinet role)."""
    division = world.divisions["academics"]
    division.head = world.user("district")
    division.save()
    return world.user("district")


def _payload(initiative, **extra) -> dict:
    form = InitiativeForm(instance=initiative)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "teams":
            value = [str(team.pk) for team in value or ()]
        elif hasattr(value, "pk"):
            value = value.pk
        elif value is True:
            value = "on"
        elif value in (None, False):
            value = ""
        data[name] = value
    return data | extra


def test_a_division_head_edits_their_divisions_initiatives(world, head, client):
    ours = initiatives_world(world).literacy  # academics
    client.force_login(head)
    response = client.post(
        reverse("initiatives:initiative-edit", args=[ours.pk]),
        _payload(ours, name="Structured Literacy PK-3"),
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.name == "Structured Literacy PK-3" and ours.version == 2
    assert ours.history.first().history_user == head


def test_a_division_head_may_not_edit_another_divisions(world, head, client):
    theirs = initiatives_world(world).inclusion  # special education
    client.force_login(head)
    url = reverse("initiatives:initiative-edit", args=[theirs.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _payload(theirs, name="Taken over")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Inclusive Practices"


def test_a_division_head_may_not_move_an_initiative_to_another_division(world, head):
    ours = initiatives_world(world).literacy
    ours.division = world.divisions["special"]
    with pytest.raises(PermissionDenied):
        services.initiative_save(initiative=ours, by=head, seen_version=1)


def test_a_division_head_adds_initiatives_only_to_their_division(world, head, client):
    client.force_login(head)
    form = client.get(reverse("initiatives:initiative-new")).context["form"]
    assert list(form.fields["division"].queryset) == [world.divisions["academics"]]


def test_the_second_of_two_editors_is_refused_and_told_what_changed(world, client):
    literacy = initiatives_world(world).literacy
    url = reverse("initiatives:initiative-edit", args=[literacy.pk])
    started = _payload(literacy)
    client.force_login(world.user("csso"))
    assert client.post(url, started | {"purpose": "The first editor's purpose."}).status_code == 302
    client.force_login(world.user("deputy"))
    response = client.post(url, started | {"name": "The second editor's name"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this initiative while you were editing it" in page
    assert "purpose" in page
    literacy.refresh_from_db()
    assert literacy.name == "Structured Literacy K-3"
    assert literacy.purpose == "The first editor's purpose."


def test_an_end_before_the_start_is_refused(world, client):
    client.force_login(world.user("smt"))
    literacy = initiatives_world(world).literacy
    response = client.post(
        reverse("initiatives:initiative-edit", args=[literacy.pk]),
        _payload(literacy, planned_end_on="2001-01-01"),
    )
    assert "The planned end must be after the start" in response.content.decode()


def test_a_negative_amount_is_refused_with_a_message(world, client):
    client.force_login(world.user("smt"))
    literacy = initiatives_world(world).literacy
    before = literacy.funding.count()
    response = client.post(
        reverse("initiatives:funding-new", args=[literacy.pk]),
        {"fiscal_year": "2027", "source": "state", "amount": "-5", "fte": "1"},
    )
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()
    assert literacy.funding.count() == before


def test_an_sts_records_stages_only_for_the_teams_they_support(world):
    literacy = initiatives_world(world).literacy
    record = StageRecord(
        innovation=literacy,
        team=world.far_district,
        stage="exploration",
        entered_on=today(),
        evidence="Looked at it.",
    )
    with pytest.raises(PermissionDenied):
        services.stage_record(record=record, by=world.user("sts"))
    for role in ("csso", "admin", "district"):
        record.team = world.district
        with pytest.raises(PermissionDenied):
            services.stage_record(record=record, by=world.user(role))


def test_a_stage_move_keeps_the_history_and_one_current_stage(world):
    literacy = initiatives_world(world).literacy
    moved = services.stage_record(
        record=StageRecord(
            innovation=literacy,
            team=world.district,
            stage="initial",
            entered_on=today(),
            evidence="First teachers coached.",
        ),
        by=world.user("sts"),
    )
    records = StageRecord.objects.filter(innovation=literacy, team=world.district)
    assert records.count() == 2
    assert list(records.filter(is_current=True)) == [moved]
    with pytest.raises(ValidationError, match="already in initial implementation"):
        services.stage_record(
            record=StageRecord(
                innovation=literacy,
                team=world.district,
                stage="initial",
                entered_on=today(),
                evidence="Again.",
            ),
            by=world.user("sts"),
        )


def test_the_zone_comparison_kept_for_everyone_moves_with_the_next_stage_recorded(world):
    from initiatives import selectors

    literacy = initiatives_world(world).literacy
    before = {z.innovation: z for z in selectors.zone_comparison([literacy])}[literacy.name]
    services.stage_record(
        record=StageRecord(
            innovation=literacy,
            team=world.district,
            stage="full",
            entered_on=today(),
            evidence="Every classroom coached.",
        ),
        by=world.user("sts"),
    )
    after = {z.innovation: z for z in selectors.zone_comparison([literacy])}[literacy.name]
    in_place = (after.zone_in_place + after.other_in_place) - (
        before.zone_in_place + before.other_in_place
    )
    assert in_place == 1


def test_the_heatmaps_kept_count_takes_in_a_units_first_stage_at_once(world, client):
    literacy = initiatives_world(world).literacy
    client.force_login(world.user("smt"))
    url = reverse("initiatives:stages")

    def counted() -> int:
        return client.get(url).context["page"].paginator.count

    before = counted()
    assert before == StageRecord.objects.filter(is_current=True).values("team").distinct().count()
    services.stage_record(
        record=StageRecord(
            innovation=literacy,
            team=world.building,
            stage="exploration",
            entered_on=today(),
            evidence="Looked at it with the district.",
        ),
        by=world.user("sts"),
    )
    assert counted() == before + 1


def test_each_heatmap_cell_writes_its_stage_and_days_not_colour_alone(world, client):
    literacy = initiatives_world(world).literacy
    # The district has been in installation since yesterday.
    StageRecord.objects.filter(innovation=literacy, team=world.district).update(
        entered_on=today() - timedelta(days=1)
    )
    client.force_login(world.user("smt"))

    page = client.get(reverse("initiatives:stages")).content.decode()

    district_row = page.split(f'href="/initiatives/stages/teams/{world.district.pk}/"')[1]
    district_row = district_row.split("</tr>")[0]
    assert '<td class="stage stage-installation">' in district_row
    assert '<span class="stage-name">2. Installation</span>' in district_row
    assert '<span class="stage-days">1 day</span>' in district_row


def test_a_stage_is_recorded_only_for_an_innovation(world):
    legacy = initiatives_world(world).legacy
    with pytest.raises(ValidationError, match="not marked as an innovation"):
        services.stage_record(
            record=StageRecord(
                innovation=legacy,
                team=world.district,
                stage="exploration",
                entered_on=today(),
                evidence="No.",
            ),
            by=world.user("sts"),
        )


def test_the_cabinet_sees_the_affirmation_warning_and_others_do_not(world, client):
    initiatives_world(world)  # the last affirmation is 14 months old
    for role, shown in (("csso", True), ("smt", True), ("sponsor", True), ("sts", False)):
        client.force_login(world.user(role))
        page = client.get("/").content.decode()
        assert ("Affirmation overdue" in page) is shown, role


def test_a_recent_affirmation_lifts_the_warning(world, client):
    initiatives_world(world)
    client.force_login(world.user("csso"))
    response = client.post(
        reverse("initiatives:affirmation-new"), {"affirmed_on": today().isoformat(), "note": ""}
    )
    assert response.status_code == 302
    assert "Affirmation overdue" not in client.get("/").content.decode()


def test_every_change_is_in_the_audit_history(world):
    w = initiatives_world(world)
    services.alignment_save(
        alignment=w.literacy.alignments.model(
            initiative=w.literacy, goal=w.goals[2], strength="contributing"
        ),
        by=world.user("smt"),
    )
    assert Initiative.history.model.objects.filter(id=w.literacy.pk).exists()
    assert w.literacy.alignments.model.history.filter(goal=w.goals[2]).exists()
