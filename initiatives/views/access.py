"""Fetch one record for the signed-in person: 404 when it does not exist, 403 when it is
not theirs to act on. The rules live in `initiatives/rules.py`."""

from django.shortcuts import get_object_or_404

from teams.models import Team

from ..models import (
    Candidate,
    Funding,
    GoalAlignment,
    Indicator,
    Initiative,
    Overlap,
    Review,
    SelectionProtocol,
    StrategicGoal,
    VisionVersion,
)
from ..rules import require

__all__ = ["require"]


def initiative_for(user, pk: int, perm: str = "initiatives.read") -> Initiative:
    initiative = get_object_or_404(Initiative.objects.select_related("division", "lead"), pk=pk)
    require(user, perm, initiative)
    return initiative


def funding_for(user, pk: int) -> Funding:
    funding = get_object_or_404(Funding.objects.select_related("initiative"), pk=pk)
    require(user, "initiatives.change_initiative", funding.initiative)
    return funding


def alignment_for(user, pk: int) -> GoalAlignment:
    alignment = get_object_or_404(GoalAlignment.objects.select_related("initiative"), pk=pk)
    require(user, "initiatives.change_initiative", alignment.initiative)
    return alignment


def overlap_for(user, pk: int) -> Overlap:
    overlap = get_object_or_404(Overlap.objects.select_related("first", "second"), pk=pk)
    require(user, "initiatives.change_initiative", overlap.first)
    return overlap


def review_for(user, pk: int) -> Review:
    review = get_object_or_404(
        Review.objects.select_related("initiative", "recorded_by", "consolidate_with", "meeting"),
        pk=pk,
    )
    require(user, "initiatives.read", review)
    return review


def version_for(user, pk: int) -> VisionVersion:
    version = get_object_or_404(VisionVersion.objects.select_related("adopted_by"), pk=pk)
    require(user, "initiatives.read", version)
    return version


def goal_for(user, pk: int) -> StrategicGoal:
    require(user, "initiatives.edit_vision")
    return get_object_or_404(StrategicGoal, pk=pk)


def team_for(user, pk: int) -> Team:
    team = get_object_or_404(Team, pk=pk)
    require(user, "initiatives.read", team)
    return team


def candidate_for(user, pk: int, perm: str = "initiatives.read") -> Candidate:
    candidate = get_object_or_404(
        Candidate.objects.select_related(
            "division", "protocol", "initiative", "proposed_by", "meeting"
        ),
        pk=pk,
    )
    require(user, perm, candidate)
    return candidate


def protocol_for(user, pk: int) -> SelectionProtocol:
    protocol = get_object_or_404(SelectionProtocol, pk=pk)
    require(user, "initiatives.read", protocol)
    return protocol


def indicator_for(user, pk: int) -> Indicator:
    require(user, "initiatives.manage_protocols")
    return get_object_or_404(Indicator.objects.select_related("protocol"), pk=pk)
