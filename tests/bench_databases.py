"""The bench's databases during the tests: on the tests' own PostgreSQL server, named after
the database DATABASE_URL names (so two checkouts testing on one server never share one),
and never the test database itself."""

from __future__ import annotations

import os
import re

import dj_database_url
import pytest
from django.db import connection

from bench.postgres import PostgresServer

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bench and the restart drill run against PostgreSQL only; run the tests with "
    "DATABASE_URL=postgres://... (as CI does) to include them",
)


def bench_server() -> PostgresServer:
    return PostgresServer.of_database_url(os.environ["DATABASE_URL"])


def bench_prefix() -> str:
    """smt_bench_t_ and the name in DATABASE_URL, which (unlike the connection's settings)
    stays the same before and after pytest-django swaps in its test database, and the
    pytest-xdist worker's name (gw0...), so two workers never build into one database."""
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return "smt_bench_t_" + re.sub(r"[^a-z0-9_]", "_", f"{name}{worker}".lower())[:28]
