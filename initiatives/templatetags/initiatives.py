from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..models import STAGE_RANK, Stage

register = template.Library()


@register.filter
def dollars(value) -> str:
    """$1,234,567 (cents only when there are any)."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral():
        return f"${value:,.0f}"
    return f"${value:,.2f}"


@register.filter
def fte(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}" if value else "0"


@register.filter
def stage_rank(stage: str) -> int:
    return STAGE_RANK.get(stage, 0)


@register.filter
def one_decimal(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def fiscal_year(year: int) -> str:
    from ..models import InventorySettings

    return InventorySettings.current().label(year)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


# Which section of the module's navigation a page belongs to, by its URL name.
SECTIONS = {
    "matrix": "matrix",
    "resources": "resources",
    "reviews": "reviews",
    "review": "reviews",
    "review-new": "reviews",
    "review-action": "reviews",
    "stages": "stages",
    "stage-new": "stages",
    "team-stages": "stages",
    "vision": "vision",
    "vision-new": "vision",
    "vision-version": "vision",
    "goal-new": "vision",
    "goal-edit": "vision",
    "affirmation-new": "vision",
    "zone": "zone",
}


@register.simple_tag(takes_context=True)
def section_here(context) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    name = match.url_name if match else ""
    if name in SECTIONS:
        return SECTIONS[name]
    if name.startswith(("candidate", "compare", "protocol", "indicator")):
        return "candidates"
    return "index"


NOT_STARTED = mark_safe(
    '<td class="stage-none"><span class="visually-hidden">Not started</span>'
    '<span aria-hidden="true">·</span></td>'
)
IN_THE_ZONE = mark_safe(' <span class="zone-badge">Zone</span>')


@register.simple_tag
def stage_rows(rows: list[dict]) -> SafeString:
    """The stage heat-map's rows (selectors.heatmap_rows): each unit, then its stage of
    each innovation in words, with its days there. Written here rather than in the
    template: a page is 25 units by every innovation, and the template language spent
    most of the page's time on the cells."""
    labels = dict(Stage.choices)

    def cell(record) -> str:
        if record is None:
            return NOT_STARTED
        return format_html(
            '<td class="stage stage-{}"><span class="stage-name">{}. {}</span>'
            '<span class="stage-days">{} day{}</span></td>',
            record.stage,
            STAGE_RANK.get(record.stage, 0),
            labels.get(record.stage, record.stage),
            record.days,
            "" if record.days == 1 else "s",
        )

    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a> '
        '<span class="level-badge">{}</span>{}</th>{}</tr>',
        (
            (
                reverse("initiatives:team-stages", args=[row["team"].pk]),
                row["team"].name,
                row["team"].get_level_display(),
                IN_THE_ZONE if row["team"].in_zone() else "",
                mark_safe("".join(cell(record) for record in row["cells"])),  # noqa: S308
            )
            for row in rows
        ),
    )


_STRENGTH_CELLS = {
    "primary": mark_safe('<td class="cell-primary">Primary</td>'),
    "contributing": mark_safe('<td class="cell-contributing">Contributing</td>'),
}
_NOT_SERVED = mark_safe(
    '<td class="cell-none"><span class="visually-hidden">Not served</span>'
    '<span aria-hidden="true">·</span></td>'
)


@register.simple_tag
def matrix_cells(cells: list[str]) -> SafeString:
    """An alignment matrix row's cells, the strength in words (written here: thirty rows
    by every goal through the template language were most of the page's time)."""
    return mark_safe("".join(_STRENGTH_CELLS.get(cell, _NOT_SERVED) for cell in cells))  # noqa: S308
