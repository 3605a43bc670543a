"""The directory, a person's page, and the roles people hold.

What a person sees of others is the rules' decision (`teams.read_role_history`): names,
titles, divisions, current roles and teams for everyone signed in; who held which role
when for the cabinet, admins and the person themselves.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .. import selectors, services
from ..forms import DepartureForm, PeopleFilterForm, RoleAssignmentForm, RoleCorrectionForm
from ..freshness import hashed, remembered
from ..models import Role
from ..paging import paginate
from .access import assignment_for, person_for
from .sponsors import keeping_sponsor_rule
from .submit import DONE_NOTHING, submitted


@login_required
@require_safe
def people(request: HttpRequest) -> HttpResponse:
    filters = PeopleFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    division = chosen.get("division")
    search, division_id = chosen.get("q", ""), division.pk if division else None
    directory = selectors.people_directory(search=search, division_id=division_id)
    # Counting 30,000 people for every page of the directory: kept until someone changes.
    count = remembered(
        f"directory-count:{hashed((search, division_id))}", ("people",), directory.count
    )
    return render(
        request,
        "teams/people.html",
        {"filters": filters, "page": paginate(request, directory, count=count)},
    )


@login_required
@require_safe
def person(request: HttpRequest, pk: int) -> HttpResponse:
    someone = person_for(request.user, pk)
    return render(
        request,
        "teams/person.html",
        {"profile": selectors.person_profile(someone, request.user)},
    )


def grantable_roles(user, person) -> list[str]:
    """The roles this user may grant this person, as the rules decide."""
    return [
        role
        for role in Role.values
        if rules.has_perm(services.grant_permission(role), user, person)
    ]


@login_required
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk, "teams.assign_roles")
    form = RoleAssignmentForm(request.POST or None, roles=grantable_roles(request.user, person))
    assigned = submitted(
        request,
        form,
        lambda: services.role_assign(person=person, by=request.user, **form.cleaned_data),
        success=lambda a: f"{person} now holds the role {a.get_role_display()}.",
    )
    if assigned:
        return redirect(person)
    return render(request, "teams/role_form.html", {"form": form, "person": person})


@login_required
def role_correct(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request.user, pk, "teams.correct_role")
    form = RoleCorrectionForm(request.POST or None, instance=assignment)
    corrected = submitted(
        request,
        form,
        keeping_sponsor_rule(
            request,
            lambda: services.role_correct(
                assignment=assignment, by=request.user, **form.cleaned_data
            ),
        ),
        success=lambda a: f"The dates of {a.person}'s role {a.get_role_display()} are corrected.",
    )
    if corrected:
        return redirect(assignment.person)
    return render(
        request,
        "teams/role_correct.html",
        {"form": form, "assignment": assignment, "person": assignment.person},
    )


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request.user, pk, "teams.end_role")
    role = assignment.get_role_display()
    try:
        kept = keeping_sponsor_rule(
            request, lambda: services.role_end(assignment=assignment, by=request.user)
        )()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "no longer holds" if kept else "will not hold (it had not begun)"
        messages.success(request, f"{assignment.person} {done} the role {role}.")
    return redirect(assignment.person)


@login_required
def person_leave(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk, "teams.record_departure")
    form = DepartureForm(request.POST or None)
    left = submitted(
        request,
        form,
        keeping_sponsor_rule(
            request,
            lambda: services.person_leave(
                person=person, left_on=form.cleaned_data["left_on"], by=request.user
            ),
        ),
        success=f"{person} has left the agency: their roles, seats and pairings are ended "
        "and their account is closed.",
    )
    if left is not DONE_NOTHING:
        return redirect("settings:people")
    return render(request, "teams/person_leave.html", {"form": form, "person": person})
