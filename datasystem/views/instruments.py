"""Instruments as data: the list, one instrument's wording and versions, the import of a
JSON or YAML file, and rewording an item (a new version once one has been used)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from teams.freshness import kept_until_changed
from teams.views.submit import DONE_NOTHING, submitted

from .. import services
from ..forms import InstrumentImportForm, ItemWordingForm
from ..models import Administration, Instrument, InstrumentVersion, Item
from .access import instrument_for, require


@login_required
@require_safe
def instruments(request: HttpRequest) -> HttpResponse:
    require(request.user, "datasystem.read_instruments")
    listed = list(
        Instrument.objects.annotate(versions_count=_count_of(InstrumentVersion)).order_by(
            "kind", "name"
        )
    )
    given = times_given()
    for instrument in listed:
        instrument.given = given.get(instrument.pk, 0)
    return render(request, "datasystem/instruments.html", {"instruments": listed})


def _count_of(model) -> Coalesce:
    per_instrument = (
        model.objects.filter(instrument=OuterRef("pk"))
        .order_by()
        .values("instrument")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(per_instrument), 0)


def times_given() -> dict[int, int]:
    """How often each instrument was given, kept until an assessment is added or removed
    (its newest history row): a large state has given them tens of thousands of times."""

    def count() -> dict[int, int]:
        rows = Administration.objects.order_by().values("instrument").annotate(n=Count("*"))
        return {row["instrument"]: row["n"] for row in rows}

    return kept_until_changed("instruments-given", (Administration,), count, topics=())


@login_required
@require_safe
def instrument(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_for(request.user, pk)
    versions = list(
        instrument.versions.select_related("created_by").annotate(given=Count("administrations"))
    )
    shown = versions[0] if versions else None
    wanted = request.GET.get("version", "")
    if wanted.isdecimal() and wanted.isascii():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    sections = []
    if shown is not None:
        items = list(shown.items.order_by("number"))
        sections = [
            (section, [i for i in items if i.section_id == section.pk])
            for section in shown.sections.order_by("position")
        ]
    return render(
        request,
        "datasystem/instrument.html",
        {
            "instrument": instrument,
            "versions": versions,
            "shown": shown,
            "latest": versions[0] if versions else None,
            "sections": sections,
        },
    )


@login_required
def instrument_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "datasystem.define_instruments")
    form = InstrumentImportForm(request.POST or None, request.FILES or None)
    result = submitted(
        request,
        form,
        lambda: services.instrument_import(
            text=form.cleaned_data["content"],
            filename=form.cleaned_data["filename"],
            by=request.user,
        ),
        success=lambda r: (
            f"{r[0]} is imported." if r[1] else f"{r[0]} is already up to date: nothing changed."
        ),
    )
    if result is not DONE_NOTHING:
        return redirect(result[0])
    return render(request, "datasystem/instrument_import.html", {"form": form})


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    instrument = instrument_for(request.user, pk, "datasystem.define_instruments")
    item = get_object_or_404(
        Item.objects.select_related("version", "section"),
        pk=item_pk,
        version__instrument=instrument,
    )
    form = ItemWordingForm(request.POST or None, item=item)
    version = submitted(
        request,
        form,
        lambda: services.item_reword(
            item=item,
            prompt=form.cleaned_data["prompt"],
            meanings=form.meanings(),
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        success=lambda v: f"Item {item.number} is reworded (version {v.number}).",
    )
    if isinstance(version, InstrumentVersion):
        return redirect(instrument)
    used = item.version.administrations.exists()
    return render(
        request,
        "datasystem/item_edit.html",
        {"instrument": instrument, "item": item, "form": form, "used": used},
    )
