"""Writes of the data system: keyword-only, one transaction each, refusals a person can read.

Every record a person changes is saved through its model, so the audit history (django-
simple-history) shows it; completed administrations are read-only except for an admin's
correction, which the history records with its reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce, Lower

from teams.freshness import moved
from teams.models import Membership, Team, User, today
from teams.rules import require

from .importers import (
    COACHING_COLUMNS,
    TRAINING_COLUMNS,
    ImportProblems,
    InstrumentDefinition,
    parse_instrument,
    read_csv,
    read_date,
    read_flag,
    read_number,
    read_text,
)
from .models import (
    MAX_GROUPS,
    UNIT_RANGES,
    Administration,
    CoachingSession,
    ImportJob,
    Instrument,
    InstrumentVersion,
    Item,
    ItemScore,
    LiveRound,
    Measure,
    MeasureGroup,
    OutcomeTable,
    Period,
    Section,
    Status,
    TrainingEvent,
    Vote,
)

# --- Instruments -----------------------------------------------------------------------------


@transaction.atomic
def instrument_import(*, text: str, filename: str = "", by: User | None) -> tuple[Instrument, bool]:
    """Import an instrument file: a new instrument, or a new version of the one with its
    key when the wording differs. Returns the instrument and whether anything was written.
    Every problem of the file is reported together, and nothing is written unless it is
    whole."""
    if by is not None:
        require(by, "datasystem.define_instruments")
    definition = parse_instrument(text, filename=filename)
    return instrument_from_definition(definition=definition, by=by)


@transaction.atomic
def instrument_from_definition(
    *, definition: InstrumentDefinition, by: User | None, note: str = "Imported from a file."
) -> tuple[Instrument, bool]:
    instrument = Instrument.objects.select_for_update().filter(key=definition.key).first()
    fields = {
        "name": definition.name,
        "kind": definition.kind,
        "description": definition.description,
        "levels": definition.levels,
        "due_every_days": definition.due_every_days,
        "innovation": definition.innovation,
        "threshold": definition.threshold,
        "is_demo": definition.is_demo,
    }
    changed = False
    if instrument is None:
        instrument = Instrument(key=definition.key, **fields)
        changed = True
    else:
        for name, value in fields.items():
            if getattr(instrument, name) != value:
                setattr(instrument, name, value)
                changed = True
    if changed:
        instrument.full_clean()
        instrument.save()
    latest = instrument.latest_version()
    if latest is None or _wording(latest) != definition.wording():
        _write_version(instrument, definition, by=by, note=note)
        changed = True
    return instrument, changed


def _wording(version: InstrumentVersion):
    items = list(version.items.select_related("section").order_by("number"))
    return [
        (s.key, s.title, [(i.key, i.prompt, i.rubric) for i in items if i.section_id == s.pk])
        for s in version.sections.order_by("position")
    ]


def _write_version(instrument, definition: InstrumentDefinition, *, by, note) -> InstrumentVersion:
    latest = instrument.latest_version()
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=(latest.number + 1 if latest else 1), note=note, created_by=by
    )
    number = 0
    for position, section_def in enumerate(definition.sections, start=1):
        section = Section.objects.create(
            version=version, key=section_def.key, title=section_def.title, position=position
        )
        items = []
        for item_def in section_def.items:
            number += 1
            items.append(
                Item(
                    version=version,
                    section=section,
                    key=item_def.key,
                    number=number,
                    prompt=item_def.prompt,
                    rubric=item_def.rubric,
                    max_score=item_def.max_score,
                )
            )
        Item.objects.bulk_create(items)
    return version


@transaction.atomic
def item_reword(
    *, item: Item, prompt: str, meanings: list[str], by: User, note: str = ""
) -> InstrumentVersion:
    """Change an item's wording. The instrument's latest version is changed in place only
    while no administration has used it; otherwise the change makes a new version, so every
    administration keeps the wording it was given with."""
    require(by, "datasystem.define_instruments")
    version = InstrumentVersion.objects.select_for_update().get(pk=item.version_id)
    instrument = version.instrument
    latest = instrument.latest_version()
    if latest.pk != version.pk:
        raise ValidationError("This wording is from an earlier version: edit the latest one.")
    prompt = prompt.strip()
    if len(meanings) != len(item.rubric):
        raise ValidationError("Give a meaning for every score.")
    rubric = [
        {"score": level["score"], "meaning": meaning.strip()}
        for level, meaning in zip(item.rubric, meanings, strict=True)
    ]
    if prompt == item.prompt and rubric == item.rubric:
        raise ValidationError("Nothing to save: the wording is as it was.")
    what = note or f"Item {item.number} reworded."
    if version.administrations.exists():
        definition = _definition_of(version)
        for section in definition.sections:
            for item_def in section.items:
                if item_def.key == item.key:
                    item_def.prompt, item_def.rubric = prompt, rubric
        version = _write_version(instrument, definition, by=by, note=what)
    else:
        item.prompt, item.rubric = prompt, rubric
        item.full_clean()
        item.save()
        version.note = what
        version.created_by = by
        version.save()
    # The instrument's own history records that its wording changed, and by whom.
    instrument._change_reason = f"Wording: {what} (version {version.number})"
    instrument.save()
    return version


def _definition_of(version: InstrumentVersion) -> InstrumentDefinition:
    from .importers import ItemDefinition, SectionDefinition

    instrument = version.instrument
    items = list(version.items.order_by("number"))
    sections = [
        SectionDefinition(
            s.key,
            s.title,
            [
                ItemDefinition(i.key, i.prompt, list(i.rubric))
                for i in items
                if i.section_id == s.pk
            ],
        )
        for s in version.sections.order_by("position")
    ]
    return InstrumentDefinition(
        key=instrument.key,
        name=instrument.name,
        kind=instrument.kind,
        description=instrument.description,
        levels=instrument.levels,
        due_every_days=instrument.due_every_days,
        innovation=instrument.innovation,
        threshold=instrument.threshold,
        is_demo=instrument.is_demo,
        sections=sections,
    )


# --- Administrations -------------------------------------------------------------------------


def eligible_people(team: Team):
    """Who may facilitate or take part: the team's current members and its STSs."""
    members = Membership.objects.filter(team=team).current().values("person_id")
    return User.objects.filter(
        Q(pk__in=members) | Q(supported_teams=team), is_active=True
    ).distinct()


@transaction.atomic
def administration_start(
    *,
    team: Team,
    instrument: Instrument,
    held_on: date,
    facilitator: User,
    participants: list[User],
    by: User,
) -> Administration:
    require(by, "datasystem.start_administration", team)
    if team.level not in instrument.levels:
        raise ValidationError(
            {
                "instrument": f"{instrument} is for {instrument.level_labels} teams, and "
                f"{team} is a {team.level_label.lower()} team."
            }  # fmt: skip
        )
    version = instrument.latest_version()
    if version is None or not version.items.exists():
        raise ValidationError({"instrument": f"{instrument} has no items yet."})
    eligible = set(eligible_people(team).values_list("pk", flat=True))
    if facilitator.pk not in eligible:
        raise ValidationError(
            {"facilitator": f"{facilitator} is not on {team} or one of its STSs."}
        )
    strangers = [p for p in participants if p.pk not in eligible]
    if strangers:
        names = ", ".join(str(p) for p in strangers)
        raise ValidationError({"participants": f"Not on {team}: {names}."})
    if not participants:
        raise ValidationError({"participants": "Choose who takes part."})
    open_one = Administration.objects.filter(
        team=team, instrument=instrument, status=Status.IN_PROGRESS
    ).first()
    if open_one is not None:
        raise ValidationError(
            {
                "instrument": f"{team} already has this assessment in progress (from "
                f"{open_one.held_on:%-d %b %Y}): complete it first."
            }  # fmt: skip
        )
    administration = Administration(
        team=team,
        instrument=instrument,
        version=version,
        held_on=held_on,
        facilitator=facilitator,
        started_by=by,
    )
    administration.full_clean()
    administration.save()
    administration.participants.set(participants)
    LiveRound.objects.create(administration=administration)
    return administration


def _score_choice(item: Item, value: str) -> tuple[int | None, bool]:
    """A posted score: "na" for not applicable, or one of the item's scores."""
    if value == "na":
        return None, True
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = -1
    if score not in item.score_values:
        raise ValidationError(f"Item {item.number}: choose one of its scores.")
    return score, False


def _save_score(
    administration: Administration,
    item: Item,
    *,
    value: str,
    note: str,
    by: User,
    spread: dict | None = None,
    reason: str = "",
) -> ItemScore | None:
    score, not_applicable = _score_choice(item, value)
    current = ItemScore.objects.filter(administration=administration, item=item).first()
    if current is None:
        current = ItemScore(administration=administration, item=item)
    elif (
        current.score == score
        and current.not_applicable == not_applicable
        and current.note == note
        and (spread is None or spread == current.spread)
    ):
        return None  # the audit history records changes, and only changes
    current.score, current.not_applicable, current.note = score, not_applicable, note
    if spread is not None:
        current.spread = spread
    current.recorded_by = by
    if reason:
        current._change_reason = reason
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def scores_record(
    *, administration: Administration, entries: dict[int, tuple[str, str]], by: User
) -> int:
    """The facilitator records scores and notes from the score sheet: {item id: (score,
    note)}; an empty score leaves the item unscored. Returns how many changed."""
    administration = _locked(administration)
    require(by, "datasystem.facilitate", administration)
    items = administration.version.items.in_bulk(list(entries))
    changed = 0
    for item_id, (value, note) in entries.items():
        if item_id not in items:
            raise ValidationError("An item of another instrument was sent.")
        if value == "":
            if note:
                raise ValidationError(f"Item {items[item_id].number}: give a score with the note.")
            # Set back to "not scored yet": the score goes (the history keeps that it did).
            cleared = ItemScore.objects.filter(administration=administration, item_id=item_id)
            for score in cleared:
                score.delete()
                changed += 1
            continue
        changed += (
            _save_score(administration, items[item_id], value=value, note=note, by=by) is not None
        )
    return changed


def _locked(administration: Administration) -> Administration:
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    locked._participant_ids = administration.participant_ids
    return locked


@transaction.atomic
def administration_complete(*, administration: Administration, by: User) -> Administration:
    administration = _locked(administration)
    require(by, "datasystem.facilitate", administration)
    missing = administration.version.items.exclude(
        pk__in=administration.scores.values("item_id")
    ).order_by("number")
    numbers = list(missing.values_list("number", flat=True)[:11])
    if numbers:
        listed = ", ".join(str(n) for n in numbers[:10]) + (
            " and more" if len(numbers) > 10 else ""
        )
        raise ValidationError(
            "Every item needs a score (or not applicable) before the assessment is completed: "
            f"still without one: item{'s' if len(numbers) > 1 else ''} {listed}."
        )
    administration.status = Status.COMPLETED
    administration.completed_on = today()
    administration.total_percent = total_percent(administration)
    administration.full_clean()
    administration.save()
    LiveRound.objects.filter(administration=administration).update(
        item=None, revealed=False, step=F("step") + 1
    )
    return administration


def total_percent(administration: Administration) -> Decimal | None:
    """The percent of possible points, summed in the database; items not applicable are
    left out of both."""
    sums = ItemScore.objects.filter(administration=administration, not_applicable=False).aggregate(
        points=Coalesce(Sum("score"), 0), possible=Coalesce(Sum("item__max_score"), 0)
    )
    if not sums["possible"]:
        return None
    return (Decimal(100) * sums["points"] / sums["possible"]).quantize(Decimal("0.1"))


@transaction.atomic
def score_correct(
    *, administration: Administration, item: Item, value: str, note: str, reason: str, by: User
) -> ItemScore:
    """An admin corrects a completed administration; the history keeps the reason."""
    administration = _locked(administration)
    require(by, "datasystem.correct_score", administration)
    if item.version_id != administration.version_id:
        raise ValidationError("That item is not on this administration.")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the score is corrected."})
    saved = _save_score(
        administration,
        item,
        value=value,
        note=note,
        by=by,
        reason=f"Corrected by an admin: {reason}",
    )
    if saved is None:
        raise ValidationError("Nothing to correct: the score and note are as they were.")
    administration.total_percent = total_percent(administration)
    administration._change_reason = f"Corrected item {item.number}: {reason}"
    administration.save()
    return saved


# --- The live consensus session --------------------------------------------------------------


def _round(administration: Administration) -> LiveRound:
    live, _ = LiveRound.objects.select_for_update().get_or_create(administration=administration)
    return live


@transaction.atomic
def live_open(*, administration: Administration, item: Item, by: User) -> LiveRound:
    """The facilitator opens an item: a new round of votes for it."""
    require(by, "datasystem.facilitate", administration)
    if item.version_id != administration.version_id:
        raise ValidationError("That item is not on this administration.")
    live = _round(administration)
    if live.item_id != item.pk:
        Vote.objects.filter(administration=administration, item=item).delete()
        live.item, live.revealed = item, False
        live.step += 1
        live.save()
    return live


@transaction.atomic
def live_vote(*, administration: Administration, score: int, by: User) -> Vote:
    require(by, "datasystem.take_part", administration)
    live = _round(administration)
    if live.item is None:
        raise ValidationError("No item is open: wait for the facilitator to open one.")
    if live.revealed:
        raise ValidationError("The votes are already shown: the facilitator records the score.")
    if score not in live.item.score_values:
        raise ValidationError("Choose one of the item's scores.")
    vote, _ = Vote.objects.update_or_create(
        administration=administration, item=live.item, voter=by, defaults={"score": score}
    )
    live.step += 1
    live.save(update_fields=["step"])
    return vote


@transaction.atomic
def live_reveal(*, administration: Administration, by: User) -> LiveRound:
    require(by, "datasystem.facilitate", administration)
    live = _round(administration)
    if live.item is None:
        raise ValidationError("Open an item first.")
    if not live.revealed:
        live.revealed = True
        live.step += 1
        live.save()
    return live


@transaction.atomic
def live_record(
    *, administration: Administration, value: str, note: str, by: User
) -> ItemScore | None:
    """The facilitator records the team's consensus on the open item, with the spread of
    its votes, and the session moves to the next item without a score."""
    administration = _locked(administration)
    require(by, "datasystem.facilitate", administration)
    live = _round(administration)
    if live.item is None:
        raise ValidationError("Open an item first.")
    item = live.item
    spread = Counter(
        str(s)
        for s in Vote.objects.filter(administration=administration, item=item).values_list(
            "score", flat=True
        )
    )
    saved = _save_score(
        administration,
        item,
        value=value,
        note=note.strip(),
        by=by,
        spread={str(s): spread.get(str(s), 0) for s in item.score_values},
    )
    scored = administration.scores.values("item_id")
    live.item = (
        administration.version.items.exclude(pk__in=scored)
        .filter(number__gt=item.number)
        .order_by("number")
        .first()
        or administration.version.items.exclude(pk__in=scored).order_by("number").first()
    )
    live.revealed = False
    live.step += 1
    live.save()
    return saved


# --- Training and coaching -------------------------------------------------------------------


@transaction.atomic
def training_record(*, event: TrainingEvent, attendees: list[User], by: User) -> TrainingEvent:
    require(by, "datasystem.record_implementation", event.team)
    event.recorded_by = by
    event.full_clean()
    event.save()
    event.attendees.set(attendees)
    return event


@transaction.atomic
def coaching_record(*, session: CoachingSession, by: User) -> CoachingSession:
    require(by, "datasystem.record_implementation", session.team)
    session.recorded_by = by
    session.full_clean()
    session.save()
    return session


def _teams_by_code(user: User, codes: set[str]) -> dict[str, Team]:
    """The teams the person may record for, by their state codes (in any letter case)."""
    from .rules import recordable_teams

    lowered = [code.lower() for code in codes if code]
    if not lowered:
        return {}
    teams = Team.objects.filter(recordable_teams(user)).annotate(low=Lower("code"))
    return {team.low: team for team in teams.filter(low__in=lowered)}


def _people_by_username(names: set[str]) -> dict[str, User]:
    lowered = [name.lower() for name in names if name]
    if not lowered:
        return {}
    people = User.objects.filter(is_active=True).annotate(low=Lower("username"))
    return {person.low: person for person in people.filter(low__in=lowered)}


def _team_cell(value: str, line: int, teams: dict[str, Team], problems: list[str]) -> Team | None:
    if not value:
        problems.append(f"Line {line}: team_code is empty.")
        return None
    team = teams.get(value.lower())
    if team is None:
        problems.append(f"Line {line}: no team with state code {value!r} that you may record for.")
    return team


def _person_cell(
    value: str, line: int, name: str, people: dict[str, User], problems
) -> User | None:
    person = people.get(value.lower())
    if person is None:
        problems.append(f"Line {line}: {name} {value!r} is not the username of anyone here.")
    return person


@transaction.atomic
def training_import(*, text: str, by: User) -> list[TrainingEvent]:
    """Training events from a CSV: every row checked first; all written or none."""
    require(by, "datasystem.record_some_implementation")
    rows = read_csv(text, TRAINING_COLUMNS)
    teams = _teams_by_code(by, {row["team_code"] for _, row in rows if row["team_code"]})
    usernames = {
        name.strip() for _, row in rows for name in row["attendees"].split(";") if name.strip()
    }
    people = _people_by_username(usernames)
    problems: list[str] = []
    planned = []
    for line, row in rows:
        team = _team_cell(row["team_code"], line, teams, problems)
        held_on = read_date(row["date"], line, problems)
        hours = read_number(row["hours"], line, "hours", Decimal("0.5"), Decimal(80), problems)
        if hours is not None and hours != hours.quantize(Decimal("0.1")):
            problems.append(f"Line {line}: hours to one decimal place at most.")
        covered = read_flag(row["essential_functions"], line, "essential_functions", problems)
        innovation = read_text(row["innovation"], line, "innovation", 150, problems)
        trainer = read_text(row["trainer"], line, "trainer", 150, problems)
        attendees = []
        for name in filter(None, (n.strip() for n in row["attendees"].split(";"))):
            if (person := _person_cell(name, line, "attendee", people, problems)) is not None:
                attendees.append(person)
        if not attendees:
            problems.append(f"Line {line}: attendees is empty (usernames separated by ;).")
        planned.append((team, innovation, held_on, trainer, hours, covered, attendees))
    if problems:
        raise ImportProblems(problems)
    events = []
    for team, innovation, held_on, trainer, hours, covered, attendees in planned:
        event = TrainingEvent(
            team=team, innovation=innovation, held_on=held_on, trainer=trainer, hours=hours,
            covered_essential_functions=covered,
        )  # fmt: skip
        events.append(training_record(event=event, attendees=attendees, by=by))
    return events


@transaction.atomic
def coaching_import(*, text: str, by: User) -> list[CoachingSession]:
    require(by, "datasystem.record_some_implementation")
    rows = read_csv(text, COACHING_COLUMNS)
    teams = _teams_by_code(by, {row["team_code"] for _, row in rows if row["team_code"]})
    people = _people_by_username(
        {row[c] for _, row in rows for c in ("coach", "coachee") if row[c]}
    )
    problems: list[str] = []
    planned = []
    for line, row in rows:
        team = _team_cell(row["team_code"], line, teams, problems)
        held_on = read_date(row["date"], line, problems)
        coach = (
            _person_cell(row["coach"], line, "coach", people, problems)
            if row["coach"]
            else problems.append(f"Line {line}: coach is empty.")
        )
        coachee = (
            _person_cell(row["coachee"], line, "coachee", people, problems)
            if row["coachee"]
            else None
        )
        minutes = read_number(row["minutes"], line, "minutes", 5, 600, problems)
        if minutes is not None and minutes != int(minutes):
            problems.append(f"Line {line}: minutes must be a whole number.")
        innovation = read_text(row["innovation"], line, "innovation", 150, problems)
        focus = read_text(row["focus"], line, "focus", 200, problems)
        planned.append((team, held_on, coach, coachee, minutes, innovation, focus))
    if problems:
        raise ImportProblems(problems)
    sessions = []
    for team, held_on, coach, coachee, minutes, innovation, focus in planned:
        session = CoachingSession(
            team=team, held_on=held_on, coach=coach, coachee=coachee, minutes=int(minutes),
            innovation=innovation, focus=focus,
        )  # fmt: skip
        sessions.append(coaching_record(session=session, by=by))
    return sessions


# --- Outcomes: measures, periods, imports ---------------------------------------------------


@dataclass(frozen=True)
class GroupDefinition:
    key: str
    label: str
    partition: str = ""


TOTAL_GROUP = GroupDefinition("all", "All students")


@transaction.atomic
def measure_save(*, measure: Measure, groups: list[GroupDefinition], by: User) -> Measure:
    """Define a measure, or change one, with the student groups it reports (all students
    always, first). A group with values cannot be removed; a change to the groups or their
    partitions changes what adds up, so the measure's tables are decided again."""
    require(by, "datasystem.define_measures")
    if len(groups) > MAX_GROUPS - 1:
        raise ValidationError({"groups": f"At most {MAX_GROUPS - 1} groups beside all students."})
    keys = [g.key for g in groups]
    if TOTAL_GROUP.key in keys:
        raise ValidationError({"groups": "All students is always reported: leave it out."})
    if len(set(keys)) != len(keys):
        raise ValidationError({"groups": "Each group needs a key of its own."})
    lowest, highest = UNIT_RANGES[measure.unit]
    if measure.lowest is None:
        measure.lowest = Decimal(lowest)
    if measure.highest is None:
        measure.highest = Decimal(highest)
    measure.full_clean()
    measure.save()
    wanted = [TOTAL_GROUP, *groups]
    existing = {g.key: g for g in measure.groups.all()}
    removed = [g for key, g in existing.items() if key not in {w.key for w in wanted}]
    in_use = [g.label for g in removed if g.values.exists()]
    if in_use:
        raise ValidationError(
            {
                "groups": f"{', '.join(in_use)} already ha{'ve' if len(in_use) > 1 else 's'} "
                "values: a group with values cannot be removed."
            }  # fmt: skip
        )
    lines_changed = bool(removed)
    for group in removed:
        group.delete()
    for position, definition in enumerate(wanted):
        group = existing.get(definition.key)
        if group is None:
            group = MeasureGroup(measure=measure, key=definition.key)
            lines_changed = True
        elif group.partition != definition.partition:
            lines_changed = True
        before = (group.label, group.partition, group.position, group.is_total)
        group.label, group.partition = definition.label, definition.partition
        group.position, group.is_total = position, definition is TOTAL_GROUP
        if group.pk is None or before != (
            group.label,
            group.partition,
            group.position,
            group.is_total,
        ):
            group.full_clean()
            group.save()
    if lines_changed:
        tables_decide_again(measure=measure)
    moved("outcomes")
    return measure


def tables_decide_again(*, measure: Measure | None = None) -> None:
    """Mark tables out of date (shown as nothing) and decide them again after commit."""
    from .tasks import decide_tables

    tables = OutcomeTable.objects.all() if measure is None else measure.tables.all()
    if tables.update(decided_at=None):
        transaction.on_commit(decide_tables.delay)


@transaction.atomic
def period_add(*, period: Period, by: User) -> Period:
    require(by, "datasystem.define_measures")
    period.full_clean()
    period.save()
    moved("outcomes")
    return period


@transaction.atomic
def import_start(*, by: User, upload, file_name: str, mode: str) -> ImportJob:
    """Keep the file and queue its import: a Celery task, run inline when no broker is
    configured, after this transaction commits."""
    from .tasks import import_outcomes

    require(by, "datasystem.import_outcomes")
    job = ImportJob(created_by=by, file_name=file_name[:255] or "pasted text", mode=mode)
    job.save()
    job.file.save(f"import-{job.pk}.csv", upload, save=True)
    transaction.on_commit(lambda: import_outcomes.delay(job.pk))
    return job
