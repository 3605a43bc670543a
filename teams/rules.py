"""Who may do what, in one place: views, templates and tests all ask these rules.

Everyone signed in reads the cascade; nobody edits what is not theirs.
"""

import rules

from .access import standing


@rules.predicate
def is_admin(user) -> bool:
    return standing(user).is_admin


@rules.predicate
def may_appoint_sponsors(user) -> bool:
    return standing(user).may_appoint_sponsors


@rules.predicate
def supports_team(user, team) -> bool:
    return team is not None and team.pk in standing(user).supported_team_ids


@rules.predicate
def sits_on_team(user, team) -> bool:
    return team is not None and team.pk in standing(user).member_team_ids


@rules.predicate
def reads_whole_cascade(user) -> bool:
    return standing(user).reads_whole_cascade


@rules.predicate
def wrote_update(user, update) -> bool:
    return update is not None and update.author_id == user.pk


@rules.predicate
def may_log_for_update_team(user, update) -> bool:
    return update is not None and (
        supports_team(user, update.team) or sits_on_team(user, update.team)
    )


@rules.predicate
def follows_update_team(user, update) -> bool:
    if update is None:
        return False
    own = standing(user).own_team_ids
    if not own:
        return False
    team = update.team
    return team.pk in own or any(a.pk in own for a in team.ancestors())


signed_in = rules.is_authenticated & rules.is_active

# The portal's own settings pages: divisions, people, roles, history, lockouts.
rules.add_perm("teams.manage_settings", is_admin)
rules.add_perm("teams.read_history", is_admin)

# Sponsors: only the CSSO or Deputy appoint; pairing with STSs also by admins.
rules.add_perm("teams.appoint_sponsor", may_appoint_sponsors)
rules.add_perm("teams.pair_sponsor", may_appoint_sponsors | is_admin)
rules.add_perm("teams.see_sponsor_rule_warning", may_appoint_sponsors | is_admin)

# The cascade.
rules.add_perm("teams.read_cascade", signed_in)
rules.add_perm("teams.add_team", is_admin)
rules.add_perm("teams.restructure_team", is_admin)
rules.add_perm("teams.change_team", is_admin | supports_team)
rules.add_perm("teams.manage_members", is_admin | supports_team)
rules.add_perm("teams.review_development", is_admin | supports_team)

# Team updates.
rules.add_perm("teams.log_update", supports_team | sits_on_team)
rules.add_perm("teams.change_update", wrote_update & may_log_for_update_team)
rules.add_perm("teams.view_update", reads_whole_cascade | wrote_update | follows_update_team)
