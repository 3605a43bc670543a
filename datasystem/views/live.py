"""The live consensus session: the facilitator opens an item, each participant votes from
their own device, the votes show together once all have voted (or the facilitator reveals
them), and the facilitator records the team's score.

The page polls a small fragment with htmx (no inline script); the server answers 204
when nothing changed, so nobody's half-made choice is redrawn under them. Every action is
an ordinary form post that comes back to the page, so it works without scripts, and a
participant who lost the connection rejoins where the team is by loading the page.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .. import selectors, services
from ..forms import ConsensusForm, VoteForm
from .access import administration_for, item_of


def _context(request: HttpRequest, administration) -> dict:
    state = selectors.live_state(administration, request.user)
    user = request.user
    facilitates = rules.has_perm("datasystem.facilitate", user, administration)
    takes_part = rules.has_perm("datasystem.take_part", user, administration)
    context = {
        "administration": administration,
        "state": state,
        "facilitates": facilitates,
        "takes_part": takes_part,
        "vote_form": None,
        "consensus_form": None,
    }
    if state.item is not None:
        if takes_part and not state.shown:
            context["vote_form"] = VoteForm(
                item=state.item,
                initial={"score": state.my_vote} if state.my_vote is not None else None,
            )
        if facilitates:
            context["consensus_form"] = ConsensusForm(item=state.item, prefix="consensus")
    if facilitates:
        context["items"] = list(administration.version.items.order_by("number"))
        context["scored_ids"] = set(administration.scores.values_list("item_id", flat=True))
        context["next_item"] = next(
            (i for i in context["items"] if i.pk not in context["scored_ids"]), None
        )
    return context


@login_required
@require_safe
def live(request: HttpRequest, pk: int) -> HttpResponse:
    administration = administration_for(request.user, pk)
    if administration.is_completed:
        messages.info(request, "This assessment is completed: here are its results.")
        return redirect(administration)
    return render(request, "datasystem/live.html", _context(request, administration))


@login_required
@require_safe
def live_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled fragment: 204 while the session stands where the page last saw it."""
    administration = administration_for(request.user, pk)
    context = _context(request, administration)
    if request.GET.get("step") == str(context["state"].step) and not administration.is_completed:
        return HttpResponse(status=204)
    context["completed"] = administration.is_completed
    return render(request, "datasystem/_live_poll.html", context)


def _act(request: HttpRequest, administration, act) -> HttpResponse:
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("datasystem:live", administration.pk)


@login_required
@require_POST
def live_open(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    administration = administration_for(request.user, pk, "datasystem.facilitate")
    item = item_of(administration, item_pk)
    return _act(
        request,
        administration,
        lambda: services.live_open(administration=administration, item=item, by=request.user),
    )


@login_required
@require_POST
def live_vote(request: HttpRequest, pk: int) -> HttpResponse:
    administration = administration_for(request.user, pk, "datasystem.take_part")
    state = selectors.live_state(administration, request.user)
    if state.item is None:
        messages.error(request, "No item is open: wait for the facilitator to open one.")
        return redirect("datasystem:live", pk)
    form = VoteForm(request.POST, item=state.item)
    if not form.is_valid():
        messages.error(request, "Choose one of the scores to vote.")
        return redirect("datasystem:live", pk)
    return _act(
        request,
        administration,
        lambda: services.live_vote(
            administration=administration, score=form.cleaned_data["score"], by=request.user
        ),
    )


@login_required
@require_POST
def live_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    administration = administration_for(request.user, pk, "datasystem.facilitate")
    return _act(
        request,
        administration,
        lambda: services.live_reveal(administration=administration, by=request.user),
    )


@login_required
@require_POST
def live_record(request: HttpRequest, pk: int) -> HttpResponse:
    administration = administration_for(request.user, pk, "datasystem.facilitate")
    state = selectors.live_state(administration, request.user)
    if state.item is None:
        messages.error(request, "Open an item first.")
        return redirect("datasystem:live", pk)
    form = ConsensusForm(request.POST, item=state.item, prefix="consensus")
    if not form.is_valid():
        messages.error(request, "Choose the team's score to record it.")
        return redirect("datasystem:live", pk)
    number = state.item.number

    def record():
        services.live_record(
            administration=administration,
            value=form.cleaned_data["score"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, f"Item {number}: the team's score is recorded.")

    return _act(request, administration, record)
