"""The formal review of initiatives: what is due, and the review itself."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from meetings.models import ActionItem
from teams.models import today
from teams.paging import paginate
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import ReviewActionForm, ReviewForm
from ..models import InventorySettings, Review, StrategicGoal, VisionVersion
from .access import initiative_for, require, review_for


@login_required
@require_safe
def reviews_due(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.read")
    page = paginate(request, selectors.reviews_due(), 25)
    recent = list(Review.objects.select_related("initiative").order_by("-held_on", "-pk")[:8])
    return render(
        request,
        "initiatives/reviews.html",
        {
            "page": page,
            "recent": recent,
            "today": today(),
            "window": selectors.review_window(),
            "may_review": rules.has_perm("initiatives.review", request.user),
        },
    )


@login_required
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(request.user, pk)
    return render(
        request,
        "initiatives/review.html",
        {
            "review": review,
            "actions": list(
                ActionItem.objects.filter(
                    origin_type=ContentType.objects.get_for_model(Review), origin_id=review.pk
                ).select_related("owner")[:20]
            ),
            "may_act": rules.has_perm("initiatives.review", request.user),
        },
    )


@login_required
def review_action(request: HttpRequest, pk: int) -> HttpResponse:
    """An action item that comes from a review, for the SMT to see through."""
    review = review_for(request.user, pk)
    require(request.user, "initiatives.review")
    form = ReviewActionForm(request.POST or None)

    def add():
        data = form.cleaned_data
        return services.review_action_add(
            review=review,
            by=request.user,
            what=data["what"],
            owner=data["owner"],
            due_on=data["due_on"],
        )

    if submitted(request, form, add, success=lambda a: f"The action item for {a.owner} is added."):
        return redirect(review)
    return render(request, "initiatives/review_action_form.html", {"form": form, "review": review})


@login_required
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The review walks the SMT through alignment to the current goals, evidence of
    results, resources and staff capacity, and overlap, and ends in a decision."""
    initiative = initiative_for(request.user, pk, "initiatives.review")
    form = ReviewForm(
        request.POST or None,
        instance=Review(initiative=initiative),
        initiative=initiative,
        recorder=request.user,
        initial={"held_on": today()},
    )
    if saved := submitted(
        request,
        form,
        lambda: services.review_record(review=form.save(commit=False), by=request.user),
        success=lambda r: (
            f"The review of {initiative} is recorded: {r.get_decision_display().lower()}. "
            f"Next review by {r.next_review_on:%-d %B %Y}."
        ),
    ):
        return redirect(saved)
    config = InventorySettings.current()
    now = config.fiscal_year()
    return render(
        request,
        "initiatives/review_form.html",
        {
            "form": form,
            "initiative": initiative,
            "vision": VisionVersion.current(),
            "goals": list(StrategicGoal.objects.current()),
            "served": {a.goal_id: a for a in initiative.alignments.select_related("goal")},
            "funding": list(initiative.funding.filter(fiscal_year__in=(now - 1, now, now + 1))),
            "fy_label": config.label,
            "overlaps": selectors.overlaps_of(initiative),
            "previous": initiative.reviews.order_by("-held_on", "-pk").first(),
        },
    )
