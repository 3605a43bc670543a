"""The bench's databases during the tests: on the tests' own PostgreSQL server, named after
the test database (so two checkouts testing on one server never share one), and never the
test database itself."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from bench.postgres import PostgresServer

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bench and the restart drill run against PostgreSQL only; run the tests with "
    "DATABASE_URL=postgres://... (as CI does) to include them",
)


def bench_server() -> PostgresServer:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return PostgresServer(
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}"
    )


def bench_prefix() -> str:
    """smt_bench_ and the test database's name (pytest-django's `test_...`)."""
    name = re.sub(r"[^a-z0-9_]", "_", connection.settings_dict["NAME"].lower())
    return f"smt_bench_{name}"[:40]
