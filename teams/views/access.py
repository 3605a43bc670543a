"""Fetch one object for the signed-in person: 404 when it does not exist, 403 when it is
not theirs to act on. Views go through these so the check is never forgotten."""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ..models import Membership, RoleAssignment, SponsorAppointment, SponsorPairing, Team
from ..models import TeamUpdate as Update
from ..selectors import updates_visible_to


def require(user, perm: str, obj=None) -> None:
    # rules.has_perm rather than user.has_perm: Django lets superusers pass every check,
    # but only the CSSO or Deputy may appoint sponsors, superuser or not.
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


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


def assignment_for(user, pk: int) -> RoleAssignment:
    require(user, "teams.manage_settings")
    return get_object_or_404(RoleAssignment.objects.select_related("person"), pk=pk)
