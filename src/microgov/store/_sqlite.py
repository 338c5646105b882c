"""The SQLite event store: embedded, durable, safe across processes (standard library)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import tzinfo
from typing import Any

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, genesis_hash
from microgov.errors import AuditError
from microgov.store._base import EventStore
from microgov.store._errors import ConcurrencyError, StoreError
from microgov.store._opened import opened_at, warn_unclosed
from microgov.store._reading import Stored, parse_bodies
from microgov.store._results import AppendResult
from microgov.store._sealing import Row

__all__ = ["SQLiteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS microgov_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS microgov_events (
    sequence INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    stream_sequence INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    at TEXT NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    CONSTRAINT microgov_events_stream_version UNIQUE (stream, stream_sequence),
    CONSTRAINT microgov_events_id UNIQUE (event_id)
);
CREATE TABLE IF NOT EXISTS microgov_commands (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    first_sequence INTEGER NOT NULL,
    last_sequence INTEGER NOT NULL,
    head TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS microgov_command_streams (
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    first_sequence INTEGER NOT NULL,
    last_sequence INTEGER NOT NULL,
    head TEXT NOT NULL,
    PRIMARY KEY (key, position)
);
"""


def _unavailable(err: sqlite3.Error, path: str) -> StoreError:
    return StoreError(
        f"SQLite store {path!r}: {type(err).__name__}: {err}",
        f"SQLite 存储 {path!r} 出错：{type(err).__name__}：{err}",
        code="store.unavailable",
        path=path,
    )


class SQLiteStore(EventStore):
    """An event store in one SQLite file (嵌入式存储), from the standard library.

    One file, any number of processes: each append is one ``BEGIN IMMEDIATE``
    transaction (the file's write lock, so appends are serialised and the chain stays
    one chain), committed durably — write-ahead log (``journal_mode=WAL``) with
    ``synchronous=FULL``, so a committed append survives a crash or power loss and an
    interrupted one leaves nothing.  ``UNIQUE (stream, stream_sequence)``,
    ``UNIQUE (event_id)`` and the idempotency keys' primary key are enforced by the
    database too.  Each event is stored as its canonical JSON, hash included (the
    bytes :func:`~microgov.audit.dumps_events` writes), beside indexed columns.

    Args:
        path: The database file (created if missing), or ``":memory:"``.
        chain_id: Names the chain; a store created with one chain id cannot be opened
            with another (``store.genesis_mismatch``).
        zone: The zone read datetimes are given in.
        durable: ``synchronous=FULL`` (the default) or ``NORMAL`` (still atomic, but
            the last commits may be lost on power failure).
        timeout: Seconds to wait for another process's write lock.

    Raises:
        StoreError: ``store.unavailable`` if the file cannot be opened,
            ``store.genesis_mismatch``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import EventDraft
        >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
        >>> with SQLiteStore(":memory:") as store:
        ...     r = store.append("fund:a1", [EventDraft(stream="fund:a1", type="t",
        ...                      actor="u", at=at)], expected_version=0)
        ...     print(r.version, store.read("fund:a1")[0].id, store.verify().ok)
        1 fund:a1:1 True
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        chain_id: str | None = None,
        zone: tzinfo = SHANGHAI,
        durable: bool = True,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(genesis=genesis_hash(chain_id), zone=zone)
        self.path = os.fspath(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise _unavailable(err, self.path) from err
        try:  # a store that fails to open closes its connection before raising
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            self._setup()
        except sqlite3.Error as err:
            self._db.close()
            raise _unavailable(err, self.path) from err
        except BaseException:
            self._db.close()
            raise
        self._opened_at = opened_at()

    def _setup(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                row = self._db.execute(
                    "SELECT value FROM microgov_meta WHERE key = 'genesis'"
                ).fetchone()
                if row is None:
                    self._db.execute(
                        "INSERT INTO microgov_meta (key, value) VALUES ('genesis', ?)",
                        (self.genesis,),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise _unavailable(err, self.path) from err
        if row is not None and row[0] != self.genesis:
            raise StoreError(
                f"The store {self.path!r} holds another chain (genesis {row[0][:12]}…); "
                "open it with the chain id it was created with.",
                f"存储 {self.path!r} 属于另一条链（创世哈希 {row[0][:12]}…）；"
                "请使用创建时的链标识打开。",
                code="store.genesis_mismatch",
                path=self.path,
            )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise _unavailable(err, self.path) from err
        try:
            yield
        except sqlite3.Error as err:
            self._db.execute("ROLLBACK")
            raise _unavailable(err, self.path) from err
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            self._db.execute("ROLLBACK")
            raise _unavailable(err, self.path) from err

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise _unavailable(err, self.path) from err

    def _lookup(self, key: str) -> tuple[str, tuple[AppendResult, ...]] | None:
        rows = self._query(
            "SELECT fingerprint, stream, version, first_sequence, last_sequence, head "
            "FROM microgov_commands WHERE key = ?",
            (key,),
        )
        if not rows:
            return None
        fingerprint, *first = rows[0]
        more = self._query(  # the second and later streams of an append_many
            "SELECT stream, version, first_sequence, last_sequence, head "
            "FROM microgov_command_streams WHERE key = ? ORDER BY position",
            (key,),
        )
        return fingerprint, tuple(
            AppendResult(
                stream=r[0], version=r[1], first_sequence=r[2], last_sequence=r[3], head=r[4]
            )
            for r in (first, *more)
        )

    def _head(self) -> tuple[int, str, str | None]:
        rows = self._query(
            "SELECT sequence, hash, at FROM microgov_events ORDER BY sequence DESC LIMIT 1"
        )
        if not rows:
            return 0, self.genesis, None
        return rows[0][0], rows[0][1], rows[0][2]

    def _insert(
        self,
        rows: list[Row],
        key: str | None,
        fingerprint: str,
        results: tuple[AppendResult, ...],
    ) -> None:
        try:
            self._insert_rows([r.columns for r in rows])
        except sqlite3.IntegrityError as err:
            streams = ", ".join(repr(r.stream) for r in results)
            if "event_id" in str(err):
                raise AuditError(
                    "An event id of the batch is already in the store.",
                    "本批中的某个事件标识已存在于存储中。",
                    code="audit.duplicate_id",
                    stream=results[0].stream,
                ) from err
            raise ConcurrencyError(
                f"Stream {streams} was written concurrently: {err}",
                f"流 {streams} 被并发写入。",
                stream=results[0].stream,
            ) from err
        if key is not None:  # inside _locked: an sqlite3.Error becomes a StoreError
            first = results[0]
            self._db.execute(
                "INSERT INTO microgov_commands (key, fingerprint, stream, version, "
                "first_sequence, last_sequence, head) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    fingerprint,
                    first.stream,
                    first.version,
                    first.first_sequence,
                    first.last_sequence,
                    first.head,
                ),
            )
            if len(results) > 1:
                self._db.executemany(
                    "INSERT INTO microgov_command_streams (key, position, stream, version, "
                    "first_sequence, last_sequence, head) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (key, i, r.stream, r.version, r.first_sequence, r.last_sequence, r.head)
                        for i, r in enumerate(results[1:], start=1)
                    ],
                )

    def _insert_rows(self, rows: list[tuple[int, str, int, str, str, str, str]]) -> None:
        self._db.executemany(
            "INSERT INTO microgov_events (sequence, stream, stream_sequence, event_id, at, "
            "hash, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _stored(self) -> Iterator[Stored]:
        last = 0
        while True:  # in pages, so that a large store is not held in memory twice
            rows = self._query(
                "SELECT sequence, stream, stream_sequence, event_id, hash, body "
                "FROM microgov_events WHERE sequence > ? ORDER BY sequence LIMIT 10000",
                (last,),
            )
            if not rows:
                return
            for row in rows:
                yield Stored(*row)
            last = rows[-1][0]

    def version(self, stream: str) -> int:
        rows = self._query(
            "SELECT max(stream_sequence) FROM microgov_events WHERE stream = ?", (stream,)
        )
        return 0 if not rows or rows[0][0] is None else int(rows[0][0])

    def read(self, stream: str, *, from_version: int = 0) -> tuple[AuditEvent, ...]:
        bodies = [
            b
            for (b,) in self._query(
                "SELECT body FROM microgov_events WHERE stream = ? AND stream_sequence > ? "
                "ORDER BY stream_sequence",
                (stream, from_version),
            )
        ]
        return parse_bodies(bodies, self.zone, from_version + 1)

    def read_all(
        self, *, from_position: int = 0, limit: int | None = None
    ) -> tuple[AuditEvent, ...]:
        bodies = [
            b
            for (b,) in self._query(
                "SELECT body FROM microgov_events WHERE sequence > ? ORDER BY sequence LIMIT ?",
                (from_position, -1 if limit is None else max(limit, 0)),
            )
        ]
        return parse_bodies(bodies, self.zone, from_position + 1)

    _opened_at: str | None = None  # where it was opened; None once closed (or never opened)

    def close(self) -> None:
        """Close the database connection (again: a no-op).

        A store never closed is closed when it is garbage-collected, with a
        :class:`ResourceWarning` naming the file and line that opened it.

        Example:
            >>> SQLiteStore(":memory:").close()
        """
        self._opened_at = None
        self._db.close()

    def __del__(self) -> None:
        where = self._opened_at
        if where is not None:
            self.close()
            warn_unclosed(self, f"SQLiteStore({self.path!r})", where)
