"""The portal's own admin pages: the agency, divisions, people and roles, the audit trail
and sign-in lockouts. The Django admin stays for superusers; people work here."""

from functools import wraps

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from smt_portal.paging import paginate

from .. import audit, services
from ..forms import (
    AgencyForm,
    DivisionForm,
    PeopleFilterForm,
    PersonForm,
    RoleAssignmentForm,
    add_service_errors,
)
from ..models import Agency, Division, User
from ..selectors import people_directory, sponsor_rule
from .access import assignment_for, require


def _admin(view):
    """Every page here is for portal admins only."""

    @wraps(view)
    @login_required
    def guarded(request, *args, **kwargs):
        require(request.user, "teams.manage_settings")
        return view(request, *args, **kwargs)

    return guarded


@_admin
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "settings/overview.html",
        {
            "agency": Agency.current(),
            "division_count": Division.objects.active().count(),
            "people_count": User.objects.filter(is_active=True).count(),
            "locked_count": AccessAttempt.objects.filter(
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT
            ).count(),
            "rule": sponsor_rule(),
        },
    )


@_admin
def agency_edit(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None, instance=Agency.current())
    if form.is_valid():
        form.save()
        messages.success(request, "The agency's settings are saved.")
        return redirect("settings:overview")
    return render(request, "settings/agency_form.html", {"form": form})


@_admin
def divisions(request: HttpRequest) -> HttpResponse:
    rows = Division.objects.select_related("head").order_by("-is_active", "name")
    return render(request, "settings/divisions.html", {"page": paginate(request, rows)})


@_admin
def division_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    division = get_object_or_404(Division, pk=pk) if pk else Division()
    form = DivisionForm(request.POST or None, instance=division)
    if form.is_valid():
        try:
            saved = services.division_save(division=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The division {saved} is saved.")
            return redirect("settings:divisions")
    return render(request, "settings/division_form.html", {"form": form, "division": division})


@_admin
def people(request: HttpRequest) -> HttpResponse:
    # Through the form, which refuses what the database cannot search for (NUL characters).
    filters = PeopleFilterForm(request.GET or None)
    query = filters.cleaned_data["q"] if filters.is_valid() else ""
    return render(
        request,
        "settings/people.html",
        {"page": paginate(request, people_directory(search=query)), "query": query},
    )


@_admin
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = get_object_or_404(User, pk=pk) if pk else User()
    form = PersonForm(request.POST or None, instance=person)
    if form.is_valid():
        try:
            saved = services.person_save(person=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved} is saved.")
            return redirect("settings:person-edit", pk=saved.pk)
    roles = person.role_assignments.all() if person.pk else []
    return render(
        request, "settings/person_form.html", {"form": form, "person": person, "roles": roles}
    )


@_admin
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Let a person sign in, or reset a forgotten password; the agency's password rules apply."""
    person = get_object_or_404(User, pk=pk, is_active=True)
    form = SetPasswordForm(person, request.POST or None)
    if form.is_valid():
        form.save()
        messages.success(
            request, f"{person} has a new password and may sign in as {person.username}."
        )
        return redirect("settings:person-edit", pk=person.pk)
    return render(request, "settings/person_password.html", {"form": form, "person": person})


@_admin
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    form = RoleAssignmentForm(request.POST or None)
    if form.is_valid():
        try:
            assignment = services.role_assign(person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{person} now holds the role {assignment.get_role_display()}."
            )
            return redirect("settings:person-edit", pk=person.pk)
    return render(request, "settings/role_form.html", {"form": form, "person": person})


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request.user, pk)
    try:
        rule = services.role_end(assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{assignment.person} no longer holds the role {assignment.get_role_display()}.",
        )
        if not rule.holds:
            messages.warning(request, "The sponsor rule is broken: " + " ".join(rule.problems))
    return redirect("settings:person-edit", pk=assignment.person_id)


@_admin
def history(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "people")
    if kind not in audit.AUDITED:
        raise Http404("No such record kind.")
    object_id = request.GET.get("object")
    # isdecimal, not isdigit: int() refuses digits such as "²" that isdigit accepts.
    object_id = int(object_id) if object_id and object_id.isdecimal() else None
    page = paginate(request, audit.history_rows(kind, object_id))
    return render(
        request,
        "settings/history.html",
        {
            "kinds": [(key, label) for key, (label, _) in audit.AUDITED.items()],
            "kind": kind,
            "kind_label": audit.AUDITED[kind][0],
            "object_id": object_id,
            "page": page,
            "entries": audit.entries(kind, list(page.object_list)),
        },
    )


@_admin
def lockouts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "settings/lockouts.html",
        {
            "limit": settings.AXES_FAILURE_LIMIT,
            "attempts": AccessAttempt.objects.order_by("-attempt_time")[:50],
            "page": paginate(request, AccessFailureLog.objects.order_by("-attempt_time")),
        },
    )


@login_required
@require_POST
def lockout_release(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "teams.manage_settings")
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    attempt.delete()
    messages.success(request, f"Sign-in for {attempt.username or attempt.ip_address} is released.")
    return redirect("settings:lockouts")
