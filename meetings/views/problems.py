"""The structured problem-solving format: problems, solutions, fidelity, effectiveness and
the end-of-meeting self-check, each recorded at a meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from teams.views.submit import submitted

from .. import selectors, services
from ..forms import EffectivenessForm, FidelityForm, ProblemForm, SelfCheckForm, SolutionForm
from ..models import Problem, SelfCheck
from .access import meeting_for, problem_for, solution_for

PERM = "meetings.solve_problems"


def _problem_solving(request, meeting) -> HttpResponse | None:
    if not meeting.series.is_problem_solving:
        messages.info(
            request,
            "This team's meetings use plain minutes. Its series can be switched to structured "
            "problem solving.",
        )
        return redirect(meeting)
    return None


@login_required
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, PERM)
    if refused := _problem_solving(request, meeting):
        return refused
    form = ProblemForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.problem_define(
            meeting=meeting, by=request.user, problem=form.save(commit=False)
        ),
        success="The problem statement is recorded. Add the solution actions next.",
    ):
        return redirect(f"{meeting.get_absolute_url()}#problems")
    return render(request, "meetings/problem_form.html", {"form": form, "meeting": meeting})


@login_required
def solution_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, PERM)
    if refused := _problem_solving(request, meeting):
        return refused
    problems = Problem.objects.filter(team=meeting.team, status="open").order_by("pk")
    form = SolutionForm(
        request.POST or None,
        problems=problems,
        people=selectors.people_for_actions(meeting.team),
        initial={"problem": request.GET.get("problem")},
    )
    if submitted(
        request,
        form,
        lambda: services.solution_add(
            meeting=meeting, by=request.user, solution=form.save(commit=False)
        ),
        success="The solution action is recorded.",
    ):
        return redirect(f"{meeting.get_absolute_url()}#problems")
    return render(request, "meetings/solution_form.html", {"form": form, "meeting": meeting})


@login_required
def fidelity(request: HttpRequest, pk: int, solution: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, PERM)
    solution = solution_for(request.user, meeting, solution)
    form = FidelityForm(request.POST or None, initial={"fidelity": solution.fidelity})
    if submitted(
        request,
        form,
        lambda: services.solution_fidelity_set(
            meeting=meeting,
            by=request.user,
            solution=solution,
            fidelity=form.cleaned_data["fidelity"],
        ),
        success="The solution's fidelity is recorded.",
    ):
        return redirect(f"{meeting.get_absolute_url()}#problems")
    return render(
        request,
        "meetings/fidelity_form.html",
        {"form": form, "meeting": meeting, "solution": solution},
    )


@login_required
def effectiveness(request: HttpRequest, pk: int, problem: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, PERM)
    problem = problem_for(request.user, meeting, problem)
    form = EffectivenessForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.effectiveness_record(
            meeting=meeting,
            by=request.user,
            problem=problem,
            effect=form.cleaned_data["effect"],
            note=form.cleaned_data["note"],
        ),
        success="The effectiveness is recorded.",
    ):
        return redirect(f"{meeting.get_absolute_url()}#problems")
    return render(
        request,
        "meetings/effectiveness_form.html",
        {"form": form, "meeting": meeting, "problem": problem},
    )


@login_required
def self_check(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, PERM)
    if refused := _problem_solving(request, meeting):
        return refused
    check = SelfCheck.objects.filter(meeting=meeting).first() or SelfCheck(meeting=meeting)
    form = SelfCheckForm(request.POST or None, instance=check)
    if submitted(
        request,
        form,
        lambda: services.self_check_save(
            meeting=meeting, by=request.user, check=form.save(commit=False)
        ),
        success="The self-check is kept with the meeting.",
    ):
        return redirect(f"{meeting.get_absolute_url()}#self-check")
    return render(request, "meetings/self_check_form.html", {"form": form, "meeting": meeting})


@login_required
@require_safe
def problem(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Problem.objects.select_related("team"), pk=pk)
    # Read as its meeting is read: 404 for someone who may not read that.
    meeting = meeting_for(request.user, found.meeting_id, "meetings.view_meeting")
    return render(
        request,
        "meetings/problem.html",
        {
            "problem": found,
            "meeting": meeting,
            "solutions": list(found.solutions.select_related("owner")),
            "checks": selectors.problem_history(found),
        },
    )
