"""The signed-in person's standing today: their roles, sponsor seat and teams.

Computed once per request and kept on the user object: permission rules ask the same
questions many times while a page renders. The rules (`teams/rules.py`) decide what the
standing allows; nothing else reads it to decide a permission.
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
    # Team id -> the person's team role there ("lead", "member"...); the SMT seat a cabinet
    # role gives is "cabinet".
    team_roles: tuple[tuple[int, str], ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or Role.ADMIN in self.roles

    @property
    def is_cabinet(self) -> bool:
        return bool(self.roles & set(CABINET_ROLES))

    @property
    def is_csso(self) -> bool:
        return Role.CSSO in self.roles

    @property
    def holds_appointing_role(self) -> bool:
        return bool(self.roles & set(APPOINTING_ROLES))

    @property
    def is_specialist(self) -> bool:
        return Role.STS in self.roles

    @property
    def reads_whole_cascade(self) -> bool:
        """The cabinet, sponsors and admins follow every team's work."""
        return self.is_admin or self.is_cabinet or self.is_sponsor

    @property
    def own_team_ids(self) -> frozenset[int]:
        return self.member_team_ids | self.supported_team_ids

    def team_role(self, team_id: int) -> str | None:
        return dict(self.team_roles).get(team_id)


NOBODY = Standing(frozenset(), False, False, frozenset(), frozenset())
CABINET_SEAT = "cabinet"


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
    seats = dict(Membership.objects.filter(person=user).current(day).values_list("team_id", "role"))
    if roles & set(CABINET_ROLES):
        # The cabinet sits on the SMT by virtue of the role, not a membership row.
        for smt_id in Team.objects.filter(is_management_team=True).values_list("pk", flat=True):
            seats.setdefault(smt_id, CABINET_SEAT)
    result = Standing(
        roles=roles,
        is_superuser=user.is_superuser,
        is_sponsor=SponsorAppointment.objects.filter(sponsor=user).current(day).exists(),
        member_team_ids=frozenset(seats),
        supported_team_ids=frozenset(
            user.supported_teams.values_list("pk", flat=True) if Role.STS in roles else ()
        ),
        team_roles=tuple(sorted(seats.items())),
    )
    user._standing = result
    return result


def forget_standing(user) -> None:
    """After a change to the person's own roles or seats within the same request."""
    if hasattr(user, "_standing"):
        del user._standing
