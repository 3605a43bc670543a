"""The PostgreSQL server the bench's databases live in, reached as its superuser."""

from __future__ import annotations

import json
import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import connection as Connection

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432"
SERVER_URL_VARIABLE = "BENCH_POSTGRES_URL"


def cluster_start_command() -> str:
    """How to start the machine's own cluster (Debian's pg_ctlcluster, as CI does)."""
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    version = versions[-1] if versions else "$(ls /etc/postgresql)"
    return f"pg_ctlcluster --skip-systemctl-redirect {version} main start"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL answers at the server's address: the bench cannot run."""

    def __init__(self, server: PostgresServer, error: Exception) -> None:
        super().__init__(
            f"PostgreSQL is not reachable at {server.display_url} "
            f"({str(error).strip().splitlines()[0]}).\n"
            "The bench builds and serves its states in PostgreSQL only, never SQLite.\n"
            f"Start the local one with:\n    {cluster_start_command()}\n"
            f"or point {SERVER_URL_VARIABLE} at another server (superuser, e.g. "
            f"{DEFAULT_SERVER_URL})."
        )


@dataclass(frozen=True)
class PostgresServer:
    """A server address without a database name: postgres://user[:password]@host:port."""

    url: str

    @classmethod
    def from_environment(cls) -> PostgresServer:
        return cls(os.environ.get(SERVER_URL_VARIABLE, DEFAULT_SERVER_URL).rstrip("/"))

    @classmethod
    def of_database_url(cls, database_url: str) -> PostgresServer:
        """The server a DATABASE_URL points into (the database name and options dropped)."""
        parts = urlsplit(database_url)
        return cls(urlunsplit((parts.scheme, parts.netloc, "", "", "")))

    @property
    def display_url(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        return f"{parts.scheme}://{parts.username or ''}@{host}:{parts.port or 5432}"

    def database_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    @contextmanager
    def connect(self, database: str = "postgres", *, autocommit: bool = True):
        connection = psycopg2.connect(self.database_url(database), connect_timeout=5)
        connection.autocommit = autocommit
        try:
            yield connection
        finally:
            connection.close()

    def check_reachable(self) -> str:
        """The server's version, or PostgresUnavailable saying how to start one."""
        try:
            with self.connect() as connection:
                return _one(connection, "SHOW server_version")
        except psycopg2.OperationalError as error:
            raise PostgresUnavailable(self, error) from error

    # --- Databases --------------------------------------------------------------------------

    def exists(self, name: str) -> bool:
        with self.connect() as connection:
            return bool(
                _one(connection, "SELECT count(*) FROM pg_database WHERE datname = %s", name)
            )

    def label(self, name: str) -> dict | None:
        """What the bench wrote on a database it built (a JSON comment), or None."""
        with self.connect() as connection:
            text = _one(
                connection,
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                name,
            )
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def set_label(self, name: str, label: dict) -> None:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS %s").format(sql.Identifier(name)),
                [json.dumps(label, sort_keys=True)],
            )

    def create(self, name: str, *, template: str | None = None) -> None:
        with self.connect() as connection, connection.cursor() as cursor:
            if template:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
            else:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop(self, name: str) -> None:
        with self.connect() as connection, connection.cursor() as cursor:
            # FORCE: a server or a psql session left connected must not keep an old state.
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def rename(self, name: str, new_name: str) -> None:
        self.terminate(name)
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(name), sql.Identifier(new_name)
                )
            )

    def vacuum_analyze(self, name: str) -> None:
        """What autovacuum would have done on a real server: visibility map and statistics,
        so the planner sees the state as production would, not as a fresh bulk load. FULL,
        because the build rewrites some tables whole several times over (every team's
        activity, once per part), which leaves them several times their size, as no table
        grown row by row over years would be. Then a plain VACUUM: FULL rewrites the tables
        without marking their pages all-visible, so every index-only scan would still read
        the table, as none does on a server autovacuum keeps."""
        with self.connect(name) as connection, connection.cursor() as cursor:
            cursor.execute("VACUUM (FULL, ANALYZE)")
            cursor.execute("VACUUM")

    # --- Taking a database away (the restart drill) ------------------------------------------

    def allow_connections(self, name: str, allowed: bool) -> None:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                    sql.Identifier(name), sql.Literal(allowed)
                )
            )

    def terminate(self, name: str, *, sparing: tuple[int, ...] = ()) -> int:
        """End every session connected to the database (but ours and `sparing`)."""
        with self.connect() as connection:
            return len(
                _all(
                    connection,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND NOT pid = ANY(%s)",
                    name,
                    list(sparing),
                )
            )

    def sessions_waiting_on_a_lock(self, name: str) -> list[tuple[int, str]]:
        """(pid, query) of each session of the database waiting for a lock."""
        with self.connect() as connection:
            return _all(
                connection,
                "SELECT pid, query FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock'",
                name,
            )

    def other_sessions(self) -> list[tuple[str, str]]:
        """(database, application) of every client session but ours: who a restart would cut."""
        with self.connect() as connection:
            return _all(
                connection,
                "SELECT coalesce(datname, ''), coalesce(application_name, '') "
                "FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND pid <> pg_backend_pid() ORDER BY 1",
            )

    def restart_cluster(self) -> None:
        """Restart the machine's own cluster (Debian's pg_ctlcluster): every session ends."""
        versions = sorted(os.listdir("/etc/postgresql"))
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
            check=True,
            capture_output=True,
            text=True,
        )


def _one(connection: Connection, query: str, *params: object):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def _all(connection: Connection, query: str, *params: object) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()
