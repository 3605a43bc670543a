"""Who may do what in the data system, in one place (views, services, templates, tests).

Team members (and the STSs who support the team) start and take part in their team's
administrations; the facilitator records the consensus; teams see their own results and
those of the teams below them; the cabinet, sponsors and admins see all; STSs enter
training and coaching for the teams they support; admins define instruments and correct
completed administrations.

Outcomes: the cabinet, sponsors and admins (the CSSO among the cabinet) read the SMT's
dashboard of the whole state; teams read their own dashboard and those of the teams below;
admins define measures and import outcome values. Nobody, of any role, sees a value that
small-cell suppression hid: there is no permission that shows one.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from teams.models import Team
from teams.rules import followed_teams, is_admin, signed_in, sits_on_team, supports_team
from teams.standing import standing


@rules.predicate
def follows_team(user, team) -> bool:
    """The team is the person's own or below one of theirs (or they read every team)."""
    if team is None or not user.is_authenticated:
        return False
    if standing(user).reads_whole_cascade:
        return True
    within = team.is_within(standing(user).own_team_ids)
    if within is not None:
        return within
    return Team.objects.filter(followed_teams(user), pk=team.pk).exists()


@rules.predicate
def on_team(user, team) -> bool:
    return sits_on_team(user, team) or supports_team(user, team)


@rules.predicate
def reads_administration(user, administration) -> bool:
    return administration is not None and follows_team(user, administration.team)


@rules.predicate
def on_administration_team(user, administration) -> bool:
    return administration is not None and on_team(user, administration.team)


@rules.predicate
def in_progress(user, administration) -> bool:
    return administration is not None and not administration.is_completed


@rules.predicate
def completed(user, administration) -> bool:
    return administration is not None and administration.is_completed


@rules.predicate
def facilitates(user, administration) -> bool:
    return administration is not None and administration.facilitator_id == user.pk


@rules.predicate
def takes_part(user, administration) -> bool:
    return administration is not None and user.pk in administration.participant_ids


@rules.predicate
def supports_some_team(user) -> bool:
    return bool(standing(user).supported_team_ids)


@rules.predicate
def reads_whole_cascade(user) -> bool:
    return user.is_authenticated and standing(user).reads_whole_cascade


def readable_team_data(user, path: str = "team") -> Q:
    """A filter for records of the teams whose data the person may read."""
    return followed_teams(user, path)


def recordable_teams(user) -> Q:
    """The teams a person may record training and coaching for, as a filter on Team."""
    if standing(user).is_admin:
        return Q()
    return Q(pk__in=standing(user).supported_team_ids)


def startable_teams(user) -> Q:
    """The teams a person may start an administration for, as a filter on Team."""
    return Q(pk__in=standing(user).own_team_ids)


# Instruments: everyone signed in reads them; admins define and word them.
rules.add_perm("datasystem.read_instruments", signed_in)
rules.add_perm("datasystem.define_instruments", is_admin)

# Teams' data: their own and the teams below; the cabinet, sponsors and admins all.
rules.add_perm("datasystem.read_team_data", follows_team)
rules.add_perm("datasystem.start_administration", on_team)
rules.add_perm("datasystem.view_administration", reads_administration)
rules.add_perm("datasystem.take_part", in_progress & takes_part)
rules.add_perm("datasystem.facilitate", in_progress & facilitates)
rules.add_perm("datasystem.correct_score", completed & is_admin)
rules.add_perm("datasystem.plan_action", on_administration_team)

# Training and coaching: STSs for the teams they support, admins for any.
rules.add_perm("datasystem.record_implementation", is_admin | supports_team)
rules.add_perm("datasystem.record_some_implementation", is_admin | supports_some_team)

# Outcomes and the dashboards.
rules.add_perm("datasystem.read_state_dashboard", reads_whole_cascade)
rules.add_perm("datasystem.read_measures", signed_in)
rules.add_perm("datasystem.define_measures", is_admin)
rules.add_perm("datasystem.import_outcomes", is_admin)
# Rule 5 of the handouts: a value behind fewer students than the minimum, or hidden beside
# one, is shown to nobody, admins included; pages read values only through `Shown`.
rules.add_perm("datasystem.see_suppressed_value", rules.always_deny)
