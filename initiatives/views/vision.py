"""The vision, mission and strategic goals, their versions, and the SMT's affirmations."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from teams.models import today
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import AffirmationForm, GoalForm, SettingsForm, VisionForm
from ..models import Affirmation, InventorySettings, StrategicGoal, VisionVersion
from .access import goal_for, require, version_for


@login_required
@require_safe
def vision(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.read")
    current = VisionVersion.current()
    return render(
        request,
        "initiatives/vision.html",
        {
            "current": current,
            "goals": list(StrategicGoal.objects.current()),
            "retired_goals": list(
                StrategicGoal.objects.filter(retired_on__isnull=False).order_by("-retired_on")[:20]
            ),
            "versions": list(
                VisionVersion.objects.newest_first().select_related("adopted_by")[:20]
            ),
            "affirmation": selectors.affirmation_state(),
            "affirmations": list(Affirmation.objects.select_related("recorded_by", "meeting")[:12]),
            "may_edit": rules.has_perm("initiatives.edit_vision", request.user),
        },
    )


@login_required
@require_safe
def vision_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request.user, pk)
    return render(
        request,
        "initiatives/vision_version.html",
        {
            "version": version,
            "goals": selectors.vision_with_goals(version),
            "is_current": version == VisionVersion.current(),
        },
    )


@login_required
def vision_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.edit_vision")
    current = VisionVersion.current()
    initial = {"adopted_on": today()}
    if current:
        initial |= {"vision": current.vision, "mission": current.mission}
    form = VisionForm(request.POST or None, initial=initial)
    if submitted(
        request,
        form,
        lambda: services.vision_adopt(version=form.save(commit=False), by=request.user),
        success="The new version of the vision is adopted; the earlier one stays readable.",
    ):
        return redirect("initiatives:vision")
    return render(request, "initiatives/vision_form.html", {"form": form, "current": current})


@login_required
def goal_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.edit_vision")
    taken = StrategicGoal.objects.current().values_list("number", flat=True)
    form = GoalForm(request.POST or None, initial={"number": max(taken, default=0) + 1})
    if submitted(
        request,
        form,
        lambda: services.goal_save(goal=form.save(commit=False), by=request.user),
        success=lambda g: f"{g} is added under the current vision.",
    ):
        return redirect("initiatives:vision")
    return render(request, "initiatives/goal_form.html", {"form": form})


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = goal_for(request.user, pk)
    form = GoalForm(request.POST or None, instance=goal)
    if submitted(
        request,
        form,
        lambda: services.goal_save(goal=form.save(commit=False), by=request.user),
        success=lambda g: f"{g} is saved.",
    ):
        return redirect("initiatives:vision")
    return render(request, "initiatives/goal_form.html", {"form": form, "goal": goal})


@login_required
def affirmation_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.edit_vision")
    form = AffirmationForm(request.POST or None, initial={"affirmed_on": today()})
    if submitted(
        request,
        form,
        lambda: services.affirmation_record(affirmation=form.save(commit=False), by=request.user),
        success="The affirmation is recorded.",
    ):
        return redirect("initiatives:vision")
    return render(request, "initiatives/affirmation_form.html", {"form": form})


@login_required
def inventory_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.manage_settings")
    config = InventorySettings.objects.first() or InventorySettings()
    form = SettingsForm(request.POST or None, instance=config)
    if submitted(
        request,
        form,
        lambda: services.settings_save(inventory_settings=form.save(commit=False), by=request.user),
        success="The inventory's settings are saved.",
    ):
        return redirect(reverse("initiatives:settings"))
    return render(request, "initiatives/settings_form.html", {"form": form})
