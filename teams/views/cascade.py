import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from .. import selectors, services
from ..forms import (
    CascadeFilterForm,
    DevelopmentReviewForm,
    LeavingForm,
    MembershipForm,
    PeopleFilterForm,
    TeamForm,
)
from ..freshness import remembered, versions
from ..models import DevelopmentReview, Team, today
from ..paging import paginate
from ..registry import portal
from .access import membership_for, require, team_for
from .submit import DONE_NOTHING, submitted

BRANCHES_PER_PAGE = 10


@login_required
@require_safe
def cascade(request: HttpRequest) -> HttpResponse:
    """The whole cascade as a tree of branches, or a flat list once filtered by level or Zone."""
    filters = CascadeFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    region, level = chosen.get("region"), chosen.get("level")
    zone, quiet = chosen.get("zone"), chosen.get("quiet")
    context = {"filters": filters, "filtered": bool(region or level or zone or quiet)}
    if level or zone or quiet:
        teams = selectors.cascade_list(level=level, region=region, zone=zone, quiet=quiet)
        context["page"] = paginate(request, teams, 50)
        context["mode"] = "list"
    elif region is not None:
        context.update(
            mode="tree",
            region=region,
            versions=versions("cascade", "activity", "development"),
            # Built only when the cached tree is missing (SimpleLazyObject).
            outline=SimpleLazyObject(lambda: selectors.cascade_region(region)),
        )
    else:
        roots = selectors.branch_roots()
        count = remembered("branch-count", ("cascade",), roots.count)
        page = paginate(request, roots, BRANCHES_PER_PAGE, count=count)
        context.update(
            mode="tree",
            page=page,
            versions=versions("cascade", "activity", "development"),
            outline=SimpleLazyObject(lambda: selectors.cascade_outline(list(page.object_list))),
        )
    template = "teams/_cascade_results.html" if request.htmx else "teams/cascade.html"
    return render(request, template, context)


@login_required
@require_safe
def team_below(request: HttpRequest, pk: int) -> HttpResponse:
    """The teams directly below one team: a branch of the tree opened by htmx, or a page
    of its own where scripts do not run."""
    team = team_for(request.user, pk, "teams.read_cascade")
    nodes = selectors.teams_below(team)
    template = "teams/_branch_children.html" if request.htmx else "teams/team_below.html"
    return render(request, template, {"team": team, "nodes": nodes})


@login_required
@require_safe
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "teams.read_cascade")
    updates = selectors.team_update_page(request, request.user, team)
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "updates": updates,
            # The team's members, links and reviews: built only when the page's cached
            # parts are missing (SimpleLazyObject), kept until any of their records change.
            "page_data": SimpleLazyObject(lambda: selectors.team_page(team)),
            "versions": versions("cascade", "people", "development", "activity"),
            "team_links": [
                link for link in portal.team_links if rules.has_perm(link.perm, request.user, team)
            ],
        },
    )


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "teams.add_team")
    return _team_form(request, Team())


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "teams.change_team")
    return _team_form(request, team)


def _team_form(request: HttpRequest, team: Team) -> HttpResponse:
    may_restructure = rules.has_perm("teams.restructure_team", request.user, team)
    form = TeamForm(request.POST or None, instance=team, may_restructure=may_restructure)
    saved = submitted(
        request,
        form,
        lambda: services.team_save(
            team=form.save(commit=False), specialists=list(form.cleaned_data["specialists"])
        ),
        success=lambda saved: f"{saved} is saved.",
    )
    if saved:
        return redirect(saved)
    return render(request, "teams/team_form.html", {"form": form, "team": team})


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "teams.manage_members")
    search = PeopleFilterForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = MembershipForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.membership_add(team=team, **form.cleaned_data),
        success=lambda membership: f"{membership.person} joined {team}.",
    ):
        return redirect(team)
    form.show_only(selectors.membership_candidates(team, search=query))
    return render(
        request,
        "teams/member_form.html",
        {"form": form, "team": team, "search": search, "query": query},
    )


@login_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a member left the team, and when."""
    membership = membership_for(request.user, pk)
    form = LeavingForm(request.POST or None, initial={"left_on": today()})
    if (
        submitted(
            request,
            form,
            lambda: services.membership_end(
                membership=membership, ended_on=form.cleaned_data["left_on"]
            ),
            success=f"{membership.person} has left {membership.team}.",
        )
        is not DONE_NOTHING
    ):
        return redirect(membership.team)
    return render(request, "teams/member_end.html", {"form": form, "membership": membership})


@login_required
def development_record(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "teams.review_development")
    latest = team.development_reviews.first()
    initial = (
        {check: getattr(latest, check) for check in DevelopmentReview.CHECKS} if latest else {}
    )
    form = DevelopmentReviewForm(request.POST or None, initial=initial)

    def record() -> DevelopmentReview:
        review = form.save(commit=False)
        review.team, review.recorded_by = team, request.user
        return services.development_record(review=review)

    if submitted(request, form, record, success=f"The development review of {team} is recorded."):
        return redirect(team)
    return render(request, "teams/development_form.html", {"form": form, "team": team})
