"""Backends for the store tests: the same contract runs on memory, SQLite and PostgreSQL.

PostgreSQL tests need a server: ``eval "$(bash .ci/postgres.sh start)"`` exports
``MICROGOV_TEST_POSTGRES_DSN``.  Without it they are skipped with that reason, except
under CI (``CI=true``), where a missing DSN or a missing psycopg fails them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from microgov.store import EventStore, MemoryStore, PostgresStore, SQLiteStore

DSN_VAR = "MICROGOV_TEST_POSTGRES_DSN"
BACKENDS = ("memory", "sqlite", "postgres")


def postgres_dsn() -> str:
    """The test server's DSN; skip (or, under CI, fail) when there is none."""
    dsn = os.environ.get(DSN_VAR, "")
    under_ci = os.environ.get("CI", "").lower() == "true"
    if not dsn:
        reason = f"PostgreSQL tests need {DSN_VAR} (start a server: bash .ci/postgres.sh start)"
        if under_ci:
            pytest.fail(f"CI=true but {DSN_VAR} is not set: {reason}")
        pytest.skip(reason)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = "PostgreSQL tests need psycopg 3 (pip install 'microgov[postgres]')"
        if under_ci:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return dsn


@attrs.define
class Backend:
    """One store backend under test: open stores on the same data, edit rows behind them."""

    name: str
    open: Callable[..., EventStore]
    execute_sql: Callable[[str], None] | None
    table: str = "microgov_events"

    @property
    def persistent(self) -> bool:
        return self.execute_sql is not None


def _sqlite_backend(path: Path) -> Backend:
    def execute(sql: str) -> None:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute(sql)
        finally:
            db.close()

    def open_store(**kwargs: object) -> EventStore:
        return SQLiteStore(path, **kwargs)  # type: ignore[arg-type]

    return Backend("sqlite", open_store, execute)


def _postgres_backend(dsn: str, schema: str) -> Backend:
    import psycopg

    def execute(sql: str) -> None:
        with psycopg.connect(dsn, autocommit=True) as db:
            db.execute(f'SET search_path TO "{schema}"')  # type: ignore[arg-type]
            db.execute(sql)  # type: ignore[arg-type]

    def open_store(**kwargs: object) -> EventStore:
        return PostgresStore(dsn, schema=schema, **kwargs)  # type: ignore[arg-type]

    return Backend("postgres", open_store, execute)


def make_backend(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if name == "memory":
        return Backend("memory", lambda **kw: MemoryStore(**kw), None)  # type: ignore[arg-type]
    if name == "sqlite":
        return _sqlite_backend(tmp_path / "events.db")
    dsn, schema = request.getfixturevalue("pg_schema")
    return _postgres_backend(dsn, schema)
