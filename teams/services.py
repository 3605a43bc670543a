"""Writes: each service keeps its invariant and runs in one transaction.

Services raise `ValidationError` with a message a person can act on; views put it on
the form. Permission is checked by the views through `rules`, and again here where a
wrong caller would break a rule of the handouts (only the CSSO or Deputy appoint).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from .access import forget_standing, standing
from .models import (
    Agency,
    DevelopmentReview,
    Division,
    Membership,
    RoleAssignment,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamRole,
    TeamUpdate,
    User,
    today,
)
from .selectors import SponsorRule, parent_seat_holders, sponsor_rule

# --- Organisation -------------------------------------------------------------------------


@transaction.atomic
def division_save(*, division: Division) -> Division:
    division.full_clean()
    division.save()
    return division


@transaction.atomic
def person_save(*, person: User) -> User:
    person.full_clean(exclude=["password"])
    if person._state.adding and not person.has_usable_password():
        person.set_unusable_password()
    person.save()
    forget_standing(person)
    return person


@transaction.atomic
def role_assign(
    *, person: User, role: str, started_on: date | None = None, note: str = ""
) -> RoleAssignment:
    assignment = RoleAssignment(
        person=person, role=role, started_on=started_on or today(), note=note
    )
    if RoleAssignment.objects.filter(person=person, role=role, ended_on__isnull=True).exists():
        raise ValidationError(
            {"role": f"{person} already holds the role {assignment.get_role_display()}."}
        )
    assignment.full_clean()
    assignment.save()
    forget_standing(person)
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, ended_on: date | None = None) -> SponsorRule:
    """End a role; returns the sponsor rule afterwards, so callers can warn if it broke."""
    if assignment.ended_on is not None:
        raise ValidationError("This role has already ended.")
    assignment.ended_on = ended_on or today()
    assignment.full_clean()
    assignment.save(update_fields=["ended_on"])
    forget_standing(assignment.person)
    return sponsor_rule()


# --- Sponsors -------------------------------------------------------------------------------


@transaction.atomic
def sponsor_appoint(
    *, sponsor: User, appointed_by: User, started_on: date | None = None, note: str = ""
) -> SponsorAppointment:
    """Rule 1: sponsors are current SMT members with a division, chosen by the CSSO/Deputy."""
    if not standing(appointed_by).may_appoint_sponsors:
        raise PermissionDenied("Only the CSSO or the Deputy CSSO may appoint sponsors.")
    started_on = started_on or today()
    if started_on > today():
        raise ValidationError({"started_on": "An appointment cannot start in the future."})
    if SponsorAppointment.objects.current().filter(sponsor=sponsor).exists():
        raise ValidationError({"sponsor": f"{sponsor} is already a sponsor."})
    if not User.objects.smt_members(started_on).filter(pk=sponsor.pk).exists():
        raise ValidationError(
            {"sponsor": f"{sponsor} is not a current SMT member; sponsors are chosen from the SMT."}
        )
    if sponsor.division_id is None:
        raise ValidationError(
            {
                "sponsor": f"{sponsor} has no division; give them one first, since sponsors "
                "must represent at least two divisions."
            }
        )
    appointment = SponsorAppointment(
        sponsor=sponsor, appointed_by=appointed_by, started_on=started_on, note=note
    )
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def sponsor_appointment_end(
    *,
    appointment: SponsorAppointment,
    ended_by: User,
    ended_on: date | None = None,
    accept_broken_rule: bool = False,
) -> SponsorRule:
    if not standing(ended_by).may_appoint_sponsors:
        raise PermissionDenied("Only the CSSO or the Deputy CSSO may end an appointment.")
    if appointment.ended_on is not None:
        raise ValidationError("This appointment has already ended.")
    after = sponsor_rule(without=appointment)
    if sponsor_rule().holds and not after.holds and not accept_broken_rule:
        raise ValidationError(
            {
                "accept_broken_rule": "Ending this appointment breaks the sponsor rule: "
                + " ".join(after.problems)
                + " Appoint a replacement first, or confirm that you accept the warning."
            }
        )
    appointment.ended_on = ended_on or today()
    appointment.ended_by = ended_by
    appointment.full_clean()
    appointment.save(update_fields=["ended_on", "ended_by"])
    SponsorPairing.objects.current().filter(sponsor=appointment.sponsor).update(
        ended_on=appointment.ended_on
    )
    return after


@transaction.atomic
def sponsor_pair(*, sponsor: User, specialist: User, by: User) -> SponsorPairing:
    if not (standing(by).may_appoint_sponsors or standing(by).is_admin):
        raise PermissionDenied("Only the CSSO, the Deputy CSSO or an admin may pair sponsors.")
    if not User.objects.sponsors().filter(pk=sponsor.pk).exists():
        raise ValidationError({"sponsor": f"{sponsor} is not a current sponsor."})
    if not User.objects.specialists().filter(pk=specialist.pk).exists():
        raise ValidationError(
            {"specialist": f"{specialist} is not a current State Transformation Specialist."}
        )
    if SponsorPairing.objects.current().filter(sponsor=sponsor, specialist=specialist).exists():
        raise ValidationError(f"{sponsor} already champions {specialist}.")
    pairing = SponsorPairing(sponsor=sponsor, specialist=specialist)
    pairing.save()
    return pairing


@transaction.atomic
def sponsor_pairing_end(*, pairing: SponsorPairing) -> None:
    if pairing.ended_on is not None:
        raise ValidationError("This pairing has already ended.")
    pairing.ended_on = today()
    if pairing.started_on >= pairing.ended_on:
        # Ended on the day it began: keep the row valid and the history honest.
        pairing.delete()
        return
    pairing.save(update_fields=["ended_on"])


# --- The cascade ------------------------------------------------------------------------------


@transaction.atomic
def team_save(*, team: Team, specialists: list[User] | None = None) -> Team:
    team.full_clean()
    if team.pk:
        agency = Agency.current()
        misplaced = [
            c for c in team.children.all() if team.level not in c.allowed_parent_levels(agency)
        ]
        if misplaced:
            names = ", ".join(str(c) for c in misplaced[:3])
            raise ValidationError(
                {
                    "level": f"The teams below ({names}) would no longer be one level down; "
                    "move them first."
                }
            )
    if specialists is not None:
        sts_ids = set(User.objects.specialists().values_list("pk", flat=True))
        not_sts = [p for p in specialists if p.pk not in sts_ids]
        if not_sts:
            raise ValidationError(
                {"specialists": f"{not_sts[0]} is not a State Transformation Specialist."}
            )
    team.save()
    if specialists is not None:
        team.specialists.set(specialists)
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
    forget_standing(person)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_on: date | None = None) -> None:
    if membership.ended_on is not None:
        raise ValidationError("This membership has already ended.")
    ended_on = ended_on or today()
    if ended_on <= membership.started_on:
        membership.delete()
        return
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])


@transaction.atomic
def development_record(*, review: DevelopmentReview) -> DevelopmentReview:
    if review.reviewed_on > today():
        raise ValidationError({"reviewed_on": "A review cannot be dated in the future."})
    review.full_clean()
    review.save()
    return review


# --- Team updates -----------------------------------------------------------------------------


@transaction.atomic
def team_update_save(*, update: TeamUpdate) -> TeamUpdate:
    """Log or edit an update; only for teams the author supports or sits on."""
    if update.team_id not in standing(update.author).own_team_ids:
        raise ValidationError({"team": "You can log updates only for teams you support or sit on."})
    if update.occurred_on and update.occurred_on > today():
        raise ValidationError({"occurred_on": "An update cannot be dated in the future."})
    update.full_clean()
    update.save()
    return update
