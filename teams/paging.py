from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, items, per_page: int = PER_PAGE) -> Page:
    """A page of items; a page number out of range shows the last page, not an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
