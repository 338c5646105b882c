"""A store left open is closed when collected, with a warning naming where it was opened."""

from __future__ import annotations

import gc
import sqlite3
import warnings
from pathlib import Path
from typing import Any, ClassVar

import pytest

from microgov.store import PostgresStore, SQLiteStore, StoreError


def _line_of(marker: str) -> int:
    for number, line in enumerate(Path(__file__).read_text().splitlines(), start=1):
        if marker in line and "_line_of" not in line:
            return number
    raise AssertionError(marker)


def _forget_a_sqlite_store(path: Path) -> None:
    store = SQLiteStore(path)  # opened here: the warning names this line
    store.version("s")
    del store
    gc.collect()


def _forget_a_postgres_store(dsn: str, schema: str) -> None:
    PostgresStore(dsn, schema=schema).version("s")  # never closed
    gc.collect()


def test_an_unclosed_sqlite_store_warns_where_it_was_opened(tmp_path: Path) -> None:
    where = f"{__file__}:{_line_of('opened here: the warning names')}"
    with pytest.warns(ResourceWarning) as record:
        _forget_a_sqlite_store(tmp_path / "events.db")
    messages = [str(w.message) for w in record if w.category is ResourceWarning]
    assert len(messages) == 1
    assert where in messages[0]
    assert "SQLiteStore(" in messages[0]
    assert "close()" in messages[0]


def test_an_unclosed_postgres_store_warns_where_it_was_opened(
    pg_schema: tuple[str, str],
) -> None:
    from store_world import postgres_dsn

    dsn, schema = postgres_dsn(), pg_schema[1]
    with pytest.warns(ResourceWarning, match=rf"schema='{schema}'.*test_store_closing\.py:\d+"):
        _forget_a_postgres_store(dsn, schema)


def _no_resource_warning(action: Any) -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        action()
        gc.collect()
    assert not [w for w in record if issubclass(w.category, ResourceWarning)]


def test_a_closed_store_says_nothing(tmp_path: Path) -> None:
    def use() -> None:
        with SQLiteStore(tmp_path / "a.db") as store:
            store.version("s")
        other = SQLiteStore(tmp_path / "a.db")
        other.close()
        other.close()  # again: a no-op

    _no_resource_warning(use)


class _Tracking(sqlite3.Connection):
    closed: ClassVar[list[bool]] = []

    def close(self) -> None:
        _Tracking.closed.append(True)
        super().close()


def test_a_store_that_fails_to_open_closes_its_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "town.db"
    SQLiteStore(path, chain_id="luodian").close()
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real(*args, factory=_Tracking, **kwargs)

    monkeypatch.setattr("microgov.store._sqlite.sqlite3.connect", connect)
    _Tracking.closed.clear()

    def fail() -> None:
        with pytest.raises(StoreError, match=r"store\.genesis_mismatch"):
            SQLiteStore(path, chain_id="another-town")

    _no_resource_warning(fail)
    assert _Tracking.closed == [True]
