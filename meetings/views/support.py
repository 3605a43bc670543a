"""Sponsors' support to the STSs between SMT meetings, with response times measured over
working days; the agency's holidays; successes and challenges shared with the SMT."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from teams.models import Team
from teams.paging import paginate_newest
from teams.standing import standing
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import HolidayForm, ReplyForm, ShareForm, SupportRequestForm
from ..models import Holiday, SharedWithSmt
from .access import require, support_for


@login_required
def support(request: HttpRequest) -> HttpResponse:
    """The person's support requests, asked or received, and response times."""
    user = request.user
    require(user, "meetings.open_support")
    everyone = rules.has_perm("teams.appoint_sponsor", user)
    times = []
    if rules.has_perm("teams.appoint_sponsor", user):
        times = selectors.sponsor_response_times()
    elif rules.has_perm("meetings.read_support_times", user):
        own = [user.pk] if rules.has_perm("teams.champion_specialists", user) else None
        paired = list(selectors.paired_sponsors(user).values_list("pk", flat=True))
        times = selectors.sponsor_response_times(sponsor_ids=own or paired)
    return render(
        request,
        "barriers/support.html",
        {
            "page": paginate_newest(
                request, selectors.support_requests_for(user, everyone=everyone), 20
            ),
            "times": times,
            "may_ask": rules.has_perm("meetings.ask_support", user),
            "may_share": rules.has_perm("meetings.share_with_smt", user),
            "may_keep_holidays": rules.has_perm("meetings.keep_holidays", user),
        },
    )


@login_required
def support_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.ask_support", message="Only an STS asks sponsors for support.")
    form = SupportRequestForm(
        request.POST or None, sponsors=selectors.paired_sponsors(request.user)
    )
    if asked := submitted(
        request,
        form,
        lambda: services.support_ask(request=form.save(commit=False), by=request.user),
        success=lambda r: f"Your request is with {r.sponsor}.",
    ):
        return redirect(asked)
    return render(request, "barriers/support_form.html", {"form": form})


@login_required
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = support_for(request.user, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "meetings.reply_support", found)
    if submitted(
        request,
        form,
        lambda: services.support_reply(
            request=found, by=request.user, text=form.cleaned_data["text"]
        ),
        success="Your reply is sent.",
    ):
        return redirect(found)
    first = found.first_response_days
    return render(
        request,
        "barriers/support_detail.html",
        {
            "support": found,
            "replies": list(found.replies.select_related("by")),
            "form": form,
            "first_days": first,
            "may_reply": rules.has_perm("meetings.reply_support", request.user, found),
        },
    )


@login_required
@require_POST
def support_close(request: HttpRequest, pk: int) -> HttpResponse:
    found = support_for(request.user, pk, "meetings.close_support")
    services.support_close(request=found, by=request.user)
    messages.success(request, "The request is closed.")
    return redirect(found)


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.keep_holidays")
    form = HolidayForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.holiday_save(holiday=form.save(commit=False), by=request.user),
        success="The holiday is saved: it no longer counts in response times.",
    ):
        return redirect("barriers:holidays")
    return render(
        request,
        "barriers/holidays.html",
        {"form": form, "holidays": list(Holiday.objects.order_by("-day")[:60])},
    )


@login_required
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "meetings.keep_holidays")
    holiday = get_object_or_404(Holiday, pk=pk)
    services.holiday_delete(holiday=holiday, by=request.user)
    messages.success(request, f"{holiday} is removed.")
    return redirect("barriers:holidays")


@login_required
def share(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.share_with_smt")
    teams = Team.objects.filter(pk__in=standing(request.user).own_team_ids).order_by(
        "cascade_rank", "name"
    )
    form = ShareForm(request.POST or None, teams=teams)
    if submitted(
        request,
        form,
        lambda: services.shared_with_smt(shared=form.save(commit=False), by=request.user),
        success="Shared: it is offered for the SMT's next agenda.",
    ):
        return redirect("barriers:support")
    return render(request, "barriers/share.html", {"form": form})


@login_required
@require_safe
def shared(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "teams.read_whole_cascade")
    found = get_object_or_404(SharedWithSmt.objects.select_related("team", "by"), pk=pk)
    return render(request, "barriers/shared.html", {"shared": found})
