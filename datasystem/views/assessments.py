"""A team's assessments: starting one, the score sheet, results, completion, corrections."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from teams.freshness import kept_until_changed
from teams.models import today
from teams.paging import paginate
from teams.views.submit import DONE_NOTHING, submitted

from .. import actions, selectors, services
from ..forms import AdministrationForm, CorrectionForm, ScoreSheetForm
from ..models import Administration, ItemScore
from .access import administration_for, item_of, team_for


@login_required
@require_safe
def team_data(request: HttpRequest, pk: int) -> HttpResponse:
    """A team's data: its assessments (and when each is due), training and coaching."""
    team = team_for(request.user, pk, "datasystem.read_team_data")
    page = paginate(request, selectors.team_administrations(team), per_page=10)
    return render(
        request,
        "datasystem/team.html",
        {
            "team": team,
            "page": page,
            "due": selectors.due_instruments(team),
            "training": selectors.team_training(team),
            "today": today(),
        },
    )


@login_required
def administration_start(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "datasystem.start_administration")
    people = services.eligible_people(team).order_by("last_name", "first_name")
    form = AdministrationForm(
        request.POST or None,
        team=team,
        people=people,
        initial={"held_on": today(), "facilitator": request.user.pk},
    )

    def start():
        data = form.cleaned_data
        return services.administration_start(
            team=team,
            instrument=data["instrument"],
            held_on=data["held_on"],
            facilitator=data["facilitator"],
            participants=list(data["participants"]),
            by=request.user,
        )

    if started := submitted(request, form, start, success=lambda a: f"{a.instrument} started."):
        return redirect("datasystem:live", started.pk)
    return render(request, "datasystem/administration_start.html", {"form": form, "team": team})


@login_required
@require_safe
def administration(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress while in progress; results against the team's earlier administrations."""
    administration = administration_for(request.user, pk)
    found = _results(administration)
    # A completed one opens on the items to act on (dropped, low, planned); every item is
    # one click away. While in progress, every item shows.
    every_item = not administration.is_completed or request.GET.get("items") == "all"
    return render(
        request,
        "datasystem/administration.html",
        {
            "administration": administration,
            "results": found,
            "rows": found.items if every_item else found.to_act_on,
            "every_item": every_item,
            "chart": _trend_chart(found),
            "actions_enabled": True,
        },
    )


def _results(administration):
    """The results with the action items of each item. A completed administration's are
    kept under the newest history rows of the assessments and their scores (a correction,
    or an earlier one corrected, shows at once); the actions, which change every day, are
    attached afresh."""
    if not administration.is_completed:
        return selectors.results(administration, actions_for=actions.attach)
    found = kept_until_changed(
        f"assessment-results:{administration.pk}",
        (Administration, ItemScore),
        lambda: selectors.results(administration),
    )
    actions.attach(
        found.items,
        {r.item.pk: r.score for r in found.items if r.score is not None},
        {r.item.key: r.previous for r in found.items if r.previous is not None},
    )
    return found


def _trend_chart(found) -> dict:
    return {
        "type": "line",
        "labels": [point["label"] for point in found.trend],
        "series": [
            {"label": "Total", "data": [point["total"] for point in found.trend]},
            *(
                {"label": section.title, "data": [p["sections"][n] for p in found.trend]}
                for n, section in enumerate(found.sections)
            ),
        ],
        "max": 100,
    }


@login_required
def score_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator scores every item at once (when the team met without the live
    session, or to add notes afterwards)."""
    administration = administration_for(request.user, pk, "datasystem.facilitate")
    items = list(administration.version.items.select_related("section").order_by("number"))
    scores = {s.item_id: s for s in administration.scores.all()}
    form = ScoreSheetForm(request.POST or None, items=items, scores=scores)
    saved = submitted(
        request,
        form,
        lambda: services.scores_record(
            administration=administration, entries=form.entries(), by=request.user
        ),
        success=lambda n: f"{n} score{'s' if n != 1 else ''} saved.",
    )
    if saved is not DONE_NOTHING:
        return redirect(administration)
    return render(
        request, "datasystem/score_sheet.html", {"administration": administration, "form": form}
    )


@login_required
@require_POST
def administration_complete(request: HttpRequest, pk: int) -> HttpResponse:
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    administration = administration_for(request.user, pk, "datasystem.facilitate")
    try:
        services.administration_complete(administration=administration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The assessment is completed: its scores are now read-only.")
    return redirect(administration)


@login_required
def score_correct(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    administration = administration_for(request.user, pk, "datasystem.correct_score")
    item = item_of(administration, item_pk)
    current = administration.scores.filter(item=item).first()
    initial = {}
    if current is not None:
        initial = {
            "score": "na" if current.not_applicable else str(current.score),
            "note": current.note,
        }
    form = CorrectionForm(request.POST or None, item=item, initial=initial)
    if submitted(
        request,
        form,
        lambda: services.score_correct(
            administration=administration,
            item=item,
            value=form.cleaned_data["score"],
            note=form.cleaned_data["note"].strip(),
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        success=f"Item {item.number} is corrected; the history keeps the reason.",
    ):
        return redirect(administration)
    return render(
        request,
        "datasystem/score_correct.html",
        {"administration": administration, "item": item, "form": form},
    )


@login_required
def item_action(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Turn an item into an action item: it joins the team's other action items in
    meetings (and its owner's list), marked as coming from this assessment item."""
    from meetings.forms import ActionItemForm
    from meetings.selectors import people_for_actions
    from meetings.services import action_item_add

    administration = administration_for(request.user, pk, "datasystem.plan_action")
    item = item_of(administration, item_pk)
    score = get_object_or_404(ItemScore, administration=administration, item=item)
    prompt = item.prompt if len(item.prompt) <= 200 else item.prompt[:199] + "…"
    form = ActionItemForm(
        request.POST or None,
        people=people_for_actions(administration.team),
        initial={"what": f"Put in place: {prompt}", "due_on": today() + timedelta(days=60)},
    )
    added = submitted(
        request,
        form,
        lambda: action_item_add(
            team=administration.team,
            by=request.user,
            what=form.cleaned_data["what"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            origin=score,
        ),
        success=lambda a: f"Item {item.number} is now an action item for {a.owner}.",
    )
    if added is not DONE_NOTHING:
        return redirect(f"{administration.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "datasystem/item_action.html",
        {"administration": administration, "item": item, "score": score, "form": form},
    )
