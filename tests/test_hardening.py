"""Security hardening: production settings, headers, no inline script, sign-in lockout,
password strength, the health check and the portal's own error pages."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user, password_validation
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings

from smt_portal import views as portal_views

from .world import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
LOGIN = "/accounts/login/"


# --- Production settings --------------------------------------------------------------------


def production_env(**overrides: str) -> dict[str, str]:
    """The environment a production server gets: no debug, HTTPS, a real secret, one host."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "AXES_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="smt_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="smt.example.org",
        DJANGO_STATIC_MANIFEST="1",
    )
    env.update(overrides)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_with_production_settings():
    done = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "no issues" in done.stdout, output
    assert "WARNING" not in output, output


def test_deploy_check_would_catch_plain_http():
    # The clean result above means something only if the check notices a weaker setup.
    done = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(DJANGO_HTTPS="0"),
    )
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout  # no HSTS


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env(DJANGO_SECRET_KEY_FILE=str(BASE_DIR / "no-such-secret-file"))
    del env["DJANGO_SECRET_KEY"]
    done = run_python(["-c", "import smt_portal.settings"], env)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


def test_production_cookies_and_transport_are_secure():
    script = (
        "import json; from smt_portal import settings as s; print(json.dumps({name: "
        "getattr(s, name) for name in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS']}))"
    )
    done = run_python(["-c", script], production_env())
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


# --- Response headers -------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("signed_in", [False, True], ids=["sign-in page", "home page"])
def test_responses_carry_the_security_headers(signed_in, world, client):
    if signed_in:
        client.force_login(world.user("sts"))
    response = client.get("/" if signed_in else LOGIN)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_https_is_enforced_when_switched_on(db):
    with override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31_536_000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    ):
        client = Client()  # its middleware reads the overridden settings
        plain = client.get(LOGIN)
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        secure = client.get(LOGIN, secure=True)
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
        # Load balancers probe liveness over plain http inside the network.
        assert client.get("/healthz").status_code == 200


# --- No inline script or style, no CDN ------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
# The policy's style-src is 'self' too: inline styles would be dropped silently.
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
REMOTE_LOAD = re.compile(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


# Emails are not pages: no browser applies the policy to them, and mail clients read only
# the styles written into the message. (The PDF's are in a stylesheet file all the same.)
NOT_PAGES = (BASE_DIR / "templates" / "digests" / "email",)


def template_files() -> list[Path]:
    found = sorted((BASE_DIR / "templates").rglob("*.html"))
    for app in ("teams", "meetings", "initiatives", "datasystem", "digests"):
        found += sorted((BASE_DIR / app / "templates").rglob("*.html"))
    return [path for path in found if not any(folder in path.parents for folder in NOT_PAGES)]


def script_problems(text: str) -> list[str]:
    problems = []
    for pattern, what in [
        (INLINE_SCRIPT, "inline <script>"),
        (EVENT_HANDLER, "event-handler attribute"),
        (SCRIPT_URL, "javascript: URL"),
        (INLINE_STYLE, "inline style"),
        (REMOTE_LOAD, "loads from another site"),
    ]:
        problems += [f"{what}: {match.group(0)!r}" for match in pattern.finditer(text)]
    return problems


def test_the_scanner_notices_what_it_looks_for():
    assert len(script_problems('<script>alert(1)</script><a onclick="x()">')) == 2
    assert script_problems('<p style="color: red">')
    assert script_problems('<script src="https://cdn.example.com/x.js"></script>')
    assert not script_problems('<script src="/static/js/portal.js" defer></script>')


def test_no_template_has_inline_script_or_loads_from_elsewhere():
    files = template_files()
    assert len(files) > 20
    problems = [
        f"{path.relative_to(BASE_DIR)}: {problem}"
        for path in files
        for problem in script_problems(path.read_text())
    ]
    assert not problems, "\n".join(problems)


PAGES_BY_ROLE = {
    "admin": ["/", "/teams/", "/teams/new/", "/settings/", "/settings/people/", "/sponsors/"],
    "sts": ["/", "/teams/updates/", "/teams/updates/new/", "/people/", "/meetings/"],
    "csso": ["/", "/sponsors/appoint/", "/initiatives/", "/data/"],
    "building": ["/", "/accounts/password/"],
}


@pytest.mark.parametrize("role", sorted(PAGES_BY_ROLE))
def test_rendered_pages_have_no_inline_script(role, world, client):
    client.force_login(world.user(role))
    pages = [*PAGES_BY_ROLE[role], f"/teams/{world.district.pk}/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        problems = script_problems(response.content.decode())
        assert not problems, f"{url} as {role}: " + "; ".join(problems)


def test_the_sign_in_page_has_no_inline_script(db, client):
    assert not script_problems(client.get(LOGIN).content.decode())


# --- Sign-in throttling ----------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in_as(client: Client) -> str | None:
    user = get_user(client)
    return user.username if user.is_authenticated else None


def test_repeated_wrong_passwords_lock_the_account(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 10
    for attempt in range(1, limit):
        response = sign_in(client, "sts", f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt
        assert "Please correct" in response.content.decode()

    locked = sign_in(client, "sts", "wrong-password-last")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in is locked for now" in page
    assert 'href="/accounts/login/"' in page

    # Now even the right password is refused.
    refused = sign_in(client, "sts", PASSWORD)
    assert refused.status_code == 429
    assert "Sign-in is locked for now" in refused.content.decode()
    assert signed_in_as(client) is None

    attempt = AccessAttempt.objects.get(username="sts")
    assert attempt.failures_since_start >= limit
    assert AccessFailureLog.objects.filter(username="sts").count() >= limit
    assert AccessFailureLog.objects.filter(username="sts", locked_out=True).exists()


def test_a_locked_account_does_not_lock_the_others_at_the_same_address(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sts", f"wrong-password-{attempt}")
    assert sign_in(client, "sts", PASSWORD).status_code == 429
    # The same office, the same address: everyone else still signs in.
    colleague = Client()
    assert sign_in(colleague, "csso", PASSWORD).status_code == 302
    assert signed_in_as(colleague) == "csso"


def test_the_lockout_says_its_length_in_words(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "sts", f"wrong-password-{attempt}")
    page = response.content.decode()
    assert "locked for 30 minutes" in page
    assert "PT30M" not in page


@override_settings(
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_PROXY_ORDER="right-most",
)
def test_behind_the_proxy_the_lock_is_on_the_forwarded_address(world):
    office = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(office, "sts", f"wrong-password-{attempt}")
    attempt = AccessAttempt.objects.get(username="sts")
    assert attempt.ip_address == "203.0.113.5"
    # The same account from another client behind the same proxy is not locked, and a
    # forged header to the left of the proxy's own entry changes nothing.
    home = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")
    assert sign_in(home, "sts", PASSWORD).status_code == 302
    forged = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert sign_in(forged, "sts", PASSWORD).status_code == 429


def test_without_a_proxy_a_forwarded_header_is_ignored(world):
    liar = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
    sign_in(liar, "sts", "wrong-password")
    assert AccessAttempt.objects.get(username="sts").ip_address == "10.1.1.1"


def test_an_admin_sees_and_releases_a_lockout(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sts", f"wrong-password-{attempt}")
    assert sign_in(client, "sts", PASSWORD).status_code == 429

    admin = Client()
    admin.force_login(world.user("admin"))
    page = admin.get("/settings/lockouts/").content.decode()
    assert "<td>sts</td>" in page
    assert "Locked" in page

    for attempt in AccessAttempt.objects.filter(username="sts"):
        released = admin.post(f"/settings/lockouts/{attempt.pk}/release/")
        assert released.status_code == 302
    assert not AccessAttempt.objects.filter(username="sts").exists()
    # The log of failures stays for the record.
    assert AccessFailureLog.objects.filter(username="sts").exists()

    response = sign_in(client, "sts", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_as(client) == "sts"


def test_a_right_password_before_the_limit_resets_the_count(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "sts", f"wrong-password-{attempt}")
    assert sign_in(client, "sts", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "sts", "wrong-again").status_code == 200


# --- Password strength -----------------------------------------------------------------------


def test_the_password_change_form_refuses_a_short_password(world, client):
    person = world.user("building")
    client.force_login(person)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Lamp-meadow", "new_password2": "Lamp-meadow"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct" in page
    assert "This password is too short. It must contain at least 12 characters." in page
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_password_change_form_accepts_a_long_phrase(world, client):
    person = world.user("building")
    client.force_login(person)
    phrase = "lamp meadow copper river"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": phrase, "new_password2": phrase},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(phrase)


@pytest.mark.parametrize(
    "password", ["short-pass1", "password1234", "123456789012345", "building1234"]
)
def test_weak_passwords_are_rejected(password, world):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, user=world.user("building"))


def test_a_long_unusual_password_is_accepted(world):
    password_validation.validate_password("granite lantern 47 orchard", user=world.user("building"))


# --- Health check -----------------------------------------------------------------------------

STATUS_WORDS = {"ok", "down", "unavailable"}


def health(client: Client):
    response = client.get("/healthz")
    body = response.json()
    # Nothing but status words: no versions, hosts, or error text.
    assert set(body) <= {"status", "database", "broker"}
    assert set(body.values()) <= STATUS_WORDS
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, body


@override_settings(REDIS_URL="")
def test_healthz_answers_ok_without_signing_in(db, client):
    assert health(client) == (200, {"status": "ok", "database": "ok"})


@override_settings(REDIS_URL="")
def test_healthz_is_unavailable_when_the_database_fails(db, client):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("server closed the connection")
    with mock.patch.object(portal_views, "connection", broken):
        status, body = health(client)
    assert status == 503
    assert body == {"status": "unavailable", "database": "down"}


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_is_unavailable_when_the_broker_is_unreachable(db, client):
    status, body = health(client)
    assert status == 503
    assert body == {"status": "unavailable", "database": "ok", "broker": "down"}


@override_settings(REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
def test_healthz_is_ok_with_a_live_broker(db, client):
    assert health(client) == (200, {"status": "ok", "database": "ok", "broker": "ok"})


# --- Error pages --------------------------------------------------------------------------------


def assert_portal_error_page(response, status: int, heading: str) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page
    assert 'href="/"' in page  # a way home
    assert "css/portal.css" in page  # the portal's own look
    assert "Traceback" not in page


def test_a_missing_team_shows_the_portals_404(world, client):
    client.force_login(world.user("building"))
    assert_portal_error_page(client.get("/teams/999999/"), 404, "There is no such page")


def test_a_forbidden_page_shows_the_portals_403(world, client):
    client.force_login(world.user("building"))
    assert_portal_error_page(client.get("/settings/"), 403, "You are not allowed to do that")


def test_a_crash_shows_the_portals_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("sts"))
    with mock.patch("teams.selectors.branch_roots", side_effect=RuntimeError("secret internals")):
        response = client.get("/teams/")
    assert_portal_error_page(response, 500, "Something went wrong")
    assert "secret internals" not in response.content.decode()


def test_the_500_page_needs_no_database():
    response = portal_views.server_error(RequestFactory().get("/"))
    assert_portal_error_page(response, 500, "Something went wrong")


def test_a_bad_request_shows_the_portals_400(db):
    request = RequestFactory().get("/")
    response = portal_views.bad_request(request, SuspiciousOperation("bad"))
    assert_portal_error_page(response, 400, "The portal could not understand that request")


def test_an_unknown_host_gets_the_portals_400(db, client):
    response = client.get("/", HTTP_HOST="attacker.example.com")
    assert_portal_error_page(response, 400, "The portal could not understand that request")


def test_a_form_without_its_token_shows_the_expired_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "sts", "password": PASSWORD})
    assert_portal_error_page(response, 403, "That form has expired")
    assert signed_in_as(client) is None


# --- Sessions -------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_and_same_site(world, client):
    response = sign_in(client, "sts", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 60 * 60 * 12


def test_the_csrf_cookie_is_same_site(db, client):
    response = client.get(LOGIN)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["samesite"] == "Lax"


def test_a_server_started_without_collectstatic_still_serves_pages(tmp_path):
    # A newcomer running `manage.py runserver` by hand, with production settings and no
    # collected static files, used to get a 500 on every page for want of the manifest.
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "response = Client().get('/accounts/login/', secure=True)\n"
        "print(response.status_code, 'portal.css' in response.content.decode())\n"
    )
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", DJANGO_ALLOWED_HOSTS="testserver"
    )
    run_python(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    done = run_python(["-c", script], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "True"], done.stdout + done.stderr


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    from smt_portal.cache import RedisCache

    # No command is sent: a client connects on its first one.
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    first = cache._cache.get_client("a", write=True)
    assert cache._cache.get_client("b") is first
    assert first.connection_pool is cache._cache._get_connection_pool(write=False)
