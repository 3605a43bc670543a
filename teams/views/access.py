"""Fetch one object for the signed-in person: 404 when it does not exist (or is not
theirs to read), 403 when it is not theirs to act on. Views go through these so the
check is never forgotten; the rules themselves live in `teams/rules.py`."""

from django.shortcuts import get_object_or_404

from ..models import Membership, RoleAssignment, SponsorAppointment, SponsorPairing, Team, User
from ..models import TeamUpdate as Update
from ..rules import require
from ..selectors import updates_visible_to

__all__ = [
    "appointment_for",
    "assignment_for",
    "membership_for",
    "pairing_for",
    "person_for",
    "require",
    "team_for",
    "update_for",
]


def team_for(user, pk: int, perm: str | None = None) -> Team:
    team = get_object_or_404(Team.objects.select_related("parent__parent__parent"), pk=pk)
    if perm:
        require(user, perm, team)
    return team


def update_for(user, pk: int, perm: str = "teams.view_update") -> Update:
    # Updates someone may not read do not exist for them (404), as a hidden team's would.
    update = get_object_or_404(updates_visible_to(user).select_related("team__parent"), pk=pk)
    require(user, perm, update)
    return update


def person_for(user, pk: int, perm: str = "teams.read_people", *, active: bool = True) -> User:
    people = User.objects.select_related("division")
    person = get_object_or_404(people.filter(is_active=True) if active else people, pk=pk)
    require(user, perm, person)
    return person


def membership_for(user, pk: int) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("team", "person"), pk=pk)
    require(user, "teams.manage_members", membership.team)
    return membership


def appointment_for(user, pk: int) -> SponsorAppointment:
    require(user, "teams.appoint_sponsor")
    return get_object_or_404(SponsorAppointment.objects.select_related("sponsor"), pk=pk)


def pairing_for(user, pk: int) -> SponsorPairing:
    require(user, "teams.pair_sponsor")
    return get_object_or_404(SponsorPairing.objects.select_related("sponsor", "specialist"), pk=pk)


def assignment_for(user, pk: int, perm: str) -> RoleAssignment:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("person"), pk=pk)
    require(user, perm, assignment)
    return assignment
