"""The CSSO's digest: the archive by month, each month's page (printable) and PDF, an
admin's preview and rebuild, the recipients the CSSO keeps; and the reminders' settings
among the portal's settings pages."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from teams.models import date_window, today
from teams.paging import paginate
from teams.rules import require
from teams.views.submit import submitted

from .. import selectors, services
from ..digest import build_content, month_of, previous_month
from ..forms import RecipientForm, ReminderSettingsForm
from ..models import Digest, DigestRecipient, ReminderSettings
from ..pdf import digest_pdf


def _month(year: int, month: int) -> date:
    """The first day of a month named in an address, or 404 for one that is no month."""
    earliest, latest = date_window()
    if not 1 <= month <= 12 or not earliest.year <= year <= latest.year:
        raise Http404("No such month.")
    return date(year, month, 1)


def _digest(user, year: int, month: int) -> Digest:
    require(user, "digests.read_digests")
    return get_object_or_404(Digest, month=_month(year, month))


@login_required
@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    require(request.user, "digests.read_digests")
    this_month = month_of(today())
    return render(
        request,
        "digests/archive.html",
        {
            "page": paginate(request, selectors.digest_archive(), 24),
            "due_month": selectors.digest_due_month(),
            "last_month": previous_month(this_month),
            "this_month": this_month,
        },
    )


@login_required
@require_safe
def digest(request: HttpRequest, year: int, month: int) -> HttpResponse:
    found = _digest(request.user, year, month)
    return render(
        request,
        "digests/digest.html",
        {"digest": found, "content": found.content, "preview": False},
    )


@login_required
@require_safe
def digest_pdf_download(request: HttpRequest, year: int, month: int) -> HttpResponse:
    found = _digest(request.user, year, month)
    response = HttpResponse(digest_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="digest-{found.month:%Y-%m}.pdf"'
    return response


@login_required
@require_safe
def digest_preview(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The month's digest built from the records as they stand: stored nowhere, sent to
    nobody (a month not yet over reads "so far")."""
    require(request.user, "digests.preview_digest")
    first = _month(year, month)
    if first > month_of(today()):
        raise Http404("That month has not begun.")
    return render(
        request,
        "digests/digest.html",
        {
            "digest": Digest.objects.filter(month=first).defer("content").first(),
            "content": build_content(first),
            "preview": True,
            "month_running": first == month_of(today()),
        },
    )


@login_required
@require_POST
def digest_regenerate(request: HttpRequest, year: int, month: int) -> HttpResponse:
    require(request.user, "digests.regenerate_digest")
    first = _month(year, month)
    try:
        rebuilt = services.digest_regenerate(month=first, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("digests:archive")
    messages.success(
        request,
        f"The digest of {rebuilt.label} is rebuilt from the records as they stand. Nobody "
        "is sent it again; a recipient who has not had it yet will get this version.",
    )
    return redirect(rebuilt)


@login_required
def recipients(request: HttpRequest) -> HttpResponse:
    require(request.user, "digests.keep_recipients")
    form = RecipientForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.digest_recipient_add(person=form.cleaned_data["person"], by=request.user),
        success=lambda seat: f"{seat.person} will receive the digest from next month's on.",
    ):
        return redirect("digests:recipients")
    return render(request, "digests/recipients.html", {"form": form, **selectors.recipients_page()})


@login_required
@require_POST
def recipient_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "digests.keep_recipients")
    seat = get_object_or_404(DigestRecipient.objects.select_related("person"), pk=pk)
    services.digest_recipient_remove(seat=seat, by=request.user)
    messages.success(request, f"{seat.person} no longer receives the digest.")
    return redirect("digests:recipients")


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "digests.keep_reminder_settings")
    form = ReminderSettingsForm(request.POST or None, instance=ReminderSettings.current())
    if submitted(
        request,
        form,
        lambda: services.reminder_settings_save(settings=form.save(commit=False), by=request.user),
        success="The reminders' targets and lead times are saved.",
    ):
        return redirect("digests:settings")
    return render(
        request,
        "digests/settings.html",
        {"form": form, "section": "notifications", **selectors.scheduled_work()},
    )
