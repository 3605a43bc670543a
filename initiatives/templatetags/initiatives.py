from decimal import Decimal

from django import template

from ..models import STAGE_RANK

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
