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


def paginate(
    request: HttpRequest, items, per_page: int = PER_PAGE, *, count: int | None = None
) -> Page:
    """A page of items; a page number out of range shows the last page, not an error.
    `count`, when the caller knows it (kept in the cache), spares counting the list."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator.get_page(request.GET.get("page"))


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


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdecimal() and raw.isascii() else 1
    return min(max(number, 1), MAX_PAGE)


def paginate_newest(
    request: HttpRequest, items, per_page: int = PER_PAGE, *, keys_first: bool = False
) -> UncountedPage:
    """A page of `items` in their order. With `keys_first`, the page's keys are read alone
    and then their rows with the related rows `items` selects: where the list draws on
    hundreds of records of many teams, joining every candidate to its teams before the
    limit (PostgreSQL hashes the whole teams table) costs more than the second query."""
    number = page_number(request)
    start = (number - 1) * per_page
    if keys_first:
        keys = list(items.values_list("pk", flat=True)[start : start + per_page + 1])
        rows = _load(items, keys)
    else:
        rows = list(items[start : start + per_page + 1])
    return UncountedPage(rows[:per_page], number, has_next=len(rows) > per_page)


def paginate_newest_of(
    request: HttpRequest, base, parts: list, *, order: tuple[str, ...], per_page: int = PER_PAGE
) -> UncountedPage:
    """A page of the records of `base` matching any of `parts` (filters), newest first.

    Each part is read on its own, in `order`, only as far as this page needs, so each is
    served by its own index (their OR can send PostgreSQL through the whole table); the
    keys are merged, and the page's records loaded from `base` with its related rows.
    """
    number = page_number(request)
    start = (number - 1) * per_page
    if len(parts) == 1:
        rows = list(base.filter(parts[0]).order_by(*order)[start : start + per_page + 1])
        return UncountedPage(rows[:per_page], number, has_next=len(rows) > per_page)
    keys = _newest_keys(base, parts, order, start + per_page + 1)[start:]
    rows = _load(base, keys[:per_page])
    return UncountedPage(rows, number, has_next=len(keys) > per_page)


def newest_of(base, parts: list, *, order: tuple[str, ...], limit: int) -> list:
    """The first `limit` records of `base` matching any of `parts`, in `order`."""
    if len(parts) == 1:
        return list(base.filter(parts[0]).order_by(*order)[:limit])
    return _load(base, _newest_keys(base, parts, order, limit)[:limit])


def _newest_keys(base, parts: list, order: tuple[str, ...], enough: int) -> list[int]:
    assert all(name.startswith("-") for name in order), "newest first: every field descending"
    fields = [name[1:] for name in order]
    seen: dict[int, tuple] = {}
    for part in parts:
        for row in base.filter(part).order_by(*order).values_list("pk", *fields)[:enough]:
            seen[row[0]] = row[1:]
    return sorted(seen, key=lambda pk: seen[pk], reverse=True)


def _load(base, ids: list[int]) -> list:
    by_id = base.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
