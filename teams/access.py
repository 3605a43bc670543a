"""What the signed-in person holds today, computed once per request.

Permission predicates ask the same questions many times while a page renders; the
answers are cached on the user object, which lives for one request.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import (
    APPOINTING_ROLES,
    CABINET_ROLES,
    Membership,
    Role,
    RoleAssignment,
    SponsorAppointment,
    Team,
    today,
)


@dataclass(frozen=True)
class Standing:
    roles: frozenset[str]
    is_superuser: bool
    is_sponsor: bool
    member_team_ids: frozenset[int]
    supported_team_ids: frozenset[int]

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or Role.ADMIN in self.roles

    @property
    def is_cabinet(self) -> bool:
        return bool(self.roles & set(CABINET_ROLES))

    @property
    def may_appoint_sponsors(self) -> bool:
        return bool(self.roles & set(APPOINTING_ROLES))

    @property
    def is_specialist(self) -> bool:
        return Role.STS in self.roles

    @property
    def reads_whole_cascade(self) -> bool:
        """The cabinet, sponsors and admins follow every team's updates."""
        return self.is_admin or self.is_cabinet or self.is_sponsor

    @property
    def own_team_ids(self) -> frozenset[int]:
        return self.member_team_ids | self.supported_team_ids


NOBODY = Standing(frozenset(), False, False, frozenset(), frozenset())


def standing(user) -> Standing:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_standing", None)
    if cached is not None:
        return cached
    day = today()
    roles = frozenset(
        RoleAssignment.objects.filter(person=user).current(day).values_list("role", flat=True)
    )
    member_ids = set(
        Membership.objects.filter(person=user).current(day).values_list("team_id", flat=True)
    )
    if roles & set(CABINET_ROLES):
        # The cabinet sits on the SMT by virtue of the role, not a membership row.
        member_ids |= set(Team.objects.filter(is_management_team=True).values_list("pk", flat=True))
    result = Standing(
        roles=roles,
        is_superuser=user.is_superuser,
        is_sponsor=SponsorAppointment.objects.filter(sponsor=user).current(day).exists(),
        member_team_ids=frozenset(member_ids),
        supported_team_ids=frozenset(
            user.supported_teams.values_list("pk", flat=True) if Role.STS in roles else ()
        ),
    )
    user._standing = result
    return result


def forget_standing(user) -> None:
    """After a change to the person's own roles within the same request."""
    if hasattr(user, "_standing"):
        del user._standing
