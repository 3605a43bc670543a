"""Who may do what, in one place: views, services, templates and tests all ask these rules.

Everyone signed in reads the cascade; nobody edits what is not theirs. Views fetch objects
through `teams/views/access.py`, services call `require` with the person acting, and
templates ask `{% may %}`: none of them reads the person's standing to decide.
"""

from __future__ import annotations

import functools
import operator

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import (
    APPOINTING_ROLES,
    Agency,
    Role,
    RoleAssignment,
    Team,
    TeamUpdate,
    below_teams_in_hand,
)
from .standing import standing


def require(user, perm: str, obj=None, *, message: str = "") -> None:
    """Refuse (403) unless the rules allow it.

    rules.has_perm rather than user.has_perm: Django lets superusers pass every check, but
    only the CSSO or Deputy may appoint sponsors, superuser or not.
    """
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(message or "You are not allowed to do that.")


# --- Who the person is ---------------------------------------------------------------------


@rules.predicate
def is_admin(user) -> bool:
    return standing(user).is_admin


@rules.predicate
def is_cabinet(user) -> bool:
    return standing(user).is_cabinet


@rules.predicate
def is_csso(user) -> bool:
    return standing(user).is_csso


@rules.predicate
def holds_appointing_role(user) -> bool:
    """The CSSO or a Deputy CSSO: the people who choose the sponsors."""
    return standing(user).holds_appointing_role


@rules.predicate
def is_sponsor(user) -> bool:
    return standing(user).is_sponsor


@rules.predicate
def reads_whole_cascade(user) -> bool:
    return standing(user).reads_whole_cascade


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and person.pk == user.pk


@rules.predicate
def grants_appointing_roles(user) -> bool:
    """Whoever the agency names grants the CSSO and Deputy roles (never to themselves)."""
    person = standing(user)
    if Agency.current().cabinet_granted_by == "csso":
        if person.is_csso:
            return True
        # Until there is a CSSO, someone must be able to name the first one.
        no_csso = not RoleAssignment.objects.current().filter(role=Role.CSSO).exists()
        return person.is_admin and no_csso
    return person.is_admin


@rules.predicate
def grants_this_role(user, assignment) -> bool:
    if assignment is None:
        return False
    if assignment.role in APPOINTING_ROLES:
        return grants_appointing_roles(user)
    return is_admin(user)


@rules.predicate
def holds_own_assignment(user, assignment) -> bool:
    return assignment is not None and assignment.person_id == user.pk


# --- Where the person sits ------------------------------------------------------------------


@rules.predicate
def supports_team(user, team) -> bool:
    return team is not None and team.pk in standing(user).supported_team_ids


@rules.predicate
def sits_on_team(user, team) -> bool:
    return team is not None and team.pk in standing(user).member_team_ids


def loggable_teams(user) -> Q:
    """Rule: the teams a person may log updates for, as a filter on Team."""
    return Q(pk__in=standing(user).own_team_ids)


@rules.predicate
def has_own_teams(user) -> bool:
    return bool(standing(user).own_team_ids)


def followed_teams(user, path: str = "pk") -> Q:
    """A filter for the teams whose work the person follows: their own and those below.

    `path` leads from the filtered model to a team's id ("pk" on Team, "team" on a record
    that belongs to a team). The cabinet, sponsors and admins follow every team.
    """
    person = standing(user)
    if person.reads_whole_cascade:
        return Q()
    return Q(**{f"{path}__in": followed_team_ids(user)})


def followed_team_ids(user):
    """The teams whose work the person follows (not for whole-cascade readers), as a
    subquery on the teams' ancestry columns: a few index lookups in one table, which
    plans in a fraction of the time a literal list of thousands of ids takes. Each own
    team is looked for only in the column of its level: an STS's 150 teams make one id
    list and a short one per column, not four long ones."""
    own = standing(user).own_teams_placed
    if not own:
        return Team.objects.none().values("pk")
    if any(is_smt for _, _, is_smt in own):
        return Team.objects.values("pk")
    placed = [(pk, level) for pk, level, _ in own]
    return Team.objects.filter(below_teams_in_hand(placed)).values("pk")


def readable_update_parts(user) -> list[Q]:
    """Rule: who may read a team update, as the ways an update may be readable: the
    cabinet, sponsors and admins read every one; others read those of the teams they
    follow, and those they wrote. Written once: lists ask each part on its own (each is
    served by one index, where their OR sent PostgreSQL through every update), and the
    `teams.view_update` permission asks their union of one update."""
    person = standing(user)
    if person.reads_whole_cascade:
        return [Q()]
    parts = [Q(author=user)]
    if person.own_team_ids:
        parts.insert(0, Q(team__in=followed_team_ids(user)))
    return parts


def reads_all_updates_within(user, team) -> bool:
    """Whether every update of the team and of the teams below it is the person's to read:
    they read the whole cascade, or the team is one of their own or sits below one. A
    team's page then leaves the rule's filter out of its query, the answer being the same."""
    person = standing(user)
    return person.reads_whole_cascade or bool(team.is_within(person.own_team_ids))


def readable_updates(user) -> Q:
    """All the parts of the rule in one filter, for a single update or a short list."""
    parts = readable_update_parts(user)
    return functools.reduce(operator.or_, parts[1:], parts[0])


@rules.predicate
def may_read_update(user, update) -> bool:
    if update is None or not user.is_authenticated:
        return False
    return TeamUpdate.objects.filter(readable_updates(user), pk=update.pk).exists()


@rules.predicate
def wrote_update(user, update) -> bool:
    return update is not None and update.author_id == user.pk


@rules.predicate
def may_log_for_update_team(user, update) -> bool:
    return update is not None and (
        supports_team(user, update.team) or sits_on_team(user, update.team)
    )


signed_in = rules.is_authenticated & rules.is_active
others = ~is_self

# The portal's own settings pages: the agency, divisions, people, history, lockouts.
rules.add_perm("teams.manage_settings", is_admin)
rules.add_perm("teams.read_history", is_admin)

# People. Names, titles, divisions, current roles and teams are for everyone signed in;
# the history of who held which role when is for the cabinet, admins and the person.
rules.add_perm("teams.read_people", signed_in)
rules.add_perm("teams.read_role_history", is_admin | is_cabinet | is_self)
rules.add_perm("teams.set_password", is_admin & others)
rules.add_perm("teams.record_departure", is_admin & others)

# Roles: nobody grants a role to themselves; the CSSO and Deputy roles go through
# whoever the agency names (Agency.cabinet_granted_by).
rules.add_perm("teams.grant_role", is_admin & others)
rules.add_perm("teams.grant_appointing_role", grants_appointing_roles & others)
rules.add_perm("teams.assign_roles", (is_admin & others) | (grants_appointing_roles & others))
rules.add_perm("teams.end_role", grants_this_role)
rules.add_perm("teams.correct_role", grants_this_role & ~holds_own_assignment)

# Sponsors: only the CSSO or Deputy appoint; pairing with STSs also by admins. The
# cabinet and admins follow the rule; sponsors champion their STSs.
rules.add_perm("teams.follow_sponsor_rule", is_cabinet | is_admin)
rules.add_perm("teams.champion_specialists", is_sponsor)
rules.add_perm("teams.appoint_sponsor", holds_appointing_role)
rules.add_perm("teams.pair_sponsor", holds_appointing_role | is_admin)
rules.add_perm("teams.see_sponsor_rule_warning", holds_appointing_role | is_admin)

# The cascade. Everyone signed in reads its teams; the cabinet, sponsors and admins
# follow the work of every team, others that of their own teams and those below.
rules.add_perm("teams.read_cascade", signed_in)
rules.add_perm("teams.read_whole_cascade", reads_whole_cascade)
rules.add_perm("teams.add_team", is_admin)
rules.add_perm("teams.restructure_team", is_admin)
rules.add_perm("teams.change_team", is_admin | supports_team)
rules.add_perm("teams.manage_members", is_admin | supports_team)
rules.add_perm("teams.review_development", is_admin | supports_team)

# Team updates.
rules.add_perm("teams.log_update", supports_team | sits_on_team)
rules.add_perm("teams.log_some_update", has_own_teams)
rules.add_perm("teams.change_update", wrote_update & may_log_for_update_team)
rules.add_perm("teams.view_update", may_read_update)
