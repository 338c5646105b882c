"""Fixtures of the service tests: a store of each backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from microgov.store import EventStore, MemoryStore, PostgresStore, SQLiteStore

DSN_VAR = "MICROGOV_TEST_POSTGRES_DSN"


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


@pytest.fixture(params=("memory", "sqlite", "postgres"))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh store of each backend (PostgreSQL in a schema of its own)."""
    if request.param == "memory":
        with MemoryStore() as memory:
            yield memory
        return
    if request.param == "sqlite":
        with SQLiteStore(tmp_path / "service.db") as sqlite:
            yield sqlite
        return
    dsn = postgres_dsn()
    schema = f"svc_{uuid.uuid4().hex[:16]}"
    with PostgresStore(dsn, schema=schema) as pg:
        yield pg
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]
