"""The initiative inventory: the list, one initiative, its funding, alignment and overlaps."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from teams.freshness import remembered
from teams.models import Team
from teams.paging import paginate
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import AlignmentForm, FundingForm, InitiativeForm, InventoryFilterForm, OverlapForm
from ..models import Funding, GoalAlignment, InventorySettings, VisionVersion
from ..rules import head_of
from .access import alignment_for, funding_for, initiative_for, overlap_for, require


@login_required
@require_safe
def inventory(request: HttpRequest) -> HttpResponse:
    filters = InventoryFilterForm(request.GET or None)
    asked = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.inventory(
        words=asked.get("q", ""),
        division=asked.get("division"),
        goal=asked.get("goal"),
        status=asked.get("status", ""),
        review=asked.get("review", ""),
        innovations=asked.get("innovations", False),
        sort=asked.get("sort") or "name",
    )
    page = paginate(request, found, 25)
    page.object_list = selectors.with_alignments(list(page.object_list))
    return render(
        request,
        "initiatives/inventory.html",
        {
            "filters": filters,
            "page": page,
            "filtered": bool(asked and any(asked.values())),
            "may_add": rules.has_perm("initiatives.add_initiative", request.user),
            "may_configure": rules.has_perm("initiatives.manage_settings", request.user),
        },
    )


@login_required
@require_safe
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    return render(request, "initiatives/initiative.html", _about(initiative))


@login_required
@require_safe
def initiative_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """One printable page: what the initiative is, what it serves and costs, its reviews."""
    initiative = initiative_for(request.user, pk)
    return render(request, "initiatives/summary.html", _about(initiative))


def _about(initiative) -> dict:
    config = InventorySettings.current()
    return {
        "initiative": initiative,
        "alignments": list(initiative.alignments.select_related("goal")),
        "funding": list(initiative.funding.all()),
        "overlaps": selectors.overlaps_of(initiative),
        "reviews": list(initiative.reviews.select_related("recorded_by", "consolidate_with")[:10]),
        "teams": list(initiative.teams.in_cascade_order("name")[:60]),
        "team_count": initiative.teams.count(),
        "vision": VisionVersion.current(),
        "current_fy": config.fiscal_year(),
        "fy_label": config.label,
        "candidate": getattr(initiative, "selected_from", None),
    }


@login_required
def initiative_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.add_initiative")
    form = InitiativeForm(
        request.POST or None,
        divisions=_divisions_for(request.user),
        initial={"review_cycle_months": InventorySettings.current().review_cycle_months},
    )

    def save():
        initiative = form.save(commit=False)
        return services.initiative_save(
            initiative=initiative, teams=form.cleaned_data["teams"], by=request.user
        )

    if saved := submitted(request, form, save, success=lambda i: f"{i} is in the inventory."):
        return redirect(saved)
    return render(request, "initiatives/initiative_form.html", {"form": form})


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk, "initiatives.change_initiative")
    form = InitiativeForm(
        request.POST or None, instance=initiative, divisions=_divisions_for(request.user)
    )
    started_from = dict(form.initial)

    def save():
        return services.initiative_save(
            initiative=form.save(commit=False),
            teams=form.cleaned_data["teams"],
            by=request.user,
            seen_version=form.cleaned_data["version"],
            started_from=started_from,
        )

    if saved := submitted(request, form, save, success=lambda i: f"{i} is saved."):
        return redirect(saved)
    return render(
        request, "initiatives/initiative_form.html", {"form": form, "initiative": initiative}
    )


def _divisions_for(user):
    """Leads choose any division; a division's head chooses the divisions they head."""
    if rules.has_perm("initiatives.review", user):
        return None
    return head_of(user)


@login_required
def funding_new(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk, "initiatives.change_initiative")
    form = FundingForm(
        request.POST or None,
        instance=Funding(initiative=initiative),
        initial={"fiscal_year": InventorySettings.current().fiscal_year()},
    )
    if submitted(
        request,
        form,
        lambda: services.funding_save(funding=form.save(commit=False), by=request.user),
        success="The funding line is saved.",
    ):
        return redirect(initiative)
    return render(
        request, "initiatives/funding_form.html", {"form": form, "initiative": initiative}
    )


@login_required
@require_POST
def funding_remove(request: HttpRequest, pk: int) -> HttpResponse:
    funding = funding_for(request.user, pk)
    services.funding_remove(funding=funding, by=request.user)
    messages.success(request, "The funding line is removed.")
    return redirect(funding.initiative)


@login_required
def alignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk, "initiatives.change_initiative")
    form = AlignmentForm(request.POST or None, instance=GoalAlignment(initiative=initiative))
    if submitted(
        request,
        form,
        lambda: services.alignment_save(alignment=form.save(commit=False), by=request.user),
        success=lambda a: f"{initiative} now serves {a.goal.short} ({a.get_strength_display()}).",
    ):
        return redirect(initiative)
    return render(
        request,
        "initiatives/alignment_form.html",
        {"form": form, "initiative": initiative, "vision": VisionVersion.current()},
    )


@login_required
@require_POST
def alignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    alignment = alignment_for(request.user, pk)
    services.alignment_remove(alignment=alignment, by=request.user)
    messages.success(request, f"{alignment.initiative} no longer counts as serving that goal.")
    return redirect(alignment.initiative)


@login_required
def overlap_new(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk, "initiatives.change_initiative")
    form = OverlapForm(request.POST or None, initiative=initiative)

    def record():
        data = form.cleaned_data
        return services.overlap_record(
            initiative=initiative,
            other=data["other"],
            by=request.user,
            shares_population=data["shares_population"],
            shares_outcome=data["shares_outcome"],
            shares_staff=data["shares_staff"],
            note=data["note"],
        )

    if submitted(request, form, record, success="The overlap is recorded."):
        return redirect(initiative)
    return render(
        request, "initiatives/overlap_form.html", {"form": form, "initiative": initiative}
    )


@login_required
@require_POST
def overlap_remove(request: HttpRequest, pk: int) -> HttpResponse:
    overlap = overlap_for(request.user, pk)
    services.overlap_remove(overlap=overlap, by=request.user)
    messages.success(request, "The overlap is removed.")
    return redirect(overlap.first)


# --- The Transformation Zone --------------------------------------------------------------


@login_required
@require_safe
def transformation_zone(request: HttpRequest) -> HttpResponse:
    """The Transformation Zone: where the agency's innovations are installed and proven first."""
    teams = Team.objects.in_zone().select_related("parent").in_cascade_order("name")
    # Who is in the Zone changes with a team's dates (and so the cascade) or the day.
    count = remembered("zone-count", ("cascade",), teams.count)
    return render(
        request, "initiatives/zone.html", {"page": paginate(request, teams, 50, count=count)}
    )
