"""The home page: one page made of panels, each shown to the people it is for.

The base's own panels are below; meetings, initiatives and the data system register
theirs in their AppConfig.ready(). Each panel runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..freshness import hashed, remembered
from ..models import Level, Role, Team, quiet_on, today
from ..registry import HomePanel, portal
from ..selectors import current_pairings, newest_updates, seat_names, smt_attention_updates
from ..sponsor_rule import current_sponsor_rule
from ..standing import standing

TEAMS_SHOWN = 12


@dataclass(frozen=True)
class ShownPanel:
    panel: HomePanel
    data: dict[str, Any]


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """One page, with a panel for each part of the person's work."""
    shown = [
        ShownPanel(panel, data)
        for panel in portal.home_panels
        if (data := panel.context(request)) is not None
    ]
    return render(
        request,
        "teams/home.html",
        {
            "role_names": role_names(request.user),
            "main": [s for s in shown if s.panel.column == "main"],
            "side": [s for s in shown if s.panel.column == "side"],
            "may_log": rules.has_perm("teams.log_some_update", request.user),
        },
    )


def role_names(user) -> list[str]:
    """What the person is, in the agency's words: roles first, then team seats."""
    person = standing(user)
    names = [label for value, label in Role.choices if value in person.roles]
    if person.is_sponsor:
        names.append("Executive Leadership Sponsor")
    return names + seat_names(user)


# --- The base's panels -------------------------------------------------------------------


def _sponsor_rule(request: HttpRequest) -> dict | None:
    if not rules.has_perm("teams.follow_sponsor_rule", request.user):
        return None
    return {
        "rule": current_sponsor_rule(),
        "may_appoint": rules.has_perm("teams.appoint_sponsor", request.user),
    }


def _attention(request: HttpRequest) -> dict | None:
    if not rules.has_perm("teams.read_whole_cascade", request.user):
        return None
    # The same for everyone who reads the whole cascade: kept until an update changes.
    updates = remembered(
        "attention:whole-cascade",
        ("updates", "cascade"),
        lambda: smt_attention_updates(request.user),
    )
    return {"updates": updates}


def _champion(request: HttpRequest) -> dict | None:
    """A sponsor's work: their STSs, the state of the teams those STSs support, and what
    those teams flagged for the SMT."""
    if not rules.has_perm("teams.champion_specialists", request.user):
        return None
    # The same for this sponsor until the pairings, teams, activity or updates change.
    return remembered(
        f"champion:{request.user.pk}",
        ("people", "cascade", "activity", "updates"),
        lambda: _championed(request.user),
    )


def _championed(user) -> dict:
    day = today()
    pairings = list(current_pairings(day).filter(sponsor=user))
    specialists = [p.specialist for p in pairings]
    counts = {
        row["specialists"]: row
        for row in Team.objects.filter(specialists__in=specialists)
        .values("specialists")
        .annotate(teams=Count("pk"), quiet=Count("pk", filter=quiet_on(day)))
        .order_by()
    }
    for pairing in pairings:
        row = counts.get(pairing.specialist.pk, {})
        pairing.team_count, pairing.quiet_count = row.get("teams", 0), row.get("quiet", 0)
    their_teams = Team.specialists.through.objects.filter(user__in=specialists).values("team_id")
    flagged = smt_attention_updates(user, narrow=Q(team__in=their_teams), limit=6)
    return {"pairings": pairings, "flagged": flagged}


def _teams_table(teams) -> tuple[list[Team], int]:
    """The first teams of a list, quiet ones first, and how many there are in all."""
    day = today()
    total = teams.count()
    shown = list(
        teams.with_glance()
        .with_quiet(day)
        .select_related("parent")
        .order_by("-gone_quiet", "name")[:TEAMS_SHOWN]
    )
    return shown, total


def _supported(request: HttpRequest) -> dict | None:
    return _table_of(standing(request.user).supported_team_ids)


def _my_teams(request: HttpRequest) -> dict | None:
    return _table_of(standing(request.user).member_team_ids)


def _table_of(ids) -> dict | None:
    """A table of these teams: the same for anyone with the same teams, kept until the
    teams, their activity, reviews or STSs change."""
    if not ids:
        return None
    ids = sorted(ids)

    def table() -> dict:
        teams, total = _teams_table(Team.objects.filter(pk__in=ids))
        return {"teams": teams, "total": total}

    return remembered(
        f"team-table:{hashed(ids)}", ("cascade", "activity", "development", "people"), table
    )


def _quiet(request: HttpRequest) -> dict | None:
    """Teams gone quiet: those the person follows, by level. The same for everyone who
    follows the same teams, so kept under them until activity or the cascade changes."""
    user = request.user
    if rules.has_perm("teams.read_whole_cascade", user):
        own, teams = "all", Team.objects.all()
    else:
        own = sorted(standing(user).own_team_ids)
        if not own:
            return None
        teams = Team.objects.below_any(own)
    return remembered(f"quiet:{hashed(own)}", ("activity", "cascade"), lambda: _quiet_counts(teams))


def _quiet_counts(teams) -> dict:
    quiet = quiet_on(today())
    counts = teams.aggregate(
        total=Count("pk"),
        quiet=Count("pk", filter=quiet),
        **{level: Count("pk", filter=quiet & Q(level=level)) for level in Level.values},
    )
    by_level = [(Level(level).label, counts[level]) for level in Level.values if counts[level]]
    return {"quiet": counts["quiet"], "total": counts["total"], "by_level": by_level}


def _recent(request: HttpRequest) -> dict | None:
    if not standing(request.user).own_team_ids:
        return None
    # Whole-cascade readers share one list; anyone else's is their own (the updates they
    # wrote are theirs to read), kept until an update or their teams change.
    whole = rules.has_perm("teams.read_whole_cascade", request.user)
    updates = remembered(
        "recent:whole-cascade" if whole else f"recent:{request.user.pk}",
        ("updates", "cascade", "people"),
        lambda: newest_updates(request.user, limit=6),
    )
    return {"updates": updates}


def _administration(request: HttpRequest) -> dict | None:
    return {} if rules.has_perm("teams.manage_settings", request.user) else None


PANELS = [
    HomePanel("sponsor-rule", "teams/home/sponsor_rule.html", _sponsor_rule, order=10),
    HomePanel("champion", "teams/home/champion.html", _champion, order=15),
    HomePanel("attention", "teams/home/attention.html", _attention, order=20),
    HomePanel("supported", "teams/home/supported.html", _supported, order=30),
    HomePanel("my-teams", "teams/home/my_teams.html", _my_teams, order=40),
    HomePanel("quiet", "teams/home/quiet.html", _quiet, column="side", order=10),
    HomePanel("recent", "teams/home/recent.html", _recent, column="side", order=20),
    HomePanel(
        "administration", "teams/home/administration.html", _administration, "side", order=90
    ),
]
