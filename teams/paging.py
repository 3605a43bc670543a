"""Pages of a list. `paginate` counts the whole list (for "page 3 of 12"); `paginate_newest`
does not, for the long lists that grow without end (updates, minutes, decisions): counting
half a million rows costs more than showing the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25
# Far enough back for anyone reading a list newest first; a search finds older things.
MAX_PAGE = 200


def paginate(request: HttpRequest, items, per_page: int = PER_PAGE) -> Page:
    """A page of items; a page number out of range shows the last page, not an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@dataclass
class UncountedPage:
    """A page of a list that is never counted: it knows whether there is a next page by
    fetching one row more than it shows."""

    object_list: list[Any]
    number: int
    has_next: bool
    # Templates ask for the paginator's page count only when there is a paginator.
    paginator: None = None

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def paginate_newest(request: HttpRequest, items, per_page: int = PER_PAGE) -> UncountedPage:
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdecimal() and raw.isascii() else 1
    number = min(max(number, 1), MAX_PAGE)
    start = (number - 1) * per_page
    rows = list(items[start : start + per_page + 1])
    return UncountedPage(rows[:per_page], number, has_next=len(rows) > per_page)
