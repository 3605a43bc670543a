"""Barriers up the cascade and answers back down, the SMT's queue, the follow-through
view and the log of systemic changes."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from teams.models import Division
from teams.paging import paginate, paginate_newest
from teams.views.submit import DONE_NOTHING, submitted

from .. import selectors, services
from ..forms import AnswerForm, BarrierForm, ConfirmForm, MergeForm, NoteForm, SystemicChangeForm
from ..models import Barrier, BarrierStage, Decision, SystemicChange
from ..rules import readable_barriers
from .access import barrier_for, require


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "barriers/index.html",
        {
            "waiting": list(selectors.barriers_waiting_with_my_teams(user)[:25]),
            "page": paginate_newest(
                request, selectors.barriers_raised_by_my_teams(user), 20, keys_first=True
            ),
            "may_raise": rules.has_perm("meetings.raise_some_barrier", user),
            "may_follow": rules.has_perm("meetings.follow_through", user),
        },
    )


@login_required
def raise_barrier(request: HttpRequest) -> HttpResponse:
    require(
        request.user,
        "meetings.raise_some_barrier",
        message="You sit on no team to raise a barrier for.",
    )
    teams = selectors.teams_raising_for(request.user)
    chosen = request.POST.get("team") or request.GET.get("team")
    team = teams.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
    if team is None and len(teams) == 1:
        team = teams[0]
    updates, meetings = selectors.barrier_evidence(team)
    form = BarrierForm(
        request.POST or None,
        teams=teams,
        updates=updates,
        meetings=meetings,
        initial={"team": team.pk if team else None},
    )
    if raised := submitted(
        request,
        form,
        lambda: services.barrier_raise(barrier=form.save(commit=False), by=request.user),
        success=lambda b: f"The barrier is with {b.holder}.",
    ):
        return redirect(raised)
    return render(request, "barriers/raise.html", {"form": form, "team": team})


@login_required
@require_safe
def barrier(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.view_barrier")
    return render(request, "barriers/barrier.html", {"view": selectors.barrier_view(barrier)})


def _act(request, barrier, form, save, success: str, template: str, **context):
    if submitted(request, form, save, success=success) is not DONE_NOTHING:
        return redirect(barrier)
    return render(request, template, {"form": form, "barrier": barrier, **context})


@login_required
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.escalate_barrier")
    form = NoteForm(request.POST or None, label="What your team knows and has tried")
    return _act(
        request,
        barrier,
        form,
        lambda: services.barrier_escalate(
            barrier=barrier, by=request.user, note=form.cleaned_data["note"]
        ),
        f"The barrier is passed up to {barrier.holder.parent}.",
        "barriers/escalate.html",
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.answer_barrier")
    form = AnswerForm(request.POST or None, changes=selectors.recent_changes())
    return _act(
        request,
        barrier,
        form,
        lambda: services.barrier_answer(
            barrier=barrier,
            by=request.user,
            answer=form.cleaned_data["answer"],
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            change=form.cleaned_data["change"],
        ),
        "The answer is on its way back down the path the barrier came.",
        "barriers/answer.html",
    )


@login_required
def pass_down(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.pass_answer_down")
    form = NoteForm(request.POST or None, label="What it means at your level", required=False)
    return _act(
        request,
        barrier,
        form,
        lambda: services.barrier_pass_down(
            barrier=barrier, by=request.user, note=form.cleaned_data["note"]
        ),
        "The answer is passed down.",
        "barriers/pass_down.html",
    )


@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.confirm_barrier")
    form = ConfirmForm(request.POST or None)
    return _act(
        request,
        barrier,
        form,
        lambda: services.barrier_confirm(
            barrier=barrier,
            by=request.user,
            helped=form.cleaned_data["helped"] == "yes",
            note=form.cleaned_data["note"],
        ),
        "Thank you: the answer's journey is recorded.",
        "barriers/confirm.html",
    )


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.answer_barrier")
    candidates = (
        Barrier.objects.filter(holder=barrier.holder)
        .exclude(pk=barrier.pk)
        .exclude(stage=BarrierStage.CLOSED)
        .order_by("-raised_at")
    )
    form = MergeForm(request.POST or None, candidates=candidates)
    return _act(
        request,
        barrier,
        form,
        lambda: services.barrier_merge(
            barrier=barrier,
            into=form.cleaned_data["into"],
            by=request.user,
            note=form.cleaned_data["note"],
        ),
        "The barrier is merged; its team follows the other's answer.",
        "barriers/merge.html",
    )


@login_required
@require_POST
def place_on_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = barrier_for(request.user, pk, "meetings.place_barrier_on_agenda")
    try:
        item = services.barrier_place_on_agenda(barrier=barrier, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(barrier)
    messages.success(
        request, f"The barrier is on the agenda of {item.meeting.team}'s next meeting."
    )
    return redirect(barrier)


@login_required
@require_safe
def smt_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "barriers/smt_queue.html",
        {"page": paginate(request, selectors.smt_queue(), 25)},
    )


@login_required
@require_safe
def follow_through(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.follow_through")
    page = paginate_newest(request, selectors.follow_through_items(request.user), 20)
    items = list(page.object_list)
    selectors.follow_through_days(items)
    return render(request, "barriers/follow_through.html", {"page": page, "items": items})


@login_required
@require_safe
def changes(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.read_systemic_changes")
    log = SystemicChange.objects.select_related("division").order_by("-effective_on", "-pk")
    return render(
        request,
        "barriers/changes.html",
        {
            "page": paginate(request, log, 20),
            "may_record": rules.has_perm("meetings.record_systemic_change", request.user),
        },
    )


@login_required
@require_safe
def change(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "meetings.read_systemic_changes")
    found = get_object_or_404(
        SystemicChange.objects.select_related("division", "recorded_by"), pk=pk
    )
    return render(
        request,
        "barriers/change.html",
        {
            "change": found,
            "barriers": list(found.barriers.filter(readable_barriers(request.user))),
            "decisions": list(found.decisions.select_related("team")),
        },
    )


@login_required
def change_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "meetings.record_systemic_change")
    form = SystemicChangeForm(
        request.POST or None,
        barriers=Barrier.objects.filter(reached_state=True)
        .exclude(stage=BarrierStage.CLOSED)
        .order_by("-raised_at"),
        decisions=Decision.objects.filter(team__is_management_team=True).order_by("-decided_on"),
        divisions=Division.objects.active().order_by("name"),
        initial={"barriers": [request.GET.get("barrier")] if request.GET.get("barrier") else []},
    )
    if recorded := submitted(
        request,
        form,
        lambda: services.systemic_change_record(
            change=form.save(commit=False),
            by=request.user,
            barriers=form.cleaned_data["barriers"],
            decisions=form.cleaned_data["decisions"],
        ),
        success="The systemic change is in the log.",
    ):
        return redirect(recorded)
    return render(request, "barriers/change_form.html", {"form": form})
