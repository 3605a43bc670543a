"""Innovation selection: candidates, private ratings, the summary, the comparison, the
outcome, and the protocols they are rated on."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from teams.models import today
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import (
    CandidateForm,
    CompareForm,
    DecideForm,
    IndicatorForm,
    ProtocolImportForm,
    RatingForm,
)
from ..models import Candidate, RatingSheet, SelectionProtocol
from ..protocols import as_yaml
from .access import candidate_for, indicator_for, protocol_for, require


@login_required
@require_safe
def candidates(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.read")
    found = list(selectors.candidates_with_progress()[:100])
    return render(
        request,
        "initiatives/candidates.html",
        {
            "open": [c for c in found if c.is_open],
            "decided": [c for c in found if not c.is_open],
            "mine": set(
                request.user.candidates_to_rate.filter(outcome="").values_list("pk", flat=True)
            ),
            "may_manage": rules.has_perm("initiatives.manage_selection", request.user),
        },
    )


@login_required
@require_safe
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for(request.user, pk)
    own = RatingSheet.objects.filter(candidate=candidate, rater=request.user).first()
    is_rater = candidate.raters.filter(pk=request.user.pk).exists()
    # A chosen rater sees the others' scores once their own are in, so nobody anchors on
    # another's; everyone else sees the submitted sheets.
    holds_back = is_rater and candidate.is_open and not (own and own.submitted_at)
    return render(
        request,
        "initiatives/candidate.html",
        {
            "candidate": candidate,
            "summary": None if holds_back else selectors.selection_summary(candidate),
            "holds_back": holds_back,
            "own": own,
            "is_rater": is_rater,
            "raters": list(candidate.raters.order_by("last_name", "first_name")),
            "submitted_ids": set(
                candidate.sheets.filter(submitted_at__isnull=False).values_list(
                    "rater_id", flat=True
                )
            ),
            "may_rate": rules.has_perm("initiatives.rate", request.user, candidate),
            "may_change": rules.has_perm("initiatives.change_candidate", request.user, candidate),
        },
    )


@login_required
def candidate_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.manage_selection")
    form = CandidateForm(
        request.POST or None,
        initial={"protocol": SelectionProtocol.objects.values_list("pk", flat=True).first()},
    )
    if saved := submitted(
        request,
        form,
        lambda: services.candidate_save(
            candidate=form.save(commit=False), raters=form.cleaned_data["raters"], by=request.user
        ),
        success=lambda c: f"{c} is a candidate; its raters can now rate it.",
    ):
        return redirect(saved)
    return render(
        request,
        "initiatives/candidate_form.html",
        {"form": form, "no_protocol": not SelectionProtocol.objects.exists()},
    )


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for(request.user, pk, "initiatives.change_candidate")
    form = CandidateForm(request.POST or None, instance=candidate)
    if submitted(
        request,
        form,
        lambda: services.candidate_save(
            candidate=form.save(commit=False), raters=form.cleaned_data["raters"], by=request.user
        ),
        success=lambda c: f"{c} is saved.",
    ):
        return redirect(candidate)
    return render(
        request, "initiatives/candidate_form.html", {"form": form, "candidate": candidate}
    )


@login_required
def candidate_rate(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for(request.user, pk, "initiatives.rate")
    sheet = RatingSheet.objects.filter(candidate=candidate, rater=request.user).first()
    if sheet and sheet.submitted_at:
        return render(
            request, "initiatives/rating_form.html", {"candidate": candidate, "sheet": sheet}
        )
    indicators = list(candidate.protocol.indicators.all())
    existing = {r.indicator_id: r for r in sheet.ratings.all()} if sheet else {}
    form = RatingForm(
        request.POST or None, candidate=candidate, indicators=indicators, existing=existing
    )

    def save():
        return services.ratings_save(
            candidate=candidate,
            rater=request.user,
            scores=form.scores(),
            submit=form.cleaned_data["submit"],
        )

    if submitted(
        request,
        form,
        save,
        success=lambda s: (
            "Your ratings are submitted; the other raters' submitted scores are now shown."
            if s.submitted_at
            else "Your draft is saved; nobody else sees it until you submit."
        ),
    ):
        return redirect(candidate)
    return render(
        request,
        "initiatives/rating_form.html",
        {"candidate": candidate, "form": form, "indicators": indicators, "sheet": sheet},
    )


@login_required
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for(request.user, pk, "initiatives.change_candidate")
    form = DecideForm(request.POST or None, initial={"decided_on": today()}, recorder=request.user)

    def decide():
        data = form.cleaned_data
        return services.candidate_decide(
            candidate=candidate,
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            rationale=data["rationale"],
            by=request.user,
            meeting=data["meeting"],
        )

    if decided := submitted(
        request,
        form,
        decide,
        success=lambda c: (
            f"{c}: {c.get_outcome_display().lower()}. It is now a proposed initiative in the "
            "inventory, marked as an innovation."
            if c.initiative_id
            else f"{c}: {c.get_outcome_display().lower()}."
        ),
    ):
        return redirect(decided.initiative if decided.initiative_id else decided)
    return render(
        request,
        "initiatives/decide_form.html",
        {"form": form, "candidate": candidate, "summary": selectors.selection_summary(candidate)},
    )


@login_required
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Several candidates side by side: each indicator's mean and spread."""
    require(request.user, "initiatives.read")
    filters = CompareForm(request.GET or None)
    chosen = list(filters.cleaned_data["candidate"][:4]) if filters.is_valid() else []
    if not chosen:
        chosen = list(
            Candidate.objects.open().select_related("protocol").order_by("name", "pk")[:4]
        )
    summaries = selectors.selection_summaries(
        list(
            Candidate.objects.filter(pk__in=[c.pk for c in chosen])
            .select_related("protocol")
            .order_by("name", "pk")
        )
    )
    protocols = {s.candidate.protocol_id for s in summaries}
    rows = []
    if len(protocols) == 1 and summaries:
        for index, indicator in enumerate(summaries[0].indicators):
            rows.append(
                {
                    "indicator": indicator.indicator,
                    "cells": [s.indicators[index] for s in summaries],
                }
            )
    return render(
        request,
        "initiatives/compare.html",
        {
            "filters": filters,
            "summaries": summaries,
            "rows": rows,
            "mixed": len(protocols) > 1,
        },
    )


# --- Protocols ------------------------------------------------------------------------------


@login_required
@require_safe
def protocols(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.read")
    return render(
        request,
        "initiatives/protocols.html",
        {
            "protocols": list(SelectionProtocol.objects.prefetch_related("indicators")),
            "may_manage": rules.has_perm("initiatives.manage_protocols", request.user),
        },
    )


@login_required
@require_safe
def protocol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = protocol_for(request.user, pk)
    if request.GET.get("format") == "yaml":
        response = HttpResponse(as_yaml(protocol), content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="protocol-{protocol.pk}.yaml"'
        return response
    return render(
        request,
        "initiatives/protocol.html",
        {
            "protocol": protocol,
            "indicators": list(protocol.indicators.all()),
            "scale": [(point, protocol.label_of(point)) for point in protocol.scale],
            "may_manage": rules.has_perm("initiatives.manage_protocols", request.user),
        },
    )


@login_required
def protocol_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.manage_protocols")
    form = ProtocolImportForm(request.POST or None, request.FILES or None)
    if saved := submitted(
        request,
        form,
        lambda: services.protocol_load(definition=form.cleaned_data["definition"], by=request.user),
        success=lambda p: f"{p} is loaded with {p.indicators.count()} indicators.",
    ):
        return redirect(saved)
    return render(request, "initiatives/protocol_import.html", {"form": form})


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_for(request.user, pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if submitted(
        request,
        form,
        lambda: services.indicator_save(indicator=form.save(commit=False), by=request.user),
        success=lambda i: f"The wording of {i} is saved.",
    ):
        return redirect(indicator.protocol)
    return render(
        request, "initiatives/indicator_form.html", {"form": form, "indicator": indicator}
    )
