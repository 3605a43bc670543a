"""Who may do what with the vision, the inventory, reviews, stages and selections.

Everyone signed in reads; the cabinet and sponsors edit the vision, the inventory, reviews
and selections; a division's head edits that division's initiatives; raters are chosen per
candidate and rate only where chosen; STSs record stages for the teams they support;
admins keep the module's settings and load selection protocols.
"""

from __future__ import annotations

import rules

from teams.models import Division
from teams.rules import is_admin, is_cabinet, is_sponsor, require, signed_in, supports_team
from teams.standing import standing

__all__ = ["require"]


@rules.predicate
def heads_a_division(user) -> bool:
    return bool(head_of(user))


def head_of(user) -> frozenset[int]:
    """The divisions the person heads, asked once a request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_heads_divisions", None)
    if cached is None:
        cached = frozenset(
            Division.objects.filter(head=user, is_active=True).values_list("pk", flat=True)
        )
        user._heads_divisions = cached
    return cached


@rules.predicate
def heads_initiative_division(user, initiative) -> bool:
    return initiative is not None and initiative.division_id in head_of(user)


@rules.predicate
def chosen_to_rate(user, candidate) -> bool:
    return (
        candidate is not None and candidate.is_open and candidate.raters.filter(pk=user.pk).exists()
    )


@rules.predicate
def supports_some_team(user) -> bool:
    return bool(standing(user).supported_team_ids)


@rules.predicate
def candidate_is_open(user, candidate) -> bool:
    return candidate is not None and candidate.is_open


leads = is_cabinet | is_sponsor

rules.add_perm("initiatives.read", signed_in)
# The vision, its goals and the affirmations.
rules.add_perm("initiatives.edit_vision", leads)
rules.add_perm("initiatives.see_affirmation_warning", is_cabinet)
rules.add_perm("initiatives.see_vision_panel", leads)
# The inventory.
rules.add_perm("initiatives.add_initiative", leads | heads_a_division)
rules.add_perm("initiatives.change_initiative", leads | heads_initiative_division)
rules.add_perm("initiatives.review", leads)
# Stages of implementation.
rules.add_perm("initiatives.record_stage", supports_team)
rules.add_perm("initiatives.record_some_stage", supports_some_team)
# Selection.
rules.add_perm("initiatives.manage_selection", leads)
rules.add_perm("initiatives.change_candidate", leads & candidate_is_open)
rules.add_perm("initiatives.rate", chosen_to_rate)
rules.add_perm("initiatives.manage_protocols", is_admin)
rules.add_perm("initiatives.manage_settings", is_admin)
