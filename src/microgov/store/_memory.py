"""The in-memory event store: the default, for tests, simulations and single processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import tzinfo

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, canonical_datetime, encode_event, genesis_hash
from microgov.errors import AuditError
from microgov.store._base import EventStore
from microgov.store._reading import Stored
from microgov.store._results import AppendResult
from microgov.store._sealing import Row, event_of

__all__ = ["MemoryStore"]


class MemoryStore(EventStore):
    """An event store held in memory (内存存储): the default, nothing is persisted.

    Same semantics as the SQL stores (see :class:`EventStore`), within one process.
    Appends are O(size of the events); :meth:`read` is O(events of the stream);
    :meth:`version` is O(1).

    Args:
        chain_id: Names the chain (its first ``prev_hash`` is
            ``genesis_hash(chain_id)``); None for the 64-zero genesis.
        zone: Unused for reading (events are kept as given); kept for symmetry.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import EventDraft
        >>> store = MemoryStore(chain_id="luodian")
        >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
        >>> _ = store.append("project:p-1", [EventDraft(stream="project:p-1",
        ...                  type="project.note", actor="u-1", at=at)], expected_version=0)
        >>> [e.id for e in store.read("project:p-1")], store.verify().ok
        (['project:p-1:1'], True)
    """

    def __init__(self, *, chain_id: str | None = None, zone: tzinfo = SHANGHAI) -> None:
        super().__init__(genesis=genesis_hash(chain_id), zone=zone)
        self._events: list[AuditEvent] = []
        self._streams: dict[str, list[AuditEvent]] = {}
        self._ids: set[str] = set()
        self._keys: dict[str, tuple[str, tuple[AppendResult, ...]]] = {}

    def _locked(self) -> AbstractContextManager[None]:
        return nullcontext()

    def _lookup(self, key: str) -> tuple[str, tuple[AppendResult, ...]] | None:
        return self._keys.get(key)

    def _head(self) -> tuple[int, str, str | None]:
        if not self._events:
            return 0, self.genesis, None
        last = self._events[-1]
        return last.sequence, last.hash, canonical_datetime(last.at)

    def _insert(
        self,
        rows: list[Row],
        key: str | None,
        fingerprint: str,
        results: tuple[AppendResult, ...],
    ) -> None:
        for row in rows:
            if row.event_id in self._ids:
                raise AuditError(
                    f"Event id {row.event_id!r} is already in the store.",
                    f"事件标识 {row.event_id!r} 已存在于存储中。",
                    code="audit.duplicate_id",
                    event_id=row.event_id,
                )
        made = [event_of(row) for row in rows]
        for event in made:
            self._events.append(event)
            self._streams.setdefault(event.stream, []).append(event)
            self._ids.add(event.id)
        if key is not None:
            self._keys[key] = (fingerprint, results)

    def _stored(self) -> Iterator[Stored]:
        for e in self._events:
            body = encode_event(e).decode("utf-8")
            yield Stored(e.sequence, e.stream, e.stream_sequence, e.id, e.hash, body)

    def version(self, stream: str) -> int:
        return len(self._streams.get(stream, ()))

    def read(self, stream: str, *, from_version: int = 0) -> tuple[AuditEvent, ...]:
        return tuple(self._streams.get(stream, ())[max(from_version, 0) :])

    def read_all(
        self, *, from_position: int = 0, limit: int | None = None
    ) -> tuple[AuditEvent, ...]:
        start = max(from_position, 0)
        stop = None if limit is None else start + max(limit, 0)
        return tuple(self._events[start:stop])
