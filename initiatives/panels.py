"""This module's panels on the home page: the current vision for the SMT, and the warning
the cabinet sees when the vision has not been affirmed within the agency's interval."""

from __future__ import annotations

import rules
from django.db.models import F, Func, IntegerField, Subquery
from django.http import HttpRequest

from teams.models import today
from teams.registry import HomePanel

from . import selectors
from .models import Initiative, StrategicGoal, VisionVersion


def _current(request: HttpRequest) -> dict:
    """The current vision with the reviews due and the last affirmation beside it, in one
    query shared by both panels (kept on the request)."""
    found = getattr(request, "_initiatives_home", None)
    if found is not None:
        return found
    day = today()
    due = Initiative.objects.review_due(day)
    vision = (
        VisionVersion.objects.filter(adopted_on__lte=day)
        .newest_first()
        .annotate(
            reviews_due=_count(due),
            reviews_overdue=_count(due.filter(next_review_on__lt=day)),
            last_on=selectors.last_affirmed_on(),
            interval=selectors.affirmation_interval(),
        )
        .first()
    )
    # Without a vision there is nothing to affirm yet: the vision panel asks for it.
    state = selectors.state_from(vision.last_on, vision.interval) if vision else None
    request._initiatives_home = found = {"vision": vision, "state": state}
    return found


def _vision(request: HttpRequest) -> dict | None:
    if not rules.has_perm("initiatives.see_vision_panel", request.user):
        return None
    vision = _current(request)["vision"]
    return {
        "vision": vision,
        "goals": list(StrategicGoal.objects.current().only("number", "title")) if vision else [],
        "reviews_due": vision.reviews_due if vision else 0,
        "reviews_overdue": vision.reviews_overdue if vision else 0,
    }


def _count(queryset) -> Subquery:
    """How many rows a queryset holds, as a subquery: COUNT as a plain function adds no
    GROUP BY, so the subquery is one row."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _affirmation(request: HttpRequest) -> dict | None:
    if not rules.has_perm("initiatives.see_affirmation_warning", request.user):
        return None
    state = _current(request)["state"]
    if state is None or not state.overdue:
        return None
    return {"state": state, "may_record": rules.has_perm("initiatives.edit_vision", request.user)}


PANELS = [
    HomePanel("affirmation", "initiatives/home/affirmation.html", _affirmation, order=12),
    HomePanel("vision", "initiatives/home/vision.html", _vision, order=18),
]
