"""Linking communication protocols: a team's links up and down, the chain from a building
to the SMT, and each protocol with whether it is kept and its reviews."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from teams.models import Team, User
from teams.views.submit import submitted

from .. import selectors, services
from ..forms import ProtocolForm, ProtocolReviewForm
from ..models import LinkProtocol
from .access import protocol_for, require, team_for


@login_required
@require_safe
def team_protocols(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "meetings.read_protocols")
    up, down = selectors.protocols_of_team(team)
    return render(
        request,
        "barriers/team_protocols.html",
        {
            "team": team,
            "up": up,
            "down": down,
            "children": list(team.children.order_by("name")),
            "may_add": rules.has_perm("meetings.add_protocol", request.user, team),
        },
    )


@login_required
@require_safe
def chain(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for(request.user, pk, "meetings.read_protocols")
    return render(
        request, "barriers/chain.html", {"team": team, "links": selectors.protocol_chain(team)}
    )


@login_required
@require_safe
def protocol(request: HttpRequest, pk: int) -> HttpResponse:
    found = protocol_for(request.user, pk)
    selectors.protocols_keeping([found])
    return render(
        request,
        "barriers/protocol.html",
        {"protocol": found, "reviews": list(found.reviews.select_related("team", "by"))},
    )


def _linked(request, pk: int, other: str | None) -> tuple[Team, Team]:
    """The sending and receiving team of a new protocol: this team and the one above it
    (`?to=up`), or one of its children and this team (`?from=<child>`)."""
    team = team_for(request.user, pk, "meetings.read_protocols")
    if other == "up":
        if team.parent is None:
            raise Http404("The SMT has no team above it.")
        return team, team.parent
    if other.isdigit():
        child = team.children.filter(pk=other).first()
        if child is not None:
            return team, child
    raise Http404("Choose the link: the team above, or one of the teams below.")


@login_required
def protocol_new(request: HttpRequest, pk: int) -> HttpResponse:
    # With the team above, unless a team below is named.
    other = request.GET.get("with") or "up"
    sender, receiver = _linked(request, pk, other)
    if not (
        rules.has_perm("meetings.add_protocol", request.user, sender)
        or rules.has_perm("meetings.add_protocol", request.user, receiver)
    ):
        require(request.user, "meetings.add_protocol", sender)
    protocol = LinkProtocol(
        from_team=sender,
        to_team=receiver,
        passes=["updates", "successes", "challenges", "barriers"],
        format="The linking member's report at the receiving team's meeting",
        response_format="Written reply in the portal, and at the next meeting",
    )
    senders, receivers = selectors.members_of(sender), selectors.members_of(receiver)
    linking = next((p for p in senders if p in receivers), None)
    form = ProtocolForm(
        request.POST or None,
        instance=protocol,
        senders=_people(senders),
        receivers=_people(receivers),
        initial={"responsible_from": linking, "responsible_to": linking},
    )
    if saved := submitted(
        request,
        form,
        lambda: services.protocol_save(protocol=form.save(commit=False), by=request.user),
        success="The protocol is recorded.",
    ):
        return redirect(saved)
    return render(
        request,
        "barriers/protocol_form.html",
        {"form": form, "sender": sender, "receiver": receiver, "team": sender},
    )


def _people(members):
    return User.objects.filter(pk__in=[m.pk for m in members]).order_by("last_name")


@login_required
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = protocol_for(request.user, pk, "meetings.keep_protocol")
    form = ProtocolForm(
        request.POST or None,
        instance=found,
        senders=_people(selectors.members_of(found.from_team) + [found.responsible_from]),
        receivers=_people(selectors.members_of(found.to_team) + [found.responsible_to]),
    )
    if submitted(
        request,
        form,
        lambda: services.protocol_save(protocol=form.save(commit=False), by=request.user),
        success="The protocol is saved.",
    ):
        return redirect(found)
    return render(
        request,
        "barriers/protocol_form.html",
        {"form": form, "sender": found.from_team, "receiver": found.to_team, "protocol": found},
    )


@login_required
def protocol_review(request: HttpRequest, pk: int) -> HttpResponse:
    found = protocol_for(request.user, pk, "meetings.keep_protocol")
    teams = Team.objects.filter(
        pk__in=[
            t.pk
            for t in (found.from_team, found.to_team)
            if rules.has_perm("meetings.add_protocol", request.user, t)
        ]
    )
    form = ProtocolReviewForm(request.POST or None, teams=teams)
    if submitted(
        request,
        form,
        lambda: services.protocol_review(
            protocol=found,
            by=request.user,
            team=form.cleaned_data["team"],
            verdict=form.cleaned_data["verdict"],
            notes=form.cleaned_data["notes"],
        ),
        success="The review is kept with the protocol.",
    ):
        return redirect(found)
    return render(request, "barriers/protocol_review.html", {"form": form, "protocol": found})
