"""The event-store interface and the one append algorithm every backend shares.

A backend implements a handful of primitives (a locked transaction, the head, the
idempotency look-up, inserting rows, reading rows); :class:`EventStore` checks and
encodes a request (:mod:`~microgov.store._append`), seals it under the lock
(:mod:`~microgov.store._sealing`) and reads rows back
(:mod:`~microgov.store._reading`).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import tzinfo
from types import TracebackType
from typing import Self

import attrs

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, EventDraft, verify
from microgov.errors import ConcurrencyError, StoreError
from microgov.store._append import Prepared, StreamAppend, check_name, prepare, prepare_many
from microgov.store._reading import Stored, parse_bodies
from microgov.store._results import AppendResult, StoreFinding, StoreHead, StoreReport
from microgov.store._sealing import Row, seal_rows

__all__ = ["EventStore"]


class EventStore(abc.ABC):
    """An append-only, hash-chained event store (事件存储): streams of audit events.

    Every store holds one audit chain (:mod:`microgov.audit`): an append takes
    :class:`~microgov.audit.EventDraft` values, and the store numbers them (global
    ``sequence``, per-stream ``stream_sequence``), links each to the previous event's
    hash and seals it, under one lock, so what is stored is a chain that
    :func:`~microgov.audit.verify` accepts and :meth:`verify` checks row by row.

    * **Optimistic concurrency.** ``expected_version`` is the stream version the
      caller decided on (0 for a new stream); if the stream moved on, the append
      raises :class:`ConcurrencyError` and writes nothing.  ``None`` skips the check.
    * **Idempotency.** An append with an ``idempotency_key`` already recorded writes
      nothing and returns the first append's :class:`AppendResult` (``retried=True``)
      if its events are the same; with other events it raises
      :class:`StoreError` ``store.idempotency_conflict``.  Keys are unique store-wide.
    * **Atomicity.** An append is one transaction: all its events or none.
    * **Order.** Record times (``at``) may not go backwards across the whole store
      (``audit.time_order``, as in :class:`~microgov.audit.AuditLog`).

    Implementations: :class:`MemoryStore` (the default), :class:`SQLiteStore`,
    :class:`PostgresStore`.  A store object is not thread-safe: give each thread or
    process its own (the SQL stores are safe across processes).

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import EventDraft
        >>> from microgov.store import MemoryStore
        >>> store = MemoryStore()
        >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
        >>> r = store.append("fund:a1", [EventDraft(stream="fund:a1", type="t", actor="u",
        ...                                         at=at)], expected_version=0)
        >>> r.version, r.first_sequence, store.version("fund:a1")
        (1, 1, 1)
    """

    genesis: str
    zone: tzinfo

    def __init__(self, *, genesis: str, zone: tzinfo = SHANGHAI) -> None:
        self.genesis = genesis
        self.zone = zone

    # -- the backend's primitives (called with the store's write lock held) --

    @abc.abstractmethod
    def _locked(self) -> AbstractContextManager[None]:
        """A write transaction holding the store-wide append lock."""

    @abc.abstractmethod
    def _lookup(self, key: str) -> tuple[str, tuple[AppendResult, ...]] | None:
        """The fingerprint and results (one per stream) recorded under an idempotency key."""

    @abc.abstractmethod
    def _head(self) -> tuple[int, str, str | None]:
        """The last global sequence, hash and record time (``at`` text)."""

    @abc.abstractmethod
    def _insert(
        self,
        rows: list[Row],
        key: str | None,
        fingerprint: str,
        results: tuple[AppendResult, ...],
    ) -> None:
        """Write the rows (and the idempotency record, if keyed: every stream's result)."""

    @abc.abstractmethod
    def _stored(self) -> Iterator[Stored]:
        """Every stored row in global order, as stored (for :meth:`verify`)."""

    # -- public API --

    @abc.abstractmethod
    def version(self, stream: str) -> int:
        """The stream's version: its number of events (0 for a stream never written).

        Args:
            stream: The stream.

        Returns:
            The version.

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().version("project:p-1")
            0
        """

    @abc.abstractmethod
    def read(self, stream: str, *, from_version: int = 0) -> tuple[AuditEvent, ...]:
        """The stream's events after ``from_version``, oldest first.

        Args:
            stream: The stream.
            from_version: Skip the stream's first ``from_version`` events (read only
                what came after a state one already holds).

        Returns:
            The events (empty for an unknown stream).

        Raises:
            StoreError: ``store.corrupt`` if a stored row cannot be read.

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().read("project:p-1")
            ()
        """

    @abc.abstractmethod
    def read_all(
        self, *, from_position: int = 0, limit: int | None = None
    ) -> tuple[AuditEvent, ...]:
        """Every event after global position ``from_position``, in chain order.

        This is the catch-up subscription for a host's read tables: keep the position
        (``AuditEvent.sequence``) of the last event applied, with the table, and ask
        for what came after it, page by page.  Positions are gap-free and in commit
        order (appends are serialised under the store's lock), so a reader resuming
        from its stored position misses nothing and sees nothing twice.

        Args:
            from_position: Skip events at positions up to this one (0: from the start).
            limit: At most this many events (None: all).

        Returns:
            The events.

        Raises:
            StoreError: ``store.corrupt`` if a stored row cannot be read.

        Example:
            >>> from datetime import datetime, timezone
            >>> from microgov.audit import EventDraft
            >>> from microgov.store import MemoryStore
            >>> store = MemoryStore()
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> for n in range(5):
            ...     _ = store.append("topic:t-1", [EventDraft(stream="topic:t-1",
            ...                      type="topic.note", actor="u-1", at=at)],
            ...                      expected_version=n)
            >>> position, pages = 2, []       # the reader had applied events 1 and 2
            >>> while page := store.read_all(from_position=position, limit=2):
            ...     pages.append([e.sequence for e in page])
            ...     position = page[-1].sequence
            >>> pages
            [[3, 4], [5]]
        """

    def recorded(self, idempotency_key: str) -> AppendResult | None:
        """The result of the append recorded under this key, if any (``retried=True``).

        For a key of :meth:`append_many`, the result of its first stream; see
        :meth:`recorded_many` for all of them.

        Args:
            idempotency_key: The key.

        Returns:
            The first append's result, or None.

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().recorded("cmd-1") is None
            True
        """
        found = self.recorded_many(idempotency_key)
        return None if found is None else found[0]

    def recorded_many(self, idempotency_key: str) -> tuple[AppendResult, ...] | None:
        """Every stream's result of the append recorded under this key, if any.

        A service checks this first when a command may be a retry: the command's
        decision, taken again on today's state, could differ from the one recorded.

        Args:
            idempotency_key: The key (an :meth:`append` or :meth:`append_many` key).

        Returns:
            The first append's results in the order of its streams (``retried=True``),
            or None.

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().recorded_many("cmd-1") is None
            True
        """
        check_name(idempotency_key, "idempotency_key")
        found = self._lookup(idempotency_key)
        if found is None:
            return None
        return tuple(attrs.evolve(r, retried=True) for r in found[1])

    @property
    def head(self) -> StoreHead:
        """The last global position and hash.

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().head.sequence
            0
        """
        sequence, digest, _ = self._head()
        return StoreHead(sequence=sequence, hash=digest)

    def append(
        self,
        stream: str,
        events: Iterable[EventDraft],
        *,
        expected_version: int | None,
        idempotency_key: str | None = None,
    ) -> AppendResult:
        """Append events to one stream, atomically, chained after the store's head.

        Args:
            stream: The stream; every draft's ``stream`` must be this one.
            events: The drafts, at least one (a single draft is taken as a batch of one).
            expected_version: The version the caller decided on (0: the stream must be
                new); None to append whatever the version.
            idempotency_key: The command's id: a retry with the same key and the same
                events is a no-op returning the first result.

        Returns:
            The stream's new version and the events' global positions.

        Raises:
            ConcurrencyError: ``store.concurrency`` when the stream is not at
                ``expected_version``.
            StoreError: ``store.idempotency_conflict`` (the key was used for other
                events), ``store.empty_append``, ``store.stream_mismatch``,
                ``store.draft_type``, ``store.bad_argument``, ``store.unavailable``.
            AuditError: ``audit.time_order`` (an event earlier than the store's last),
                ``audit.duplicate_id`` (an id already stored), or a payload the audit
                log refuses.

        Complexity: O(size of the events) plus the backend's indexed look-ups; one
        transaction, one durable commit.

        Example:
            >>> from datetime import datetime, timezone
            >>> from microgov.audit import EventDraft
            >>> from microgov.store import MemoryStore
            >>> store = MemoryStore()
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> grant = [EventDraft(stream="fund:a1", type="fund.granted", actor="u-1", at=at,
            ...                     payload={"fen": 500})]
            >>> first = store.append("fund:a1", grant, expected_version=0,
            ...                      idempotency_key="cmd-1")
            >>> again = store.append("fund:a1", grant, expected_version=0,
            ...                      idempotency_key="cmd-1")
            >>> again == first, again.retried, store.version("fund:a1")
            (True, True, 1)
            >>> store.append("fund:a1", grant, expected_version=0)
            Traceback (most recent call last):
            ...
            microgov.store.ConcurrencyError: Stream 'fund:a1' is at version 1, ...
        """
        prepared = prepare(stream, events, expected_version, idempotency_key)
        with self._locked():
            return self._append_locked(prepared)[0]

    def append_many(
        self, appends: Sequence[StreamAppend], *, idempotency_key: str | None = None
    ) -> tuple[AppendResult, ...]:
        """Append to several streams in one transaction, each at its expected version.

        One command often writes several streams — a project, its vote, the ledger.
        All of them are written, chained one after the other in the order given, or
        none: a stale ``expected_version`` on any stream raises
        :class:`ConcurrencyError` naming that stream (``details``: ``stream``,
        ``expected``, ``actual``) and nothing is written.  :meth:`append` is this
        with one stream.

        Args:
            appends: One :class:`StreamAppend` per stream (each stream at most once).
            idempotency_key: The command's id: sending the same request again (same
                streams, same drafts, in the same order) writes nothing and returns
                the first results, ``retried=True``.

        Returns:
            One result per stream, in the order of ``appends``.

        Raises:
            ConcurrencyError: ``store.concurrency`` when a stream is not at its
                ``expected_version``.
            StoreError: ``store.idempotency_conflict`` (the key was recorded for a
                different request), ``store.empty_append`` (no streams),
                ``store.bad_argument`` (a stream named twice), ``store.draft_type``,
                ``store.unavailable``.
            AuditError: ``audit.time_order``, ``audit.duplicate_id``, as
                :meth:`append`.

        Complexity: O(size of the events) plus the backend's indexed look-ups (one
        version look-up per stream); one transaction, one durable commit.

        Example:
            >>> from datetime import datetime, timezone
            >>> from microgov.audit import EventDraft
            >>> from microgov.store import MemoryStore, StreamAppend
            >>> store = MemoryStore()
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> def draft(stream: str, type: str) -> EventDraft:
            ...     return EventDraft(stream=stream, type=type, actor="u-1", at=at)
            >>> command = [
            ...     StreamAppend(stream="project:p-1", expected_version=0,
            ...                  events=[draft("project:p-1", "project.funded")]),
            ...     StreamAppend(stream="ledger:luodian", expected_version=0,
            ...                  events=[draft("ledger:luodian", "funds.posted")]),
            ... ]
            >>> [(r.stream, r.version, r.first_sequence)
            ...  for r in store.append_many(command, idempotency_key="cmd-7")]
            [('project:p-1', 1, 1), ('ledger:luodian', 1, 2)]
            >>> [r.retried for r in store.append_many(command, idempotency_key="cmd-7")]
            [True, True]
            >>> try:  # both streams are at version 1 now: nothing is written
            ...     store.append_many(command)
            ... except ConcurrencyError as err:
            ...     print(err.details["stream"], err.details["expected"], err.details["actual"])
            project:p-1 0 1
            >>> store.head.sequence
            2
        """
        prepared = prepare_many(appends, idempotency_key)
        with self._locked():
            return self._append_locked(prepared)

    def _append_locked(self, p: Prepared) -> tuple[AppendResult, ...]:
        if p.key is not None:
            found = self._lookup(p.key)
            if found is not None:
                fingerprint, recorded = found
                if fingerprint != p.fingerprint:
                    streams = ", ".join(repr(r.stream) for r in recorded)
                    raise StoreError(
                        f"Idempotency key {p.key!r} was already used for other events "
                        f"(stream {streams}); a retry must send the same command.",
                        f"幂等键 {p.key!r} 已用于其他事件（流 {streams}）；"
                        "重试必须提交相同的命令。",
                        code="store.idempotency_conflict",
                        key=p.key,
                        stream=recorded[0].stream,
                    )
                return tuple(attrs.evolve(r, retried=True) for r in recorded)
        versions = [self._stream_version(part.stream) for part in p.streams]
        for part, version in zip(p.streams, versions, strict=True):
            if part.expected_version is not None and part.expected_version != version:
                raise ConcurrencyError.stale(
                    part.stream, expected=part.expected_version, actual=version
                )
        head_sequence, head_hash, head_at = self._head()
        rows: list[Row] = []
        results: list[AppendResult] = []
        for part, version in zip(p.streams, versions, strict=True):
            sealed = seal_rows(
                part,
                version=version,
                head_sequence=head_sequence,
                head_hash=head_hash,
                head_at=head_at,
            )
            last = sealed[-1]
            results.append(
                AppendResult(
                    stream=part.stream,
                    version=last.stream_sequence,
                    first_sequence=sealed[0].sequence,
                    last_sequence=last.sequence,
                    head=last.hash,
                )
            )
            rows += sealed
            head_sequence, head_hash, head_at = last.sequence, last.hash, last.at
        done = tuple(results)
        self._insert(rows, p.key, p.fingerprint, done)
        return done

    def _stream_version(self, stream: str) -> int:
        return self.version(stream)

    def verify(self, *, head: str | None = None) -> StoreReport:
        """Check every stored row: edited, deleted, moved or inserted rows are named.

        Each row's stored text is read back into an event (a row that no longer
        reads is ``store.unreadable_row``), its indexed columns are compared with
        the event (``store.column_mismatch``), and the chain is checked by
        :func:`microgov.audit.verify` (``audit.hash_mismatch``, ``audit.broken_link``
        …).  Every finding names the global position, the stream and the stream
        position.  Tampering is reported, never raised.

        Args:
            head: The head hash published earlier, to catch a truncated store.

        Returns:
            The report.

        Complexity: O(size of the store).

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().verify().ok
            True
        """
        findings: list[StoreFinding] = []
        events: list[AuditEvent] = []
        where: list[Stored] = []
        count = 0
        for row in self._stored():
            count += 1
            try:
                (event,) = parse_bodies([row.body], self.zone, row.sequence)
            except (StoreError, ValueError):
                findings.append(
                    StoreFinding(
                        code="store.unreadable_row",
                        sequence=row.sequence,
                        stream=row.stream,
                        stream_sequence=row.stream_sequence,
                        event_id=row.event_id,
                        message_en=f"Row {row.sequence} (stream {row.stream!r}, version "
                        f"{row.stream_sequence}) no longer holds a readable event: it was "
                        "edited outside microgov.",
                        message_zh=f"第 {row.sequence} 行（流 {row.stream!r}，版本 "
                        f"{row.stream_sequence}）已不是可读的事件：在 microgov 之外被修改。",
                    )
                )
                continue
            columns = (row.sequence, row.stream, row.stream_sequence, row.event_id, row.hash)
            if columns != (
                event.sequence,
                event.stream,
                event.stream_sequence,
                event.id,
                event.hash,
            ):
                findings.append(
                    StoreFinding(
                        code="store.column_mismatch",
                        sequence=row.sequence,
                        stream=row.stream,
                        stream_sequence=row.stream_sequence,
                        event_id=row.event_id,
                        message_en=f"Row {row.sequence} (stream {row.stream!r}, version "
                        f"{row.stream_sequence}): its columns do not match the event it "
                        f"holds ({event.stream!r} v{event.stream_sequence}, sequence "
                        f"{event.sequence}); it was edited outside microgov.",
                        message_zh=f"第 {row.sequence} 行（流 {row.stream!r}，版本 "
                        f"{row.stream_sequence}）的索引列与所存事件不符：在 microgov 之外被修改。",
                    )
                )
            events.append(event)
            where.append(row)
        report = verify(events, genesis=self.genesis, head=head)
        for f in report.findings:
            at = where[f.sequence - 1] if 0 < f.sequence <= len(where) else None
            ev = events[f.sequence - 1] if at is not None else None
            findings.append(
                StoreFinding(
                    code=f.code,
                    sequence=f.sequence if at is None else at.sequence,
                    stream=None if ev is None else ev.stream,
                    stream_sequence=None if ev is None else ev.stream_sequence,
                    event_id=f.event_id,
                    message_en=f.message_en,
                    message_zh=f.message_zh,
                )
            )
        findings.sort(key=lambda x: x.sequence)
        return StoreReport(findings=tuple(findings), count=count, head=report.head)

    def close(self) -> None:  # noqa: B027 - a no-op unless the backend holds a connection
        """Release the store's connection (a no-op for the in-memory store).

        Example:
            >>> from microgov.store import MemoryStore
            >>> MemoryStore().close()
        """

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
