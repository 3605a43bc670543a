"""The meetings' panel on the home page: the person's next meetings and open action items."""

from __future__ import annotations

from django.http import HttpRequest

from teams.registry import HomePanel
from teams.standing import standing

from . import selectors


def _my_meetings(request: HttpRequest) -> dict | None:
    user = request.user
    if not standing(user).own_team_ids and not selectors.my_action_items(user).exists():
        return None
    actions = list(selectors.my_action_items(user)[:5])
    return {
        "upcoming": list(selectors.my_upcoming_meetings(user)[:3]),
        "actions": actions,
    }


PANEL = HomePanel("meetings", "meetings/home_panel.html", _my_meetings, column="side", order=15)
