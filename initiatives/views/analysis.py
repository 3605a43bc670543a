"""The alignment matrix and the resource view: where duplication, gaps and money are."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from teams.exports import neutralised
from teams.paging import paginate

from .. import selectors
from ..models import VisionVersion
from .access import require


@login_required
@require_safe
def alignment_matrix(request: HttpRequest) -> HttpResponse:
    """Initiatives by goals, with row and column totals: goals no initiative serves stand
    out, and so do goals many initiatives serve as their primary aim."""
    require(request.user, "initiatives.read")
    summary = selectors.matrix_summary()
    columns = summary.columns
    page = paginate(request, selectors.matrix_initiatives(), 30, count=summary.running)
    rows = selectors.matrix_rows(list(page.object_list), columns)
    return render(
        request,
        "initiatives/matrix.html",
        {
            "columns": columns,
            "rows": rows,
            "page": page,
            "totals": summary.totals,
            "gaps": [c for c in columns if c.total == 0],
            "crowded": [c for c in columns if c.primary >= 3],
            "overlaps": summary.overlaps,
            "overlap_count": summary.overlap_count,
            "vision": VisionVersion.current(),
        },
    )


@login_required
@require_safe
def resources(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.read")
    view = selectors.resource_view()
    page = paginate(request, view.initiatives, 25)
    return render(request, "initiatives/resources.html", {"view": view, "page": page})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_safe
def resources_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The resource view as CSV, with the page's totals: by division, by goal, by
    initiative, and the total."""
    require(request.user, "initiatives.read")
    view = selectors.resource_view()
    writer = csv.writer(_Echo())
    header = [
        "view",
        "name",
        "division",
        f"{view.label_now} dollars",
        f"{view.label_now} FTE",
        f"{view.label_next} dollars",
        f"{view.label_next} FTE",
    ]

    def rows():
        yield header
        for name, money in view.by_division:
            yield ["by division", name, name, *money.as_row()]
        for goal, strength, money in view.by_goal:
            label = f"{goal} ({strength.lower()})" if goal else strength
            yield ["by goal", label, "", *money.as_row()]
        for initiative in view.initiatives.iterator(chunk_size=500):
            money = selectors.money_of(initiative)
            yield ["by initiative", initiative.name, initiative.division.name, *money.as_row()]
        yield ["total", "All running initiatives", "", *view.total.as_row()]

    response = StreamingHttpResponse(
        (writer.writerow([neutralised(cell) for cell in row]) for row in rows()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="initiative-resources-fy{view.now}-fy{view.following}.csv"'
    )
    return response
