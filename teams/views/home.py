from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..access import standing
from ..models import Role, Team
from ..selectors import current_pairings, smt_attention_updates, sponsor_rule, updates_visible_to


def role_names(person, *, on_a_team: bool) -> list[str]:
    """What the person is, in the agency's words, in the order roles are listed."""
    names = [label for value, label in Role.choices if value in person.roles]
    if person.is_sponsor:
        names.append("Executive Leadership Sponsor")
    if not names and on_a_team:
        names.append("Implementation team member")
    return names


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page, with a section for each role the person holds today."""
    person = standing(request.user)
    own_ids = person.own_team_ids
    my_teams = list(
        Team.objects.filter(pk__in=own_ids)
        .with_glance()
        .select_related("parent")
        .in_cascade_order("name")
    )
    context = {
        "person": person,
        "role_names": role_names(person, on_a_team=bool(person.member_team_ids)),
        "my_teams": [t for t in my_teams if t.pk in person.member_team_ids],
        "supported_teams": [t for t in my_teams if t.pk in person.supported_team_ids],
        "sponsor_rule": sponsor_rule() if person.is_cabinet or person.is_admin else None,
        "attention_updates": (
            smt_attention_updates(request.user) if person.reads_whole_cascade else []
        ),
        "recent_updates": list(updates_visible_to(request.user)[:6]) if own_ids else [],
        "my_specialists": (
            list(current_pairings().filter(sponsor=request.user)) if person.is_sponsor else []
        ),
    }
    return render(request, "teams/home.html", context)
