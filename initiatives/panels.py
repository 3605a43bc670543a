"""This module's panels on the home page: the current vision for the SMT, and the warning
the cabinet sees when the vision has not been affirmed within the agency's interval."""

from __future__ import annotations

import rules
from django.db.models import Count, Q
from django.http import HttpRequest

from teams.models import today
from teams.registry import HomePanel

from . import selectors
from .models import Initiative, StrategicGoal, VisionVersion


def _vision(request: HttpRequest) -> dict | None:
    if not rules.has_perm("initiatives.see_vision_panel", request.user):
        return None
    day = today()
    due = Initiative.objects.review_due(day).aggregate(
        due=models_count(), overdue=models_count(next_review_on__lt=day)
    )
    return {
        "vision": VisionVersion.current(day),
        "goals": list(StrategicGoal.objects.current().only("number", "title")),
        "reviews_due": due["due"],
        "reviews_overdue": due["overdue"],
    }


def models_count(**condition):
    return Count("pk", filter=Q(**condition)) if condition else Count("pk")


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
