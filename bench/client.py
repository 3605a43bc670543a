"""One client of the portal: signing in as a demo login, and timing one request."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass

import requests

from smt_portal.middleware import QUERY_COUNT_HEADER

_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Session:
    """A signed-in session: the cookies its requests carry."""

    username: str
    cookies: dict[str, str]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def sign_in(base_url: str, username: str, password: str) -> Session:
    """Sign in through the portal's own form, once: django-axes locks an account after ten
    failures from one address, so a wrong answer stops here rather than retrying."""
    with requests.Session() as browser:
        form = browser.get(f"{base_url}/accounts/login/", timeout=60)
        token = _CSRF_FIELD.search(form.text)
        if form.status_code != 200 or token is None:
            raise SignInFailed(f"The sign-in page answered {form.status_code} without a form.")
        answer = browser.post(
            f"{base_url}/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{base_url}/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302 or "sessionid" not in browser.cookies:
            raise SignInFailed(
                f"Signing in as {username} at {base_url} answered {answer.status_code}, "
                "not a redirect with a session: is the state's password the demo's?"
            )
        return Session(username, dict(browser.cookies))


@dataclass(frozen=True)
class Sample:
    status: int
    seconds: float
    size: int
    queries: int | None
    location: str = ""


def fetch(port: int, path: str, *, cookie: str = "", timeout: float = 120) -> Sample:
    """GET one page, timed from sending the request to the last byte of the answer.

    Plain http.client, a new connection each time as gunicorn's sync workers close every
    one: the least a client can add to what is measured.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    queries = response.getheader(QUERY_COUNT_HEADER)
    return Sample(
        status=response.status,
        seconds=seconds,
        size=len(body),
        queries=int(queries) if queries is not None else None,
        location=response.getheader("Location") or "",
    )
