from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .. import selectors, services, sponsor_rule
from ..forms import SponsorAppointmentForm, SponsorEndForm, SponsorPairingForm
from ..freshness import versions
from ..paging import paginate
from .access import appointment_for, pairing_for, require
from .submit import submitted

T = TypeVar("T")


def flag_sponsor_rule(request: HttpRequest, watch: sponsor_rule.RuleWatch) -> None:
    """Tell the person at once when their change broke the sponsor rule."""
    if watch.broke:
        messages.warning(
            request,
            "This change broke the sponsor rule: "
            + " ".join(watch.after.problems)
            + " It is flagged to the CSSO, the Deputy and admins until it is fixed.",
        )


def keeping_sponsor_rule(request: HttpRequest, save: Callable[[], T]) -> Callable[[], T]:
    """Wrap a service call that could break the sponsor rule: check it before and after,
    and flag it if the change broke it."""

    def call() -> T:
        with sponsor_rule.watched() as watch:
            result = save()
        flag_sponsor_rule(request, watch)
        return result

    return call


@login_required
@require_safe
def sponsors(request: HttpRequest) -> HttpResponse:
    """The Executive Leadership Sponsors, the rule they must keep, and whom they champion."""
    return render(
        request,
        "teams/sponsors.html",
        {
            "rule": sponsor_rule.current_sponsor_rule(),
            "pairings": selectors.current_pairings(),
            "unpaired": selectors.specialists_without_sponsor(),
            "history": paginate(request, sponsor_rule.sponsor_history(), 15),
            "versions": versions("people"),
        },
    )


@login_required
def sponsor_appoint(request: HttpRequest) -> HttpResponse:
    require(request.user, "teams.appoint_sponsor")
    form = SponsorAppointmentForm(request.POST or None)
    appointment = submitted(
        request,
        form,
        lambda: sponsor_rule.sponsor_appoint(appointed_by=request.user, **form.cleaned_data),
    )
    if appointment:
        holds = sponsor_rule.sponsor_rule().holds
        messages.success(
            request,
            f"{appointment.sponsor} is appointed as an Executive Leadership Sponsor. "
            + ("The sponsor rule holds." if holds else "The sponsor rule still fails."),
        )
        return redirect("teams:sponsors")
    return render(
        request,
        "teams/sponsor_appoint.html",
        {"form": form, "rule": sponsor_rule.sponsor_rule()},
    )


@login_required
def sponsor_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_for(request.user, pk)
    after = sponsor_rule.sponsor_rule(without=appointment)
    breaks = sponsor_rule.sponsor_rule().holds and not after.holds
    # Bound on any POST: when the rule still holds the form is just its button.
    form = SponsorEndForm(request.POST if request.method == "POST" else None, breaks_rule=breaks)
    ended = submitted(
        request,
        form,
        lambda: sponsor_rule.sponsor_appointment_end(
            appointment=appointment, ended_by=request.user, **form.cleaned_data
        ),
    )
    if ended:
        level = messages.SUCCESS if ended.holds else messages.WARNING
        broken = (
            "" if ended.holds else " The sponsor rule is now broken: " + " ".join(ended.problems)
        )
        messages.add_message(
            request, level, f"{appointment.sponsor} is no longer a sponsor.{broken}"
        )
        return redirect("teams:sponsors")
    return render(
        request,
        "teams/sponsor_end.html",
        {"form": form, "appointment": appointment, "after": after, "breaks": breaks},
    )


@login_required
def pairing_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "teams.pair_sponsor")
    form = SponsorPairingForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.sponsor_pair(by=request.user, **form.cleaned_data),
        success=lambda pairing: f"{pairing.sponsor} now champions {pairing.specialist}.",
    ):
        return redirect("teams:sponsors")
    return render(request, "teams/pairing_form.html", {"form": form})


@login_required
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a pairing, after a confirming page."""
    pairing = pairing_for(request.user, pk)
    if request.method == "POST":
        try:
            services.sponsor_pairing_end(pairing=pairing, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{pairing.sponsor} no longer champions {pairing.specialist}."
            )
        return redirect("teams:sponsors")
    return render(request, "teams/pairing_end.html", {"pairing": pairing})
