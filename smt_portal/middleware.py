"""Middleware of the project itself (not of one app)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse

QUERY_COUNT_HEADER = "X-Query-Count"


class QueryCountMiddleware:
    """Say in a response header how many SQL queries the request ran.

    `make bench` reads the header to compare each page's queries on the demo and on the
    benchmark state. Only a server started with PORTAL_COUNT_QUERIES on counts: otherwise
    Django drops this middleware when it loads the chain, so it costs nothing per request.
    It sits first in MIDDLEWARE so the session, the person and the messages are counted too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.PORTAL_COUNT_QUERIES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counted))
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response
