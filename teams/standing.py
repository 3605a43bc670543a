"""The signed-in person's standing today: their roles, sponsor seat and teams.

Computed once per request and kept on the user object: permission rules ask the same
questions many times while a page renders. The rules (`teams/rules.py`) decide what the
standing allows; nothing else reads it to decide a permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db import transaction

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

# A day at most: standing is per day anyway, and the version catches every change.
STANDING_SECONDS = 24 * 60 * 60


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
    # Each own team with its level and whether it is the SMT: what finding the teams below
    # them needs (its descendants carry a team in the ancestry column of its level alone).
    own_teams_placed: tuple[tuple[int, str, bool], ...] = ()

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

    @cached_property
    def _roles_by_team(self) -> dict[int, str]:
        return dict(self.team_roles)

    def team_role(self, team_id: int) -> str | None:
        return self._roles_by_team.get(team_id)


NOBODY = Standing(frozenset(), False, False, frozenset(), frozenset())
CABINET_SEAT = "cabinet"


def standing(user) -> Standing:
    """The person's standing today: kept on the user object for the request, and in the
    cache across requests for the day, so a page asks the database for it only after
    something changed it (standing_changed) or when the day turns."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_standing", None)
    if cached is not None:
        return cached
    day = today()
    key = _key(user.pk, day)
    result = cache.get(key)
    if result is None:
        result = _compute(user, day)
        cache.set(key, result, timeout=STANDING_SECONDS)
    user._standing = result
    return result


def _compute(user, day) -> Standing:
    roles = frozenset(
        RoleAssignment.objects.filter(person=user).current(day).values_list("role", flat=True)
    )
    seats, placed = {}, {}
    for team_id, role, level, is_smt in (
        Membership.objects.filter(person=user)
        .current(day)
        .values_list("team_id", "role", "team__level", "team__is_management_team")
    ):
        seats[team_id] = role
        placed[team_id] = (team_id, level, is_smt)
    if roles & set(CABINET_ROLES):
        # The cabinet sits on the SMT by virtue of the role, not a membership row.
        for smt_id, level in Team.objects.filter(is_management_team=True).values_list(
            "pk", "level"
        ):
            seats.setdefault(smt_id, CABINET_SEAT)
            placed[smt_id] = (smt_id, level, True)
    supported = (
        list(user.supported_teams.values_list("pk", "level", "is_management_team"))
        if Role.STS in roles
        else []
    )
    for team_id, level, is_smt in supported:
        placed[team_id] = (team_id, level, is_smt)
    return Standing(
        roles=roles,
        is_superuser=user.is_superuser,
        is_sponsor=SponsorAppointment.objects.filter(sponsor=user).current(day).exists(),
        member_team_ids=frozenset(seats),
        supported_team_ids=frozenset(pk for pk, _, _ in supported),
        team_roles=tuple(sorted(seats.items())),
        own_teams_placed=tuple(sorted(placed.values())),
    )


def standing_changed(*people) -> None:
    """Something that makes up these people's standing changed (a role, a seat, a sponsor
    appointment, the teams they support): drop what the cache holds of it. A change that
    takes effect on a later day needs nothing: that day's standing is computed afresh."""
    from .freshness import moved

    # Names, roles and seats are on pages kept in the cache (the directory, the sponsors).
    moved("people")
    day = today()
    keys = [_key(person.pk, day) for person in people if person is not None and person.pk]
    if keys:
        cache.delete_many(keys)
        # Again once the change is committed: a request that read the old rows while the
        # transaction was open may have cached them in between.
        transaction.on_commit(lambda: cache.delete_many(keys))
    for person in people:
        if person is not None and hasattr(person, "_standing"):
            del person._standing


# Moved on whenever Standing gains a field, so no process reads one kept without it.
_SHAPE = 2


def _key(person_id: int, day) -> str:
    return f"standing:{_SHAPE}:{person_id}:{day.isoformat()}"
