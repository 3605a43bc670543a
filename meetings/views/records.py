"""The forms that change meetings: series, scheduling, agendas, minutes, attendance,
decisions and action items. Each one calls a service and shows its refusal on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from teams.views.submit import DONE_NOTHING, submitted

from .. import selectors, services
from ..forms import (
    ActionItemForm,
    AgendaItemForm,
    AgendaVersionForm,
    AttendanceForm,
    DecisionForm,
    DropForm,
    MeetingForm,
    MinutesForm,
    MoveForm,
    OfferForm,
    ReviewDateForm,
    SeriesForm,
)
from ..models import AgendaItem, Meeting, MeetingSeries
from ..registry import linkable_by_key
from .access import action_for, decision_for, item_for, meeting_for, team_for


def _form_page(request, template: str, form, **context) -> HttpResponse:
    return render(request, template, {"form": form, **context})


# --- Series and meetings ---------------------------------------------------------------------


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "meetings.change_series")
    series = MeetingSeries.objects.filter(team=team).first() or MeetingSeries(
        team=team, name=f"{team} meetings"
    )
    form = SeriesForm(request.POST or None, instance=series)
    if submitted(
        request,
        form,
        lambda: services.series_save(series=form.save(commit=False), by=request.user),
        success="The meeting series is saved.",
    ):
        return redirect("meetings:team", team.pk)
    return _form_page(request, "meetings/series_form.html", form, team=team, series=series)


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "meetings.schedule_meeting")
    series = MeetingSeries.objects.filter(team=team).first()
    if series is None:
        messages.info(request, "Set up the team's meeting series first: its format and quorum.")
        return redirect("meetings:series", team.pk)
    meeting = Meeting(
        series=series,
        team=team,
        place=series.usual_place,
        video_link=series.usual_link,
        length=series.usual_length,
        starts_at=services.proposed_start(series),
    )
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        members=selectors.members_of(team),
        problem_solving=series.is_problem_solving,
    )
    if scheduled := submitted(
        request,
        form,
        lambda: services.meeting_schedule(meeting=form.save(commit=False), by=request.user),
        success="The meeting is scheduled; open action items and decisions due for review "
        "are on its agenda.",
    ):
        return redirect(scheduled)
    return _form_page(request, "meetings/meeting_form.html", form, team=team, series=series)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.change_meeting")
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        members=selectors.members_of(meeting.team),
        problem_solving=meeting.series.is_problem_solving,
        with_status=True,
    )
    if submitted(
        request,
        form,
        lambda: services.meeting_save(meeting=form.save(commit=False), by=request.user),
        success="The meeting is saved.",
    ):
        return redirect(meeting)
    return _form_page(
        request, "meetings/meeting_form.html", form, team=meeting.team, meeting=meeting
    )


# --- Agendas and minutes ----------------------------------------------------------------------


def _stale(request, error: ValidationError, meeting: Meeting) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(meeting)


@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.prepare_agenda")
    form = AgendaItemForm(
        request.POST or None,
        members=selectors.people_for_actions(meeting.team),
        initial={"version": meeting.agenda_version},
    )
    if submitted(
        request,
        form,
        lambda: services.agenda_item_add(
            meeting=meeting,
            by=request.user,
            item=form.save(commit=False),
            agenda_version=form.cleaned_data["version"],
        ),
        success="The item is on the agenda.",
    ):
        return redirect(meeting)
    return _form_page(request, "meetings/agenda_item_form.html", form, meeting=meeting)


@login_required
def agenda_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.prepare_agenda")
    item = item_for(request.user, meeting, item)
    saved = AgendaItem.objects.get(pk=item.pk)
    form = AgendaItemForm(
        request.POST or None,
        instance=item,
        members=selectors.people_for_actions(meeting.team),
        initial={"version": item.version},
    )
    if submitted(
        request,
        form,
        lambda: services.agenda_item_save(
            item=form.save(commit=False), by=request.user, version=form.cleaned_data["version"]
        ),
        success="The agenda item is saved.",
    ):
        return redirect(meeting)
    return _form_page(
        request,
        "meetings/agenda_item_form.html",
        _refreshed(form, saved.version),
        meeting=meeting,
        item=item,
        saved=saved if _is_stale(form) else None,
    )


@login_required
def minutes_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.write_minutes")
    item = item_for(request.user, meeting, item)
    form = MinutesForm(
        request.POST or None, initial={"minutes": item.minutes, "version": item.version}
    )
    if submitted(
        request,
        form,
        lambda: services.minutes_save(
            item=item,
            by=request.user,
            minutes=form.cleaned_data["minutes"],
            version=form.cleaned_data["version"],
        ),
        success="The minutes are saved.",
    ):
        return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    saved = AgendaItem.objects.select_related("minutes_by").get(pk=item.pk)
    return _form_page(
        request,
        "meetings/minutes_form.html",
        _refreshed(form, saved.version),
        meeting=meeting,
        item=item,
        saved=saved if _is_stale(form) else None,
    )


def _is_stale(form) -> bool:
    return any(e.code == "stale" for e in form.errors.as_data().get("__all__", []))


def _refreshed(form, version: int):
    """After a refused stale save, the form carries the version the person has now been
    shown, so saving their merged text goes through."""
    if form.is_bound and _is_stale(form):
        form.data = form.data.copy()
        form.data["version"] = str(version)
    return form


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.prepare_agenda")
    item = item_for(request.user, meeting, item)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to move the item up or down.")
        return redirect(meeting)
    try:
        services.agenda_item_move(
            item=item,
            by=request.user,
            direction=form.cleaned_data["direction"],
            agenda_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return _stale(request, error, meeting)
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@login_required
def agenda_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.prepare_agenda")
    item = item_for(request.user, meeting, item)
    form = AgendaVersionForm(request.POST or None, initial={"version": meeting.agenda_version})
    if (
        submitted(
            request,
            form,
            lambda: services.agenda_item_remove(
                item=item, by=request.user, agenda_version=form.cleaned_data["version"]
            ),
            success=f"'{item.title}' is off the agenda; whatever it was about is unchanged.",
        )
        is not DONE_NOTHING
    ):
        return redirect(meeting)
    return _form_page(request, "meetings/agenda_remove.html", form, meeting=meeting, item=item)


@login_required
@require_POST
def agenda_offer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.prepare_agenda")
    form = OfferForm(request.POST)
    entry = linkable_by_key(form.data.get("kind", ""))
    if not form.is_valid() or entry is None:
        messages.error(request, "That record cannot be put on this agenda.")
        return redirect(meeting)
    offered = {
        (key, record.pk): record
        for _, records in selectors.offers_for(meeting, [])
        for key, record in records
    }
    record = offered.get((entry.key, form.cleaned_data["record"]))
    if record is None:
        messages.error(request, "That record is not offered for this agenda (any more).")
        return redirect(meeting)
    try:
        services.agenda_offer_take(
            meeting=meeting,
            by=request.user,
            record=record,
            agenda_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return _stale(request, error, meeting)
    messages.success(request, f"'{record}' is on the agenda.")
    return redirect(meeting)


@login_required
@require_POST
def agenda_carry(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.prepare_agenda")
    carried = services.carry_forward(meeting=meeting, by=request.user)
    if carried.actions or carried.reviews:
        messages.success(request, f"Brought forward {carried}.")
    else:
        messages.info(
            request,
            "Nothing new to bring forward: every open action item and "
            "decision due for review is already on the agenda.",
        )
    return redirect(meeting)


# --- Attendance, decisions, action items -------------------------------------------------------


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.record_attendance")
    members = selectors.members_of(meeting.team)
    form = AttendanceForm(
        request.POST or None,
        members=members,
        attendance={a.person_id: a for a in meeting.attendance.all()},
    )
    if submitted(
        request,
        form,
        lambda: services.attendance_record(
            meeting=meeting, by=request.user, entries=list(form.entries())
        ),
        success=lambda m: (
            "Attendance is recorded: quorum " + ("met." if m.quorum_met else "not met.")
        ),
    ):
        return redirect(meeting)
    return _form_page(
        request,
        "meetings/attendance_form.html",
        form,
        meeting=meeting,
        quorum=meeting.series.quorum_label(),
    )


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.record_decision")
    form = DecisionForm(
        request.POST or None,
        meeting=meeting,
        updates=selectors.evidence_updates(meeting.team),
        initial={"agenda_item": request.GET.get("item")},
    )
    if submitted(
        request,
        form,
        lambda: services.decision_record(
            meeting=meeting,
            by=request.user,
            text=form.cleaned_data["text"],
            rationale=form.cleaned_data["rationale"],
            review_on=form.cleaned_data["review_on"],
            evidence=list(form.cleaned_data["updates"]),
            documents=form.documents(),
            agenda_item=form.cleaned_data["agenda_item"],
        ),
        success=lambda d: (
            "The decision is recorded" + (" (taken without quorum)." if d.without_quorum else ".")
        ),
    ):
        return redirect(meeting)
    return _form_page(request, "meetings/decision_form.html", form, meeting=meeting)


@login_required
def decision_review(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decision_for(request.user, pk, "meetings.change_decision")
    form = ReviewDateForm(request.POST or None, instance=decision)
    if submitted(
        request,
        form,
        lambda: services.decision_review_date_set(
            decision=decision, by=request.user, review_on=form.cleaned_data["review_on"]
        ),
        success="The review date is saved.",
    ):
        return redirect(decision)
    return _form_page(request, "meetings/review_form.html", form, decision=decision)


@login_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "meetings.add_action")
    form = ActionItemForm(request.POST or None, people=selectors.people_for_actions(meeting.team))
    item_pk = request.POST.get("item") or request.GET.get("item")
    origin = meeting.agenda.filter(pk=item_pk).first() if item_pk and item_pk.isdigit() else None
    if submitted(
        request,
        form,
        lambda: services.action_item_add(
            team=meeting.team,
            by=request.user,
            what=form.cleaned_data["what"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            origin=origin,
            meeting=meeting,
        ),
        success=lambda a: f"The action item is {a.owner}'s, due {a.due_on:%-d %B %Y}.",
    ):
        return redirect(meeting)
    return _form_page(request, "meetings/action_form.html", form, meeting=meeting, origin=origin)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk, "meetings.complete_action")
    services.action_item_done(action=action, by=request.user)
    messages.success(request, "The action item is done.")
    return redirect(action if request.POST.get("next") == "action" else "meetings:actions")


@login_required
def action_drop(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk, "meetings.drop_action")
    form = DropForm(request.POST or None)
    if (
        submitted(
            request,
            form,
            lambda: services.action_item_drop(
                action=action, by=request.user, reason=form.cleaned_data["reason"]
            ),
            success="The action item is dropped; the reason is kept with it.",
        )
        is not DONE_NOTHING
    ):
        return redirect(action)
    return _form_page(request, "meetings/action_drop.html", form, action=action)
