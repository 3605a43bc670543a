"""Writes for the vision, the inventory, reviews, stages and selections: one transaction
each, refusals in words a person can act on, and the rules asked here too, so they hold
whichever page or command calls."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from meetings.services import action_item_add, decision_record
from teams.freshness import moved
from teams.models import NOTE_LIMIT, TEXT_LIMIT, Team, User, today

from .models import (
    DECISION_EFFECTS,
    TAKEN_UP,
    Affirmation,
    Candidate,
    Decision,
    Funding,
    GoalAlignment,
    Indicator,
    Initiative,
    InventorySettings,
    Overlap,
    RatingSheet,
    Review,
    SelectionProtocol,
    SelectionRating,
    StageRecord,
    Status,
    StrategicGoal,
    VisionVersion,
    add_months,
    next_review_after,
)
from .rules import require

# --- The SMT meetings things are decided at --------------------------------------------------


def check_smt_meeting(meeting: Meeting | None, day: date | None, field: str) -> None:
    """A record taken at a meeting names one of the SMT's, not cancelled, on its own day."""
    if meeting is None:
        return
    if not meeting.team.is_management_team:
        raise ValidationError({"meeting": "Choose a meeting of the State Management Team."})
    if not meeting.is_open:
        raise ValidationError({"meeting": "That meeting was cancelled; choose the one held."})
    if day is not None and meeting.held_on != day:
        raise ValidationError(
            {
                field: f"The meeting chosen was on {meeting.held_on:%-d %B %Y}: give that day, "
                "or choose the meeting of the day you gave."
            }
        )


def _register(*, meeting: Meeting, by: User, text: str, rationale: str, review_on, evidence):
    """Put a decision in the meeting's register, if the person may record decisions there."""
    if not rules.has_perm("meetings.record_decision", by, meeting):
        chair = meeting.facilitator or "the SMT's chair"
        raise ValidationError(
            {
                "meeting": f"Decisions at this meeting go into its register through its "
                f"facilitator ({chair}) or the SMT's chair. Ask them to record it, or record "
                "it here without naming the meeting."
            }
        )
    return decision_record(
        meeting=meeting,
        by=by,
        text=text[:NOTE_LIMIT],
        rationale=rationale[:TEXT_LIMIT],
        review_on=review_on,
        evidence=evidence,
    )


# --- Settings and the vision ----------------------------------------------------------------


@transaction.atomic
def settings_save(*, inventory_settings: InventorySettings, by: User) -> InventorySettings:
    require(by, "initiatives.manage_settings")
    inventory_settings.full_clean()
    inventory_settings.save()
    return inventory_settings


@transaction.atomic
def vision_adopt(*, version: VisionVersion, by: User) -> VisionVersion:
    """A new version of the vision and mission, adopted by the SMT on a day."""
    require(by, "initiatives.edit_vision")
    if version.adopted_on and version.adopted_on > today():
        raise ValidationError({"adopted_on": "Record a version on or after the day it is adopted."})
    newest = VisionVersion.objects.newest_first().first()
    if newest and version.adopted_on and version.adopted_on < newest.adopted_on:
        raise ValidationError(
            {
                "adopted_on": f"The current version was adopted on {newest.adopted_on:%-d %B %Y}; "
                "a new version is adopted on or after that day."
            }
        )
    check_smt_meeting(version.meeting, version.adopted_on, "adopted_on")
    version.adopted_by = by
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def goal_save(*, goal: StrategicGoal, by: User) -> StrategicGoal:
    require(by, "initiatives.edit_vision")
    if goal.adopted_in_id is None:
        current = VisionVersion.current()
        if current is None:
            raise ValidationError("Adopt the vision first: goals hang from it.")
        goal.adopted_in = current
    if goal.retired_on and goal.retired_on < goal.adopted_in.adopted_on:
        raise ValidationError(
            {"retired_on": "A goal retires after the vision it was adopted under."}
        )
    goal.full_clean()
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError as error:
        raise ValidationError({"number": "A current goal already has this number."}) from error
    return goal


@transaction.atomic
def affirmation_record(*, affirmation: Affirmation, by: User) -> Affirmation:
    """The SMT affirmed the vision and implementation science as its means."""
    require(by, "initiatives.edit_vision")
    if affirmation.affirmed_on and affirmation.affirmed_on > today():
        raise ValidationError({"affirmed_on": "Record an affirmation once it has happened."})
    vision = VisionVersion.current(affirmation.affirmed_on)
    if vision is None:
        raise ValidationError(
            {"affirmed_on": "No vision had been adopted by that day: adopt the vision first."}
        )
    check_smt_meeting(affirmation.meeting, affirmation.affirmed_on, "affirmed_on")
    affirmation.vision = vision
    affirmation.recorded_by = by
    affirmation.full_clean()
    affirmation.save()
    return affirmation


# --- The inventory ---------------------------------------------------------------------------


@transaction.atomic
def initiative_save(
    *,
    initiative: Initiative,
    by: User,
    teams: Iterable[Team] | None = None,
    seen_version: int | None = None,
    started_from: dict | None = None,
) -> Initiative:
    """Add or change an initiative. `seen_version` is the version the person started from:
    when someone else saved in between, the save is refused and says what they changed."""
    if initiative.pk is None:
        require(by, "initiatives.add_initiative")
        require(by, "initiatives.change_initiative", initiative, message=_not_your_division())
    else:
        stored = Initiative.objects.select_for_update().get(pk=initiative.pk)
        require(by, "initiatives.change_initiative", stored)
        require(by, "initiatives.change_initiative", initiative, message=_not_your_division())
        if seen_version is not None and stored.version != seen_version:
            raise ValidationError(_conflict(stored, started_from or {}))
        initiative.version = stored.version + 1
    initiative.full_clean()
    initiative.save()
    if teams is not None:
        initiative.teams.set(teams)
    refresh_review_dates(initiative)
    return initiative


def _not_your_division() -> str:
    return "You may add and change the initiatives of the division you head only."


def _conflict(stored: Initiative, started_from: dict) -> str:
    changed = []
    for name, before in started_from.items():
        try:
            field = Initiative._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a form field that is not a model field
            continue
        if field.many_to_many:
            now = {team.pk for team in getattr(stored, name).all()}
            was = {getattr(team, "pk", team) for team in before or ()}
            if now != was:
                changed.append(str(field.verbose_name))
            continue
        now = field.value_from_object(stored)
        if getattr(now, "pk", now) != getattr(before, "pk", before):
            changed.append(str(field.verbose_name))
    what = f" (they changed: {', '.join(changed)})" if changed else ""
    return (
        f"Someone else saved this initiative while you were editing it{what}. Your changes "
        "were not saved: open the initiative again to see theirs, then make yours."
    )


def refresh_review_dates(initiative: Initiative) -> None:
    """The last review and the next one due, from the latest decision (or the start)."""
    latest = initiative.reviews.order_by("-held_on", "-pk").first()
    if latest is None:
        last, following = None, add_months(initiative.started_on, initiative.review_cycle_months)
    else:
        last = latest.held_on
        following = next_review_after(
            latest.decision, latest.held_on, initiative.review_cycle_months
        )
    if initiative.status not in Status.values or initiative.status == Status.ENDED:
        following = None
    Initiative.objects.filter(pk=initiative.pk).update(
        last_reviewed_on=last, next_review_on=following
    )
    initiative.last_reviewed_on, initiative.next_review_on = last, following


@transaction.atomic
def funding_save(*, funding: Funding, by: User) -> Funding:
    require(by, "initiatives.change_initiative", funding.initiative)
    funding.full_clean()
    try:
        with transaction.atomic():
            funding.save()
    except IntegrityError as error:
        raise ValidationError(
            "This initiative already has a line for this source and year; change that one."
        ) from error
    return funding


@transaction.atomic
def funding_remove(*, funding: Funding, by: User) -> None:
    require(by, "initiatives.change_initiative", funding.initiative)
    funding.delete()


@transaction.atomic
def alignment_save(*, alignment: GoalAlignment, by: User) -> GoalAlignment:
    require(by, "initiatives.change_initiative", alignment.initiative)
    if alignment.goal_id and alignment.goal.retired_on is not None:
        raise ValidationError({"goal": "That goal is retired; align to a current goal."})
    existing = GoalAlignment.objects.filter(
        initiative=alignment.initiative, goal=alignment.goal_id
    ).first()
    if existing is not None and existing.pk != alignment.pk:
        # Aligning again to the same goal changes the strength, rather than failing.
        existing.strength, existing.note = alignment.strength, alignment.note
        alignment = existing
    alignment.full_clean()
    alignment.save()
    return alignment


@transaction.atomic
def alignment_remove(*, alignment: GoalAlignment, by: User) -> None:
    require(by, "initiatives.change_initiative", alignment.initiative)
    alignment.delete()


@transaction.atomic
def overlap_record(
    *,
    initiative: Initiative,
    other: Initiative,
    by: User,
    shares_population: bool,
    shares_outcome: bool,
    shares_staff: bool,
    note: str,
) -> Overlap:
    require(by, "initiatives.change_initiative", initiative)
    if other.pk == initiative.pk:
        raise ValidationError({"other": "An initiative cannot overlap itself."})
    if not (shares_population or shares_outcome or shares_staff):
        raise ValidationError("Say what the two share: population, outcome or staff.")
    first, second = sorted((initiative, other), key=lambda i: i.pk)
    overlap = Overlap.objects.filter(first=first, second=second).first() or Overlap(
        first=first, second=second, recorded_by=by
    )
    overlap.shares_population = shares_population
    overlap.shares_outcome = shares_outcome
    overlap.shares_staff = shares_staff
    overlap.note = note
    overlap.full_clean()
    overlap.save()
    return overlap


@transaction.atomic
def overlap_remove(*, overlap: Overlap, by: User) -> None:
    require(by, "initiatives.change_initiative", overlap.first)
    overlap.delete()


# --- Reviews ---------------------------------------------------------------------------------


@transaction.atomic
def review_record(*, review: Review, by: User) -> Review:
    """The SMT's review of an initiative, ending in a decision: the decision sets the
    initiative's status and its next review date."""
    require(by, "initiatives.review")
    initiative = Initiative.objects.select_for_update().get(pk=review.initiative_id)
    if initiative.status == Status.ENDED:
        raise ValidationError("This initiative has ended; there is nothing left to review.")
    if review.held_on and review.held_on > today():
        raise ValidationError({"held_on": "Record a review once it has been held."})
    if review.held_on and review.held_on < initiative.started_on:
        raise ValidationError({"held_on": "A review is held after the initiative starts."})
    if review.decision == Decision.CONSOLIDATE:
        partner = review.consolidate_with
        if partner is None:
            raise ValidationError({"consolidate_with": "Name the initiative it joins."})
        if partner.pk == initiative.pk:
            raise ValidationError({"consolidate_with": "Choose another initiative to join."})
        if partner.status == Status.ENDED:
            raise ValidationError({"consolidate_with": f"{partner} has ended; choose another."})
    else:
        review.consolidate_with = None
    review.was_due_on = initiative.next_review_on
    review.recorded_by = by
    review.next_review_on = next_review_after(
        review.decision, review.held_on, initiative.review_cycle_months
    )
    check_smt_meeting(review.meeting, review.held_on, "held_on")
    review.full_clean()
    review.save()
    if review.meeting is not None:
        review.recorded_decision = _register(
            meeting=review.meeting,
            by=by,
            text=f"{initiative}: {review.get_decision_display().lower()}"
            + (f" (with {review.consolidate_with})" if review.consolidate_with else "")
            + f". Next review by {review.next_review_on:%-d %B %Y}.",
            rationale=review.rationale,
            review_on=review.next_review_on,
            evidence=[review],
        )
        review.save(update_fields=["recorded_decision"])
    latest = initiative.reviews.order_by("-held_on", "-pk").first()
    if latest.pk == review.pk:
        # A review recorded late for an earlier day does not undo a newer decision.
        initiative.status = DECISION_EFFECTS[review.decision][0]
        initiative.version += 1
        initiative.save(update_fields=["status", "version"])
    refresh_review_dates(initiative)
    return review


# --- Stages of implementation ---------------------------------------------------------------


@transaction.atomic
def stage_record(*, record: StageRecord, by: User) -> StageRecord:
    """A unit moves into a stage of an innovation; its earlier records stay as history."""
    require(by, "initiatives.record_stage", record.team)
    innovation = record.innovation
    if not innovation.is_innovation:
        raise ValidationError({"innovation": f"{innovation} is not marked as an innovation."})
    if record.entered_on and record.entered_on > today():
        raise ValidationError({"entered_on": "Record a stage once the unit has entered it."})
    current = (
        StageRecord.objects.select_for_update()
        .filter(innovation=innovation, team=record.team, is_current=True)
        .first()
    )
    if current is not None:
        if current.stage == record.stage:
            raise ValidationError(
                {"stage": f"{record.team} is already in {current.get_stage_display().lower()}."}
            )
        if record.entered_on and record.entered_on < current.entered_on:
            raise ValidationError(
                {
                    "entered_on": f"{record.team} entered its current stage on "
                    f"{current.entered_on:%-d %B %Y}; a later move cannot come before it."
                }
            )
        # The flag is derived (which record is the latest), not a decision: it is kept
        # out of the history, so it is moved without a history row.
        StageRecord.objects.filter(pk=current.pk).update(is_current=False)
    record.recorded_by = by
    record.is_current = True
    record.full_clean()
    record.save()
    moved("stages")
    return record


# --- Selection ------------------------------------------------------------------------------


@transaction.atomic
def protocol_load(*, definition: dict, by: User) -> SelectionProtocol:
    """A protocol from its definition (already read from JSON or YAML and checked by
    `selection.read_protocol`): the protocol and its indicators, or nothing."""
    require(by, "initiatives.manage_protocols")
    if SelectionProtocol.objects.filter(name__iexact=definition["name"]).exists():
        raise ValidationError(
            f"A protocol named {definition['name']} is already loaded; rename it in the file."
        )
    protocol = SelectionProtocol(
        name=definition["name"],
        description=definition.get("description", ""),
        scale_min=definition["scale"]["min"],
        scale_max=definition["scale"]["max"],
        scale_labels=definition["scale"].get("labels", {}),
        loaded_by=by,
    )
    protocol.full_clean()
    protocol.save()
    for order, item in enumerate(definition["indicators"], start=1):
        indicator = Indicator(
            protocol=protocol,
            order=order,
            key=item["key"],
            name=item["name"],
            group=item.get("group", ""),
            prompt=item["prompt"],
        )
        indicator.full_clean()
        indicator.save()
    return protocol


@transaction.atomic
def indicator_save(*, indicator: Indicator, by: User) -> Indicator:
    require(by, "initiatives.manage_protocols")
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def candidate_save(*, candidate: Candidate, raters: Iterable[User], by: User) -> Candidate:
    if candidate.pk is None:
        require(by, "initiatives.manage_selection")
        candidate.proposed_by = by
    else:
        require(by, "initiatives.change_candidate", candidate)
    raters = list(raters)
    if not raters:
        raise ValidationError({"raters": "Choose at least one rater."})
    if candidate.pk is not None:
        rated = set(
            candidate.sheets.filter(submitted_at__isnull=False).values_list("rater_id", flat=True)
        )
        dropped = rated - {rater.pk for rater in raters}
        if dropped:
            names = ", ".join(str(p) for p in User.objects.filter(pk__in=dropped))
            raise ValidationError(
                {"raters": f"{names} already submitted ratings; they stay among the raters."}
            )
    candidate.full_clean()
    candidate.save()
    candidate.raters.set(raters)
    return candidate


@transaction.atomic
def ratings_save(
    *,
    candidate: Candidate,
    rater: User,
    scores: dict[int, tuple[int, str]],
    submit: bool,
) -> RatingSheet:
    """A rater's scores (indicator id -> score and note), kept private until submitted."""
    require(rater, "initiatives.rate", candidate)
    sheet, _ = RatingSheet.objects.select_for_update().get_or_create(
        candidate=candidate, rater=rater
    )
    if sheet.submitted_at is not None:
        raise ValidationError(
            f"You submitted your ratings on {timezone.localtime(sheet.submitted_at):%-d %B %Y}; "
            "they can no longer change."
        )
    protocol = candidate.protocol
    indicators = {i.pk: i for i in protocol.indicators.all()}
    if set(scores) != set(indicators):
        raise ValidationError("Rate every indicator of the protocol.")
    existing = {r.indicator_id: r for r in sheet.ratings.all()}
    for indicator_id, (score, note) in scores.items():
        if not protocol.scale_min <= score <= protocol.scale_max:
            raise ValidationError(
                f"Scores run from {protocol.scale_min} to {protocol.scale_max}; "
                f"{indicators[indicator_id]} was given {score}."
            )
        rating = existing.get(indicator_id) or SelectionRating(
            sheet=sheet, indicator_id=indicator_id
        )
        if rating.pk and (rating.score, rating.note) == (score, note):
            continue
        rating.score, rating.note = score, note
        rating.full_clean()
        rating.save()
    if submit:
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["submitted_at"])
    return sheet


@transaction.atomic
def candidate_decide(
    *,
    candidate: Candidate,
    outcome: str,
    decided_on: date,
    rationale: str,
    by: User,
    meeting: Meeting | None = None,
) -> Candidate:
    """The SMT's outcome for a candidate. Adopted or adapted, it becomes a proposed
    initiative in the inventory, marked as an innovation, without retyping."""
    require(by, "initiatives.change_candidate", candidate)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not candidate.is_open:
        raise ValidationError("The outcome for this candidate is already recorded.")
    if decided_on > today():
        raise ValidationError({"decided_on": "Record the outcome once it is decided."})
    submitted = candidate.sheets.filter(submitted_at__isnull=False)
    if outcome in TAKEN_UP and not submitted.exists():
        raise ValidationError(
            {"outcome": "No rater has submitted yet: rate the candidate before adopting it."}
        )
    check_smt_meeting(meeting, decided_on, "decided_on")
    candidate.outcome = outcome
    candidate.meeting = meeting
    candidate.decided_on = decided_on
    candidate.rationale = rationale
    candidate.decided_by = by
    if outcome in TAKEN_UP:
        candidate.initiative = _initiative_from(candidate, submitted)
    candidate.full_clean()
    candidate.save()
    if meeting is not None:
        candidate.recorded_decision = _register(
            meeting=meeting,
            by=by,
            text=f"Selection of {candidate}: {candidate.get_outcome_display().lower()}.",
            rationale=rationale,
            review_on=None,
            evidence=[candidate],
        )
        candidate.save(update_fields=["recorded_decision"])
    return candidate


@transaction.atomic
def review_action_add(
    *, review: Review, by: User, what: str, owner: User, due_on: date
) -> ActionItem:
    """An action item for the SMT that came from a review (shown as its origin)."""
    require(by, "initiatives.review")
    smt = Team.objects.filter(is_management_team=True).first()
    if smt is None:
        raise ValidationError("The State Management Team is not set up yet.")
    if due_on < review.held_on:
        raise ValidationError({"due_on": "An action from a review falls due after the review."})
    return action_item_add(team=smt, by=by, what=what, owner=owner, due_on=due_on, origin=review)


def _initiative_from(candidate: Candidate, submitted) -> Initiative:
    scores = SelectionRating.objects.filter(sheet__in=submitted).aggregate(
        mean=Avg("score"), raters=Count("sheet", distinct=True)
    )
    checklist = "; ".join(f"{label}: {shown.lower()}" for label, _, shown in candidate.checklist())
    evidence = (
        f"Selected with {candidate.protocol} on {candidate.decided_on:%-d %B %Y} "
        f"({candidate.get_outcome_display().lower()}): mean score {scores['mean']:.1f} of "
        f"{candidate.protocol.scale_max} from {scores['raters']} rater(s). "
        f"Usable-innovation checklist: {checklist}."
    )
    initiative = Initiative(
        name=candidate.name[:200],
        division=candidate.division,
        purpose=candidate.description,
        target_population=candidate.target_population or "To be set as the initiative is planned",
        intended_outcomes=candidate.intended_outcomes or candidate.description,
        evidence_base=evidence,
        started_on=candidate.decided_on,
        status=Status.PROPOSED,
        is_innovation=True,
        review_cycle_months=InventorySettings.current().review_cycle_months,
    )
    initiative.full_clean()
    initiative.save()
    refresh_review_dates(initiative)
    return initiative
