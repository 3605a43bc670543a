from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from smt_portal.paging import paginate

from .. import selectors, services
from ..forms import SponsorAppointmentForm, SponsorEndForm, SponsorPairingForm, add_service_errors
from .access import appointment_for, pairing_for, require


@login_required
def sponsors(request: HttpRequest) -> HttpResponse:
    """The Executive Leadership Sponsors, the rule they must keep, and whom they champion."""
    return render(
        request,
        "teams/sponsors.html",
        {
            "rule": selectors.sponsor_rule(),
            "pairings": selectors.current_pairings(),
            "unpaired": selectors.specialists_without_sponsor(),
            "history": paginate(request, selectors.sponsor_history(), 15),
        },
    )


@login_required
def sponsor_appoint(request: HttpRequest) -> HttpResponse:
    require(request.user, "teams.appoint_sponsor")
    form = SponsorAppointmentForm(request.POST or None)
    if form.is_valid():
        try:
            appointment = services.sponsor_appoint(appointed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            rule = selectors.sponsor_rule()
            messages.success(
                request,
                f"{appointment.sponsor} is appointed as an Executive Leadership Sponsor. "
                + ("The sponsor rule holds." if rule.holds else "The sponsor rule still fails."),
            )
            return redirect("teams:sponsors")
    return render(
        request, "teams/sponsor_appoint.html", {"form": form, "rule": selectors.sponsor_rule()}
    )


@login_required
def sponsor_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_for(request.user, pk)
    form = SponsorEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            after = services.sponsor_appointment_end(
                appointment=appointment, ended_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            level = messages.SUCCESS if after.holds else messages.WARNING
            messages.add_message(
                request,
                level,
                f"{appointment.sponsor} is no longer a sponsor."
                + (
                    ""
                    if after.holds
                    else " The sponsor rule is now broken: " + " ".join(after.problems)
                ),
            )
            return redirect("teams:sponsors")
    return render(
        request,
        "teams/sponsor_end.html",
        {
            "form": form,
            "appointment": appointment,
            "after": selectors.sponsor_rule(without=appointment),
        },
    )


@login_required
def pairing_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "teams.pair_sponsor")
    form = SponsorPairingForm(request.POST or None)
    if form.is_valid():
        try:
            pairing = services.sponsor_pair(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{pairing.sponsor} now champions {pairing.specialist}.")
            return redirect("teams:sponsors")
    return render(request, "teams/pairing_form.html", {"form": form})


@login_required
@require_POST
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = pairing_for(request.user, pk)
    try:
        services.sponsor_pairing_end(pairing=pairing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{pairing.sponsor} no longer champions {pairing.specialist}.")
    return redirect("teams:sponsors")
