"""Liveness and the portal's own error pages."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

log = logging.getLogger(__name__)

# How long a client is asked to wait when the database is away: a restart takes seconds.
RETRY_AFTER_SECONDS = 10


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and, if configured, the broker) answers; 503 otherwise."""
    checks = {"database": _database_answers()}
    if settings.REDIS_URL:
        checks["broker"] = _broker_answers()
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "down" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("Health check: the database did not answer")
        return False


def _broker_answers() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        return bool(client.ping())
    except Exception:
        log.exception("Health check: the broker did not answer")
        return False


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, "errors/400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, "errors/403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, "errors/404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, "errors/403_csrf.html", 403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the database could not be reached.

    Django calls this for an exception raised anywhere in the request (a view, the session
    saved by a middleware, a template), still inside its `except` block, so the exception
    is at hand. No context processors: the database may be the reason we are here.
    """
    if database_went_away(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def database_went_away(error: BaseException | None) -> bool:
    """The database could not be reached, dropped the connection (a restart, a failover)
    or gave up on the statement (a deadlock, a timeout): each passes, and the transaction
    the request was in rolled back, so the person may simply try again.

    Looks along the chain of causes too: code that catches a database error and raises
    its own keeps the database error as its cause.
    """
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
