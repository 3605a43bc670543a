"""Writes: each service keeps its invariant and runs in one transaction.

Services raise `ValidationError` with a message a person can act on; views put it on
the form. Where a wrong caller would break a rule of the handouts (who grants the
cabinet's roles, who appoints sponsors), the service asks `rules.require` itself, so the
rule holds whichever page, command or admin the call comes from. The sponsor rule's own
services live in `sponsor_rule.py`.
"""

from __future__ import annotations

from datetime import date

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from .freshness import moved
from .models import (
    APPOINTING_ROLES,
    Agency,
    DevelopmentReview,
    Division,
    Membership,
    PasswordNotice,
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
from .rules import require
from .selectors import parent_seat_holders
from .sponsor_rule import end_appointment, end_pairing, sponsor_rule_may_have_changed
from .standing import standing_changed

ADMIN_SET_PASSWORD = "Password set by an admin"

# --- Organisation -------------------------------------------------------------------------


@transaction.atomic
def agency_save(*, agency: Agency) -> Agency:
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def division_save(*, division: Division) -> Division:
    division.full_clean()
    try:
        division.save()
    except IntegrityError as error:  # the same name saved at the same moment
        raise ValidationError({"name": "A division with this name already exists."}) from error
    sponsor_rule_may_have_changed()
    moved("people")
    return division


@transaction.atomic
def person_save(*, person: User) -> User:
    person.full_clean(exclude=["password"])
    if person._state.adding and not person.has_usable_password():
        person.set_unusable_password()
    try:
        person.save()
    except IntegrityError as error:
        raise ValidationError({"username": "This username is taken."}) from error
    standing_changed(person)
    sponsor_rule_may_have_changed()
    return person


@transaction.atomic
def person_password_set(*, person: User, password: str, by: User) -> PasswordNotice:
    """An admin sets someone's password: recorded as exactly that, and the person is told
    at their next sign-in (an admin who knows a password could sign in as its owner)."""
    require(by, "teams.set_password", person, message="Change your own password yourself.")
    person.set_password(password)
    person._change_reason = f"{ADMIN_SET_PASSWORD} ({by})"
    person.save()
    return PasswordNotice.objects.create(person=person, set_by=by)


@transaction.atomic
def person_leave(*, person: User, left_on: date, by: User) -> None:
    """The person has left the agency: from `left_on` they hold no role, seat, sponsorship
    or pairing, support no team, and cannot sign in. Each end is saved through its model,
    so the audit history shows every one."""
    require(by, "teams.record_departure", person)
    if person.left_on is not None:
        raise ValidationError({"left_on": f"{person} has already left, on {person.left_on}."})
    if left_on > today():
        raise ValidationError({"left_on": "Record a departure on or after the day it happens."})
    for assignment in RoleAssignment.objects.filter(person=person).filter(_open_on(left_on)):
        _end_dated(assignment, left_on)
    for membership in Membership.objects.filter(person=person).filter(_open_on(left_on)):
        _end_dated(membership, left_on)
    for appointment in SponsorAppointment.objects.filter(sponsor=person).filter(_open_on(left_on)):
        end_appointment(appointment, ended_on=left_on, ended_by=by)
    for pairing in SponsorPairing.objects.filter(Q(sponsor=person) | Q(specialist=person)).filter(
        _open_on(left_on)
    ):
        end_pairing(pairing, ended_on=left_on)
    for team in person.supported_teams.all():
        team.specialists.remove(person)
    person.left_on = left_on
    person.is_active = False
    person.full_clean(exclude=["password"])
    person.save()
    standing_changed(person)
    sponsor_rule_may_have_changed()


def _open_on(day: date) -> Q:
    """Records not yet ended by `day` (current ones and those still to begin)."""
    return Q(ended_on__isnull=True) | Q(ended_on__gt=day)


def _end_dated(record, day: date) -> None:
    if day <= record.started_on:
        record.delete()  # had not begun: withdrawn
        return
    record.ended_on = day
    record.full_clean()
    record.save(update_fields=["ended_on"])


# --- Roles ---------------------------------------------------------------------------------


def grant_permission(role: str) -> str:
    return "teams.grant_appointing_role" if role in APPOINTING_ROLES else "teams.grant_role"


@transaction.atomic
def role_assign(
    *, person: User, role: str, by: User, started_on: date | None = None, note: str = ""
) -> RoleAssignment:
    require(
        by,
        grant_permission(role),
        person,
        message="Nobody grants a role to themselves, and the CSSO and Deputy roles are "
        "granted only as the agency has set.",
    )
    assignment = RoleAssignment(
        person=person, role=role, started_on=started_on or today(), note=note, granted_by=by
    )
    if RoleAssignment.objects.filter(person=person, role=role, ended_on__isnull=True).exists():
        raise ValidationError(
            {"role": f"{person} already holds the role {assignment.get_role_display()}."}
        )
    if not person.is_with_agency(assignment.started_on):
        raise ValidationError({"role": f"{person} is no longer with the agency."})
    assignment.full_clean()
    _check_cabinet_seats(assignment)
    assignment.save()
    standing_changed(person)
    sponsor_rule_may_have_changed()
    return assignment


@transaction.atomic
def role_correct(
    *,
    assignment: RoleAssignment,
    by: User,
    started_on: date,
    ended_on: date | None,
    note: str,
) -> RoleAssignment:
    """Correct a role's dates or note: a slip in a date must never leave a role stuck."""
    require(by, "teams.correct_role", assignment)
    assignment.started_on, assignment.ended_on, assignment.note = started_on, ended_on, note
    assignment.full_clean()
    _check_cabinet_seats(assignment)
    assignment.save()
    standing_changed(assignment.person)
    sponsor_rule_may_have_changed()
    return assignment


@transaction.atomic
def role_end(
    *, assignment: RoleAssignment, by: User, ended_on: date | None = None
) -> RoleAssignment | None:
    """End a role from `ended_on` (today by default). A role that has not begun by then is
    withdrawn instead, so a role dated in the future can always be undone."""
    require(by, "teams.end_role", assignment)
    if assignment.ended_on is not None and assignment.ended_on <= today():
        raise ValidationError("This role has already ended.")
    _end_dated(assignment, ended_on or today())
    standing_changed(assignment.person)
    sponsor_rule_may_have_changed()
    return assignment if assignment.pk else None


def _check_cabinet_seats(assignment: RoleAssignment) -> None:
    """One CSSO at a time; as many Deputies at once as the agency allows."""
    if assignment.role not in APPOINTING_ROLES:
        return
    overlapping = (
        RoleAssignment.objects.filter(role=assignment.role)
        .exclude(pk=assignment.pk)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=assignment.started_on))
        .select_related("person")
    )
    if assignment.ended_on is not None:
        overlapping = overlapping.filter(started_on__lt=assignment.ended_on)
    others = list(overlapping)
    if assignment.role == Role.CSSO and others:
        holder = others[0]
        until = f" until {holder.ended_on:%-d %B %Y}" if holder.ended_on else ""
        raise ValidationError(
            {
                "role": f"{holder.person} is the CSSO{until}. The agency has one CSSO at a "
                "time: end that role first, or start this one when it ends."
            }
        )
    allowed = Agency.current().max_deputies
    if assignment.role == Role.DEPUTY and len(others) >= allowed:
        names = ", ".join(str(other.person) for other in others)
        raise ValidationError(
            {
                "role": f"The agency allows {allowed} Deputy CSSO{'s' * (allowed != 1)} at a "
                f"time, and {names} already serve{'s' * (len(others) == 1)} then."
            }
        )


# --- Sponsor pairings ------------------------------------------------------------------------


@transaction.atomic
def sponsor_pair(*, sponsor: User, specialist: User, by: User) -> SponsorPairing:
    require(
        by,
        "teams.pair_sponsor",
        message="Only the CSSO, the Deputy CSSO or an admin may pair sponsors.",
    )
    if not User.objects.sponsors().filter(pk=sponsor.pk).exists():
        raise ValidationError({"sponsor": f"{sponsor} is not a current sponsor."})
    if not User.objects.specialists().filter(pk=specialist.pk).exists():
        raise ValidationError(
            {"specialist": f"{specialist} is not a current State Transformation Specialist."}
        )
    if SponsorPairing.objects.current().filter(sponsor=sponsor, specialist=specialist).exists():
        raise ValidationError(f"{sponsor} already champions {specialist}.")
    pairing = SponsorPairing(sponsor=sponsor, specialist=specialist)
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def sponsor_pairing_end(*, pairing: SponsorPairing, by: User) -> None:
    require(by, "teams.pair_sponsor")
    if pairing.ended_on is not None:
        raise ValidationError("This pairing has already ended.")
    end_pairing(pairing, ended_on=today())


# --- The cascade ------------------------------------------------------------------------------


@transaction.atomic
def team_save(*, team: Team, specialists: list[User] | None = None) -> Team:
    # Team.clean keeps rule 2 both ways: its own place, and the teams below it.
    team.full_clean()
    moved = (
        team.pk is not None
        and Team.objects.filter(pk=team.pk)
        .exclude(parent_id=team.parent_id, level=team.level)
        .exists()
    )
    if specialists is not None:
        sts_ids = set(User.objects.specialists().values_list("pk", flat=True))
        not_sts = [p for p in specialists if p.pk not in sts_ids]
        if not_sts:
            raise ValidationError(
                {"specialists": f"{not_sts[0]} is not a State Transformation Specialist."}
            )
    try:
        team.save()
    except IntegrityError as error:
        raise ValidationError({"code": "Another team has this state code."}) from error
    if specialists is not None:
        before = set(team.specialists.all())
        team.specialists.set(specialists)
        standing_changed(*(before ^ set(specialists)))
    # A new cadence moves the day the team goes quiet.
    Team.objects.filter(pk=team.pk).refresh_activity()
    if moved:
        # The teams below follow it: their ancestry comes through this team.
        Team.objects.refresh_ancestry()
    return team


@transaction.atomic
def membership_add(
    *, team: Team, person: User, role: str, started_on: date | None = None
) -> Membership:
    """Rule 3: a linking member also sits on the team above."""
    if Membership.objects.current().filter(team=team, person=person).exists():
        raise ValidationError({"person": f"{person} is already on {team}."})
    if role == TeamRole.LINKING:
        if team.parent is None:
            raise ValidationError(
                {"role": "The SMT is the top of the cascade; it has no team above to link to."}
            )
        if person.pk not in parent_seat_holders(team.parent, [person.pk]):
            raise ValidationError(
                {
                    "role": f"A linking member also sits on the team above ({team.parent}). "
                    f"Add {person} to {team.parent} first."
                }
            )
    membership = Membership(team=team, person=person, role=role, started_on=started_on or today())
    membership.full_clean()
    try:
        membership.save()
    except IntegrityError as error:  # a concurrent add of the same person
        raise ValidationError({"person": f"{person} is already on {team}."}) from error
    standing_changed(person)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_on: date | None = None) -> None:
    if membership.ended_on is not None:
        raise ValidationError("This membership has already ended.")
    ended_on = ended_on or today()
    if ended_on > today():
        raise ValidationError({"left_on": "Record a member leaving on or after the day."})
    _end_dated(membership, ended_on)
    standing_changed(membership.person)


@transaction.atomic
def development_record(*, review: DevelopmentReview) -> DevelopmentReview:
    if review.reviewed_on and review.reviewed_on > today():
        raise ValidationError({"reviewed_on": "A review cannot be dated in the future."})
    review.full_clean()
    review.save()
    Team.objects.filter(pk=review.team_id).refresh_development()
    return review


# --- Team updates -----------------------------------------------------------------------------


@transaction.atomic
def team_update_save(*, update: TeamUpdate) -> TeamUpdate:
    """Log or edit an update; only for teams the author supports or sits on."""
    if update.team_id is None:
        raise ValidationError({"team": "Choose the team this update is about."})
    if not rules.has_perm("teams.log_update", update.author, update.team):
        raise ValidationError({"team": "You can log updates only for teams you support or sit on."})
    if update.occurred_on and update.occurred_on > today():
        raise ValidationError({"occurred_on": "An update cannot be dated in the future."})
    update.full_clean()
    update.save()
    Team.objects.filter(pk=update.team_id).refresh_activity()
    moved("updates")
    return update
