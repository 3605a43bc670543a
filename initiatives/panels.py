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


def _vision(request: HttpRequest) -> dict | None:
    """The current vision and its goals, with the reviews due: two queries."""
    if not rules.has_perm("initiatives.see_vision_panel", request.user):
        return None
    day = today()
    due = Initiative.objects.review_due(day)
    vision = (
        VisionVersion.objects.filter(adopted_on__lte=day)
        .newest_first()
        .annotate(
            reviews_due=_count(due),
            reviews_overdue=_count(due.filter(next_review_on__lt=day)),
        )
        .first()
    )
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
    state = selectors.affirmation_state()
    if not state.overdue:
        return None
    return {"state": state, "may_record": rules.has_perm("initiatives.edit_vision", request.user)}


PANELS = [
    HomePanel("affirmation", "initiatives/home/affirmation.html", _affirmation, order=12),
    HomePanel("vision", "initiatives/home/vision.html", _vision, order=18),
]
