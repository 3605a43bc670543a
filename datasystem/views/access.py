"""Fetch the data system's records for the signed-in person: 404 for what they may not
read, 403 for what they may not do (the rules are in `datasystem/rules.py`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from teams.rules import require
from teams.views.access import team_for

from ..models import Administration, Instrument, Item

__all__ = ["administration_for", "instrument_for", "item_of", "require", "team_for"]


def administration_for(
    user, pk: int, perm: str = "datasystem.view_administration"
) -> Administration:
    administration = get_object_or_404(
        Administration.objects.select_related("team", "instrument", "version", "facilitator"),
        pk=pk,
    )
    # Results of teams the person does not follow do not exist for them.
    require_readable(user, administration)
    require(user, perm, administration)
    return administration


def require_readable(user, administration: Administration) -> None:
    import rules

    if not rules.has_perm("datasystem.view_administration", user, administration):
        raise Http404("No such administration.")


def item_of(administration: Administration, pk: int) -> Item:
    return get_object_or_404(Item, pk=pk, version_id=administration.version_id)


def instrument_for(user, pk: int, perm: str = "datasystem.read_instruments") -> Instrument:
    instrument = get_object_or_404(Instrument, pk=pk)
    require(user, perm, instrument)
    return instrument
