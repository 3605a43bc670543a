"""Who may reach which page: one row per URL of the portal, one answer per role.

The matrix test walks every row for every demo role and an anonymous visitor, with GET
and POST; the accessibility crawl checks every page a role can open. A URL pattern with
no row fails the matrix test, so every new page must say who may see it.

Each app keeps its rows in `tests/matrix/<app>.py` (a `ROWS` dict), so the modules add
theirs without touching each other's; this file is the vocabulary and gathers them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from . import matrix
from .world import ROLES, World

ANON = "anonymous"
VISITORS = (ANON, *ROLES)

OK = 200
REDIRECT = 302  # somewhere other than the sign-in page
LOGIN = "login"  # 302 to the sign-in page
DENIED = 403
MISSING = 404
NOT_ALLOWED = 405
# A POST that a permitted person sends: a form re-shown with errors, or done and redirected.
ACCEPTED = "accepted"


def signed_in(answer=OK, **by_role) -> dict[str, object]:
    """Everyone signed in gets `answer` unless named; anonymous visitors go to sign in."""
    return {ANON: LOGIN, **{role: by_role.get(role, answer) for role in ROLES}}


def only(*roles: str, otherwise=DENIED, answer=OK) -> dict[str, object]:
    return signed_in(otherwise, **dict.fromkeys(roles, answer))


def everyone(answer=OK) -> dict[str, object]:
    return dict.fromkeys(VISITORS, answer)


@dataclass
class Row:
    get: dict[str, object]
    post: dict[str, object] | None = None
    args: Callable[[World], list] = field(default=lambda world: [])
    # Pages the accessibility crawl skips: Django's own admin is not the portal's look.
    crawl: bool = True
    # A page to read, never to post to: POST is 405 for everyone signed in.
    read_only: bool = False

    def post_expectation(self, visitor: str) -> object:
        if self.post is not None:
            return self.post[visitor]
        if self.read_only:
            return LOGIN if visitor == ANON else NOT_ALLOWED
        expected = self.get[visitor]
        return ACCEPTED if expected == OK else expected


def page(get: dict[str, object], **kwargs) -> Row:
    """A read-only page: who may GET it, and POST refused with 405."""
    return Row(get=get, read_only=True, **kwargs)


def post_only(allowed: dict[str, object], **kwargs) -> Row:
    """Actions that change something: GET is refused, POST is for the permitted."""
    return Row(get=signed_in(NOT_ALLOWED), post=allowed, **kwargs)


def gather() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for module in pkgutil.iter_modules(matrix.__path__):
        app_rows = importlib.import_module(f"{matrix.__name__}.{module.name}").ROWS
        clash = set(rows) & set(app_rows)
        assert not clash, f"Rows given twice: {', '.join(sorted(clash))}"
        rows.update(app_rows)
    return rows


MATRIX: dict[str, Row] = gather()
