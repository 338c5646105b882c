"""The PostgreSQL event store: one shared state for many service instances (psycopg 3)."""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import tzinfo
from types import ModuleType
from typing import Any, Final

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, genesis_hash
from microgov.errors import AuditError
from microgov.store._base import EventStore
from microgov.store._errors import ConcurrencyError, StoreError
from microgov.store._opened import opened_at, warn_unclosed
from microgov.store._reading import Stored, parse_bodies
from microgov.store._results import AppendResult
from microgov.store._sealing import Row

__all__ = ["PostgresStore"]

_SCHEMA_NAME: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _psycopg() -> ModuleType:
    try:
        return importlib.import_module("psycopg")
    except ImportError as err:
        raise StoreError(
            "PostgresStore needs psycopg 3: pip install 'microgov[postgres]'.",
            "PostgresStore 需要 psycopg 3：请执行 pip install 'microgov[postgres]'。",
            code="store.unavailable",
        ) from err


def _unavailable(err: Exception) -> StoreError:
    return StoreError(
        f"PostgreSQL store: {type(err).__name__}: {err}",
        f"PostgreSQL 存储出错：{type(err).__name__}：{err}",
        code="store.unavailable",
    )


class PostgresStore(EventStore):
    """An event store in a PostgreSQL database (共享存储), through psycopg 3.

    For deployments where several service instances share one state.  The same
    semantics as :class:`SQLiteStore`: each append is one transaction that first
    takes a transaction-scoped advisory lock for the store (``pg_advisory_xact_lock``;
    appends are serialised, so the chain stays one chain), then checks the
    idempotency key and the expected version, and writes the rows with ``COPY``;
    ``UNIQUE (stream, stream_sequence)``, ``UNIQUE (event_id)`` and the keys' primary
    key are enforced by the database too.  Durability is the server's
    (``fsync``/``synchronous_commit``, on by default).

    Needs the optional extra: ``pip install 'microgov[postgres]'`` (psycopg 3).

    Args:
        dsn: A libpq connection string or URL, e.g.
            ``"postgresql://app@127.0.0.1:5432/microgov"``.
        schema: The schema holding the store's tables (created if missing); several
            stores may share a database under different schemas.
        chain_id: Names the chain; a store created with one chain id cannot be opened
            with another (``store.genesis_mismatch``).
        zone: The zone read datetimes are given in.

    Raises:
        StoreError: ``store.unavailable`` (psycopg missing, the server unreachable),
            ``store.bad_argument`` (a schema name other than lowercase letters, digits
            and ``_``), ``store.genesis_mismatch``.

    Example:
        >>> PostgresStore("postgresql://nobody@127.0.0.1:1/none", schema="Bad-Name")
        Traceback (most recent call last):
        ...
        microgov.store.StoreError: schema must be ... [store.bad_argument]
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "microgov",
        chain_id: str | None = None,
        zone: tzinfo = SHANGHAI,
    ) -> None:
        super().__init__(genesis=genesis_hash(chain_id), zone=zone)
        if not isinstance(schema, str) or not _SCHEMA_NAME.fullmatch(schema):
            raise StoreError(
                "schema must be lowercase letters, digits and '_' (at most 63), "
                f"got {schema!r:.70}.",
                "schema 只能由小写字母、数字和 '_' 组成（至多 63 个字符）。",
                code="store.bad_argument",
                field="schema",
            )
        self.schema = schema
        self._lock_key = int.from_bytes(
            hashlib.sha256(f"microgov.store:{schema}".encode()).digest()[:8], "big", signed=True
        )
        pg = _psycopg()
        try:
            self._db: Any = pg.connect(dsn, autocommit=True)
        except Exception as err:  # psycopg.Error, or a malformed DSN
            raise _unavailable(err) from err
        self._setup()  # closes the connection before raising
        self._opened_at = opened_at()

    def _t(self, name: str) -> str:
        return f'"{self.schema}".microgov_{name}'

    def _setup(self) -> None:
        s = self.schema
        try:
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
                self._db.execute(f'CREATE SCHEMA IF NOT EXISTS "{s}"')
                for statement in (
                    f"CREATE TABLE IF NOT EXISTS {self._t('meta')} ("
                    "key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                    f"CREATE TABLE IF NOT EXISTS {self._t('events')} ("
                    "sequence BIGINT PRIMARY KEY, stream TEXT NOT NULL, "
                    "stream_sequence BIGINT NOT NULL, event_id TEXT NOT NULL, at TEXT NOT NULL, "
                    "hash TEXT NOT NULL, body TEXT NOT NULL, "
                    "CONSTRAINT microgov_events_stream_version UNIQUE (stream, stream_sequence), "
                    "CONSTRAINT microgov_events_id UNIQUE (event_id))",
                    f"CREATE TABLE IF NOT EXISTS {self._t('commands')} ("
                    "key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, stream TEXT NOT NULL, "
                    "version BIGINT NOT NULL, first_sequence BIGINT NOT NULL, "
                    "last_sequence BIGINT NOT NULL, head TEXT NOT NULL)",
                    f"CREATE TABLE IF NOT EXISTS {self._t('command_streams')} ("
                    "key TEXT NOT NULL, position INTEGER NOT NULL, stream TEXT NOT NULL, "
                    "version BIGINT NOT NULL, first_sequence BIGINT NOT NULL, "
                    "last_sequence BIGINT NOT NULL, head TEXT NOT NULL, "
                    "PRIMARY KEY (key, position))",
                ):
                    self._db.execute(statement)
                row = self._db.execute(
                    f"SELECT value FROM {self._t('meta')} WHERE key = 'genesis'"
                ).fetchone()
                if row is None:
                    self._db.execute(
                        f"INSERT INTO {self._t('meta')} (key, value) VALUES ('genesis', %s)",
                        (self.genesis,),
                    )
        except Exception as err:
            self._db.close()
            raise _unavailable(err) from err
        if row is not None and row[0] != self.genesis:
            self._db.close()
            raise StoreError(
                f"Schema {s!r} holds another chain (genesis {str(row[0])[:12]}…); "
                "open it with the chain id it was created with.",
                f"模式 {s!r} 属于另一条链（创世哈希 {str(row[0])[:12]}…）；"
                "请使用创建时的链标识打开。",
                code="store.genesis_mismatch",
                schema=s,
            )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        psycopg = _psycopg()
        try:
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
                yield
        except psycopg.errors.UniqueViolation as err:
            if err.diag.constraint_name == "microgov_events_id":
                raise AuditError(
                    "An event id of the batch is already in the store.",
                    "本批中的某个事件标识已存在于存储中。",
                    code="audit.duplicate_id",
                ) from err
            raise ConcurrencyError(
                f"The store was written concurrently: {err}",
                "存储被并发写入，请重新读取后再试。",
            ) from err
        except psycopg.Error as err:
            raise _unavailable(err) from err

    def _lookup(self, key: str) -> tuple[str, tuple[AppendResult, ...]] | None:
        row = self._query_one(
            "SELECT fingerprint, stream, version, first_sequence, last_sequence, head "
            f"FROM {self._t('commands')} WHERE key = %s",
            (key,),
        )
        if row is None:
            return None
        fingerprint, *first = row
        more = self._query(  # the second and later streams of an append_many
            "SELECT stream, version, first_sequence, last_sequence, head "
            f"FROM {self._t('command_streams')} WHERE key = %s ORDER BY position",
            (key,),
        )
        return str(fingerprint), tuple(
            AppendResult(
                stream=str(r[0]),
                version=int(r[1]),
                first_sequence=int(r[2]),
                last_sequence=int(r[3]),
                head=str(r[4]),
            )
            for r in (first, *more)
        )

    def _query_one(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        psycopg = _psycopg()
        try:
            return self._db.execute(sql, params).fetchone()
        except psycopg.Error as err:
            raise _unavailable(err) from err

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        psycopg = _psycopg()
        try:
            return self._db.execute(sql, params).fetchall()
        except psycopg.Error as err:
            raise _unavailable(err) from err

    def _head(self) -> tuple[int, str, str | None]:
        row = self._query_one(
            f"SELECT sequence, hash, at FROM {self._t('events')} ORDER BY sequence DESC LIMIT 1"
        )
        if row is None:
            return 0, self.genesis, None
        return int(row[0]), str(row[1]), str(row[2])

    def _insert(
        self,
        rows: list[Row],
        key: str | None,
        fingerprint: str,
        results: tuple[AppendResult, ...],
    ) -> None:
        self._insert_rows([r.columns for r in rows])
        if key is not None:
            first = results[0]
            self._db.execute(
                f"INSERT INTO {self._t('commands')} (key, fingerprint, stream, version, "
                "first_sequence, last_sequence, head) VALUES (%s, %s, %s, %s, %s, %s, %s)",
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
                with self._db.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO {self._t('command_streams')} (key, position, stream, "
                        "version, first_sequence, last_sequence, head) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [
                            (key, i, r.stream, r.version, r.first_sequence, r.last_sequence, r.head)
                            for i, r in enumerate(results[1:], start=1)
                        ],
                    )

    def _insert_rows(self, rows: list[tuple[int, str, int, str, str, str, str]]) -> None:
        with (
            self._db.cursor() as cur,
            cur.copy(
                f"COPY {self._t('events')} (sequence, stream, stream_sequence, event_id, at, "
                "hash, body) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def _stored(self) -> Iterator[Stored]:
        for row in self._query(
            "SELECT sequence, stream, stream_sequence, event_id, hash, body "
            f"FROM {self._t('events')} ORDER BY sequence"
        ):
            seq, stream, n, eid, digest, body = row
            yield Stored(int(seq), str(stream), int(n), str(eid), str(digest), str(body))

    def version(self, stream: str) -> int:
        row = self._query_one(
            f"SELECT max(stream_sequence) FROM {self._t('events')} WHERE stream = %s", (stream,)
        )
        return 0 if row is None or row[0] is None else int(row[0])

    def read(self, stream: str, *, from_version: int = 0) -> tuple[AuditEvent, ...]:
        rows = self._query(
            f"SELECT body FROM {self._t('events')} WHERE stream = %s AND stream_sequence > %s "
            "ORDER BY stream_sequence",
            (stream, from_version),
        )
        return parse_bodies([str(b) for (b,) in rows], self.zone, from_version + 1)

    def read_all(
        self, *, from_position: int = 0, limit: int | None = None
    ) -> tuple[AuditEvent, ...]:
        rows = self._query(
            f"SELECT body FROM {self._t('events')} WHERE sequence > %s ORDER BY sequence LIMIT %s",
            (from_position, None if limit is None else max(limit, 0)),
        )
        return parse_bodies([str(b) for (b,) in rows], self.zone, from_position + 1)

    def close(self) -> None:
        """Close the database connection.

        Example:
            >>> PostgresStore.close  # doctest: +ELLIPSIS
            <function PostgresStore.close at ...>
        """
        self._opened_at = None
        self._db.close()

    _opened_at: str | None = None  # where it was opened; None once closed (or never opened)

    def __del__(self) -> None:
        where = self._opened_at
        if where is not None:
            self.close()
            warn_unclosed(self, f"PostgresStore(schema={self.schema!r})", where)
