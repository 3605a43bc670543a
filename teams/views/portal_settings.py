"""The portal's own admin pages: the agency, divisions, people, the audit trail and
sign-in lockouts. Django's admin stays a read-only back office for superusers; people
work here, through the same services and rules as everywhere else."""

from functools import wraps

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from .. import audit, services
from ..forms import AdminSetPasswordForm, AgencyForm, DivisionForm, PeopleFilterForm, PersonForm
from ..freshness import remembered
from ..models import Agency, Division, User
from ..paging import paginate, paginate_newest
from ..selectors import people_directory
from ..sponsor_rule import current_sponsor_rule
from .access import person_for, require
from .sponsors import keeping_sponsor_rule
from .submit import submitted


def _admin(view):
    """Every page here is for portal admins only."""

    @wraps(view)
    @login_required
    def guarded(request, *args, **kwargs):
        require(request.user, "teams.manage_settings")
        return view(request, *args, **kwargs)

    return guarded


def _admin_page(view):
    """A page admins read and never post to: any POST is refused with 405."""
    return login_required(require_safe(_admin(view)))


@_admin_page
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "settings/overview.html",
        {
            "agency": Agency.current(),
            "division_count": Division.objects.active().count(),
            "people_count": remembered(
                "active-people", ("people",), User.objects.filter(is_active=True).count
            ),
            "locked_count": AccessAttempt.objects.filter(
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT
            ).count(),
            "rule": current_sponsor_rule(),
        },
    )


@_admin
def agency_edit(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None, instance=Agency.current())
    if submitted(
        request,
        form,
        lambda: services.agency_save(agency=form.save(commit=False)),
        success="The agency's settings are saved.",
    ):
        return redirect("settings:overview")
    return render(request, "settings/agency_form.html", {"form": form})


@_admin_page
def divisions(request: HttpRequest) -> HttpResponse:
    rows = Division.objects.select_related("head").order_by("-is_active", "name")
    return render(request, "settings/divisions.html", {"page": paginate(request, rows)})


@_admin
def division_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    division = get_object_or_404(Division, pk=pk) if pk else Division()
    form = DivisionForm(request.POST or None, instance=division)
    if submitted(
        request,
        form,
        keeping_sponsor_rule(
            request, lambda: services.division_save(division=form.save(commit=False))
        ),
        success=lambda saved: f"The division {saved} is saved.",
    ):
        return redirect("settings:divisions")
    return render(request, "settings/division_form.html", {"form": form, "division": division})


@_admin_page
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
    if saved := submitted(
        request,
        form,
        keeping_sponsor_rule(request, lambda: services.person_save(person=form.save(commit=False))),
        success=lambda saved: f"{saved} is saved.",
    ):
        return redirect("settings:person-edit", pk=saved.pk)
    roles = person.role_assignments.select_related("granted_by") if person.pk else []
    return render(
        request, "settings/person_form.html", {"form": form, "person": person, "roles": roles}
    )


@_admin
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Let a person sign in, or reset a forgotten password; the agency's password rules
    apply, the history records it as set by an admin, and the person is told."""
    person = person_for(request.user, pk, "teams.set_password")
    form = AdminSetPasswordForm(person, request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.person_password_set(
            person=person, password=form.cleaned_data["new_password1"], by=request.user
        ),
        success=f"{person} has a new password and may sign in as {person.username}. They "
        "will be told at their next sign-in that an administrator set it.",
    ):
        return redirect("settings:person-edit", pk=person.pk)
    return render(request, "settings/person_password.html", {"form": form, "person": person})


@_admin_page
def history(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "people")
    if kind not in audit.kinds():
        raise Http404("No such record kind.")
    object_id = request.GET.get("object")
    # isdecimal, not isdigit: int() refuses digits such as "²" that isdigit accepts.
    object_id = int(object_id) if object_id and object_id.isdecimal() else None
    page = paginate_newest(request, audit.history_rows(kind, object_id))
    return render(
        request,
        "settings/history.html",
        {
            "kinds": [(key, entry.label) for key, entry in audit.kinds().items()],
            "kind": kind,
            "kind_label": audit.kinds()[kind].label,
            "object_id": object_id,
            "page": page,
            "entries": audit.entries(kind, list(page.object_list)),
        },
    )


@_admin_page
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
