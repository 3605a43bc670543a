"""Liveness and the portal's own error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

log = logging.getLogger(__name__)


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
    # No context processors: the database may be the reason we are here.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
