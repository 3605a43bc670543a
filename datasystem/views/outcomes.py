"""Outcome measures and their import: admins define the measures, the periods, and import
values from CSV files; an import runs in the background and its page follows it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from teams.views.submit import DONE_NOTHING, submitted

from .. import services
from ..forms import MeasureForm, OutcomeImportForm, PeriodForm
from ..models import ImportJob, Measure, Period
from ..outcome_import import COLUMNS, rows_read_so_far
from ..suppression import minimum_cell_size
from .access import require


@login_required
@require_safe
def measures(request: HttpRequest) -> HttpResponse:
    """The measures the agency reports and their groups; for admins, periods and imports."""
    require(request.user, "datasystem.read_measures")
    admin = request.user.has_perm("datasystem.import_outcomes")
    return render(
        request,
        "datasystem/measures.html",
        {
            "measures": Measure.objects.prefetch_related("groups"),
            "periods": list(Period.objects.order_by("-starts_on")[:12]),
            "jobs": ImportJob.objects.select_related("created_by")[:10] if admin else [],
            "minimum": minimum_cell_size(),
        },
    )


@login_required
def measure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, "datasystem.define_measures", message="Only admins define measures.")
    measure = get_object_or_404(Measure, pk=pk) if pk else Measure()
    form = MeasureForm(request.POST or None, instance=measure)

    def save():
        return services.measure_save(
            measure=form.save(commit=False), groups=form.cleaned_data["groups"], by=request.user
        )

    if submitted(request, form, save, success=lambda m: f"{m} is saved.") is not DONE_NOTHING:
        return redirect("datasystem:measures")
    return render(request, "datasystem/measure_form.html", {"form": form, "measure": measure})


@login_required
def periods(request: HttpRequest) -> HttpResponse:
    require(request.user, "datasystem.define_measures", message="Only admins define periods.")
    form = PeriodForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda: services.period_add(period=form.save(commit=False), by=request.user),
        success=lambda p: f"The period {p} is added.",
    )
    if saved is not DONE_NOTHING:
        return redirect("datasystem:periods")
    return render(
        request,
        "datasystem/periods.html",
        {"form": form, "periods": Period.objects.order_by("-starts_on")},
    )


@login_required
def outcome_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "datasystem.import_outcomes", message="Only admins import outcomes.")
    form = OutcomeImportForm(request.POST or None, request.FILES or None)
    job = submitted(
        request,
        form,
        lambda: services.import_start(
            by=request.user,
            upload=form.cleaned_data["upload"],
            file_name=form.cleaned_data["file_name"],
            mode=form.cleaned_data["mode"],
        ),
    )
    if job is not DONE_NOTHING:
        return redirect(job)
    return render(
        request,
        "datasystem/outcome_import.html",
        {"form": form, "columns": COLUMNS, "measures": Measure.objects.prefetch_related("groups")},
    )


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    require(request.user, "datasystem.import_outcomes", message="Only admins import outcomes.")
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)


@login_required
@require_safe
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(
        request, "datasystem/import_job.html", {"job": job, "read": rows_read_so_far(job)}
    )


@login_required
@require_safe
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """What the job page polls while the import runs; once it is finished, the page is
    loaded again to show the result."""
    job = _job_for(request, pk)
    response = render(
        request, "datasystem/_import_progress.html", {"job": job, "read": rows_read_so_far(job)}
    )
    if job.is_finished and request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_safe
def import_rejected(request: HttpRequest, pk: int) -> FileResponse:
    """The rows an import rejected, with their line numbers and problems: part of the
    import itself, for the admin who corrects them."""
    job = _job_for(request, pk)
    if not job.rejected_file:
        raise Http404("This import rejected no rows.")
    return FileResponse(
        job.rejected_file.open("rb"),
        as_attachment=True,
        filename=f"rejected-rows-import-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
