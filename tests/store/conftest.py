"""Fixtures of the store tests (the helpers are in store_world.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_world import BACKENDS, Backend, make_backend, postgres_dsn

from microgov.store import EventStore


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    """A fresh schema on the test server, dropped afterwards."""
    dsn = postgres_dsn()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    yield dsn, schema
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return make_backend(request.param, request, tmp_path)


@pytest.fixture
def store(backend: Backend) -> Iterator[EventStore]:
    with backend.open() as s:
        yield s


@pytest.fixture(params=("sqlite", "postgres"))
def shared_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Only the backends that several processes can share."""
    return make_backend(request.param, request, tmp_path)
