"""Storage that loses nothing (存储): event stores in memory, SQLite and PostgreSQL.

An :class:`EventStore` holds streams of :class:`~microgov.audit.AuditEvent` values in
one hash chain.  An append takes :class:`~microgov.audit.EventDraft` values for one
stream, with the stream version the caller decided on (``expected_version``) and the
command's id (``idempotency_key``); the store numbers, chains and seals the events in
one transaction.  A stale version raises :class:`ConcurrencyError` and writes nothing;
a retried command is a no-op that returns the first :class:`AppendResult`; a crash
leaves all of an append or none of it; :meth:`EventStore.verify` names any row edited
behind the library's back.  A command that writes several streams (a project, its vote,
the ledger) gives one :class:`StreamAppend` per stream to :meth:`EventStore.append_many`:
one transaction, an expected version per stream, all or nothing.  A host keeps its own
read tables by reading :meth:`EventStore.read_all` from the position it stored.

* :class:`MemoryStore` — the default, in one process;
* :class:`SQLiteStore` — one file, any number of local processes (standard library);
* :class:`PostgresStore` — a shared database for several service instances (needs
  the ``postgres`` extra, psycopg 3).

Repositories build on any of them: :class:`ProjectRepository` (lifecycle items,
state replayed from events), :class:`LedgerRepository` (double-entry ledgers; no
fund spent twice, even by two instances at once) and :class:`GraphRepository`
(snapshots of the governance graph).

Example:
    >>> from datetime import datetime
    >>> from microgov.calendar import SHANGHAI
    >>> from microgov.audit import EventDraft
    >>> from microgov.store import ConcurrencyError, SQLiteStore
    >>> store = SQLiteStore(":memory:")
    >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    >>> note = EventDraft(stream="topic:t-1", type="topic.note", actor="u-1", at=at)
    >>> store.append("topic:t-1", [note], expected_version=0).version
    1
    >>> try:
    ...     store.append("topic:t-1", [note], expected_version=0)
    ... except ConcurrencyError as err:
    ...     print(err.code, err.details["actual"])
    store.concurrency 1
    >>> store.verify().ok
    True
    >>> store.close()   # or open it in a `with` block
"""

from microgov._public import publish as _publish
from microgov.errors import ConcurrencyError, StoreError
from microgov.store._append import StreamAppend
from microgov.store._base import EventStore
from microgov.store._memory import MemoryStore
from microgov.store._postgres import PostgresStore
from microgov.store._repos import (
    GraphRecord,
    GraphRepository,
    LedgerRecord,
    LedgerRepository,
    ProjectRecord,
    ProjectRepository,
)
from microgov.store._results import AppendResult, StoreFinding, StoreHead, StoreReport
from microgov.store._sqlite import SQLiteStore

__all__ = [
    "AppendResult",
    "ConcurrencyError",
    "EventStore",
    "GraphRecord",
    "GraphRepository",
    "LedgerRecord",
    "LedgerRepository",
    "MemoryStore",
    "PostgresStore",
    "ProjectRecord",
    "ProjectRepository",
    "SQLiteStore",
    "StoreError",
    "StoreFinding",
    "StoreHead",
    "StoreReport",
    "StreamAppend",
]

_publish(__name__, globals(), __all__, adopt=(StoreError, ConcurrencyError))
