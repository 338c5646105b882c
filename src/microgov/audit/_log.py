"""The append-only audit log (审计日志)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import overload

from microgov._verdict import Verdict
from microgov.audit._canonical import PayloadValue, genesis_hash
from microgov.audit._event import AuditEvent, EventDraft, seal
from microgov.audit._verify import verify
from microgov.errors import AuditError

__all__ = ["AuditLog", "EventsView"]


class EventsView(Sequence[AuditEvent]):
    """A read-only, live view of a log's events, in order (no copy is made).

    Indexing is O(1); a slice is a tuple copy of that slice.  The view follows the
    log: events appended later are visible through it.

    Example:
        >>> from datetime import datetime, timezone
        >>> log = AuditLog()
        >>> view = log.events
        >>> _ = log.append(stream="s", type="t", actor="u",
        ...                at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> len(view), view[0].sequence
        (1, 1)
    """

    __slots__ = ("_items",)

    def __init__(self, items: list[AuditEvent]) -> None:
        self._items = items

    @overload
    def __getitem__(self, index: int) -> AuditEvent: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[AuditEvent, ...]: ...

    def __getitem__(self, index: int | slice) -> AuditEvent | tuple[AuditEvent, ...]:
        if isinstance(index, slice):
            return tuple(self._items[index])
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[AuditEvent]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"<EventsView of {len(self._items)} event(s)>"


class AuditLog:
    """An append-only, hash-chained event log: every command becomes an event.

    **Design.** The log is the one mutable object of :mod:`microgov.audit`, on purpose:
    an immutable log whose ``append`` returned a copy would cost O(n) per event, and a
    million events must stay cheap to record.  So the log owns a private list that only
    grows: :meth:`append` and :meth:`extend` add events and return them; every other
    access is read-only (:attr:`events`, :meth:`stream`, :meth:`get`, ``len``,
    iteration, :attr:`head`).  Nothing can edit or remove an event.  Events themselves
    are immutable values.  The log is not thread-safe; serialise appends.

    **Rules of appending.** Each event gets the next global ``sequence`` (1, 2, 3 …)
    and the next ``stream_sequence`` of its stream; its ``prev_hash`` is the previous
    event's hash (for the first event, the genesis hash: 64 zeros, or a hash of the
    ``chain_id``); its ``hash`` is computed over everything else.  ``at`` is the
    *recording* time and may not go backwards (``audit.time_order``); an effective
    date that lies in the past belongs in the payload.  Ids are unique
    (``audit.duplicate_id``).  :meth:`extend` is atomic: every event of the batch is
    checked before any is added, and a refused batch leaves the log unchanged.

    Complexity: ``append`` is O(size of the event) (one SHA-256 over its canonical
    JSON); ``len``, ``head``, indexing and :meth:`get` are O(1); :meth:`stream` is
    O(events of the stream).

    Args:
        chain_id: Names the chain, so that its first ``prev_hash`` is
            ``genesis_hash(chain_id)`` and its events cannot be spliced into another
            deployment's log; None for the 64-zero genesis.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> log = AuditLog()
        >>> first = log.append(stream="project:p-1", type="project.proposed", actor="u-17",
        ...                    at=datetime(2026, 3, 2, 9, 0, tzinfo=tz),
        ...                    payload={"title": "晾衣架", "budget_fen": 1_250_000})
        >>> second = log.append(stream="project:p-1", type="project.established",
        ...                     actor="u-2", at=datetime(2026, 3, 9, 9, 0, tzinfo=tz))
        >>> len(log), second.prev_hash == first.hash, log.head == second.hash
        (2, True, True)
        >>> [e.type for e in log.stream("project:p-1")]
        ['project.proposed', 'project.established']
        >>> log.append(stream="project:p-1", type="project.late", actor="u-2",
        ...            at=datetime(2026, 3, 1, 9, 0, tzinfo=tz))
        Traceback (most recent call last):
        ...
        microgov.errors.AuditError: ... is earlier than the last event's ... [audit.time_order]
        >>> len(log)
        2
    """

    __slots__ = ("_by_id", "_events", "_genesis", "_streams")

    def __init__(self, *, chain_id: str | None = None) -> None:
        self._genesis: str = genesis_hash(chain_id)
        self._events: list[AuditEvent] = []
        self._streams: dict[str, list[AuditEvent]] = {}
        self._by_id: dict[str, AuditEvent] = {}

    @classmethod
    def from_events(cls, events: Iterable[AuditEvent], *, chain_id: str | None = None) -> AuditLog:
        """Resume a log from stored events, after verifying them.

        Args:
            events: The whole log, in order (e.g. from :func:`loads_events`).
            chain_id: The chain's name, as given when the log was started.

        Returns:
            A log holding the events, ready to be appended to.

        Raises:
            AuditError: ``audit.invalid_log`` if :func:`verify` finds anything; the
                findings are in ``details["findings"]``.

        Example:
            >>> from datetime import datetime, timezone
            >>> log = AuditLog()
            >>> _ = log.append(stream="s", type="t", actor="u",
            ...                at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> AuditLog.from_events(log.events).head == log.head
            True
        """
        items = list(events)
        log = cls(chain_id=chain_id)
        report = verify(items, genesis=log._genesis)
        if not report.ok:
            first = report.findings[0]
            raise AuditError(
                f"The stored log does not verify ({len(report.findings)} finding(s)); "
                f"first: {first.message_en}",
                f"存储的日志未通过校验（{len(report.findings)} 项问题）；首项：{first.message_zh}",
                code="audit.invalid_log",
                findings=report.findings,
            )
        for event in items:
            log._add(event)
        return log

    # ------------------------------------------------------------------ appending

    def append(
        self,
        *,
        stream: str,
        type: str,
        at: datetime,
        actor: str,
        payload: Mapping[str, PayloadValue] | None = None,
        verdicts: Iterable[Verdict] = (),
        id: str | None = None,
    ) -> AuditEvent:
        """Record one event (see :class:`EventDraft` for the arguments).

        Returns:
            The new event, sequenced and hashed.

        Raises:
            AuditError: For a bad field (``audit.float``, ``time.not_aware`` …),
                ``audit.time_order`` if ``at`` is earlier than the last event's, or
                ``audit.duplicate_id``; the log is then unchanged.

        Example:
            >>> from datetime import datetime, timezone
            >>> log = AuditLog()
            >>> log.append(stream="s", type="t", actor="u", payload={"fee": 0.5},
            ...            at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            Traceback (most recent call last):
            ...
            microgov.errors.AuditError: payload.fee: float 0.5 refused: ... [audit.float]
        """
        draft = EventDraft(
            stream=stream,
            type=type,
            at=at,
            actor=actor,
            payload=payload if payload is not None else {},
            verdicts=verdicts,
            id=id,
        )
        (event,) = self.extend((draft,))
        return event

    def extend(self, drafts: Iterable[EventDraft]) -> tuple[AuditEvent, ...]:
        """Record a batch of events atomically: all of them, or none.

        Args:
            drafts: The events to record, in order.

        Returns:
            The new events, sequenced and hashed.

        Raises:
            AuditError: ``audit.time_order``, ``audit.duplicate_id`` or
                ``audit.draft_type`` for the first bad draft (its index in
                ``details["index"]``); the log is then unchanged.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> log = AuditLog()
            >>> batch = [EventDraft(stream="s", type="t", actor="u", at=at, id="x"),
            ...          EventDraft(stream="s", type="t", actor="u", at=at, id="x")]
            >>> log.extend(batch)
            Traceback (most recent call last):
            ...
            microgov.errors.AuditError: Event id 'x' is already in the log. ...
            >>> len(log)
            0
        """
        sequence = len(self._events)
        prev_hash = self.head
        last_at = self._events[-1].at if self._events else None
        stream_counts: dict[str, int] = {}
        new_ids: set[str] = set()
        made: list[AuditEvent] = []
        for index, draft in enumerate(drafts):
            if not isinstance(draft, EventDraft):
                raise AuditError(
                    f"extend() takes EventDraft values; item {index} is a {type(draft).__name__}.",
                    f"extend() 只接受 EventDraft；第 {index} 项不是。",
                    code="audit.draft_type",
                    index=index,
                )
            if last_at is not None and draft.at < last_at:
                raise AuditError(
                    f"Event {index} at {draft.at.isoformat()} is earlier than the last "
                    f"event's {last_at.isoformat()}; record time may not go backwards.",
                    f"第 {index} 个事件的时间 {draft.at.isoformat()} 早于上一事件的 "
                    f"{last_at.isoformat()}；记录时间不可倒退。",
                    code="audit.time_order",
                    index=index,
                )
            count = stream_counts.get(draft.stream)
            if count is None:
                count = len(self._streams.get(draft.stream, ()))
            count += 1
            sequence += 1
            event = seal(draft, sequence=sequence, stream_sequence=count, prev_hash=prev_hash)
            if event.id in self._by_id or event.id in new_ids:
                raise AuditError(
                    f"Event id {event.id!r} is already in the log.",
                    f"事件标识 {event.id!r} 已存在于日志中。",
                    code="audit.duplicate_id",
                    index=index,
                    event_id=event.id,
                )
            stream_counts[draft.stream] = count
            new_ids.add(event.id)
            made.append(event)
            prev_hash = event.hash
            last_at = draft.at
        for event in made:
            self._add(event)
        return tuple(made)

    def _add(self, event: AuditEvent) -> None:
        self._events.append(event)
        self._streams.setdefault(event.stream, []).append(event)
        self._by_id[event.id] = event

    # ------------------------------------------------------------------ reading

    @property
    def events(self) -> EventsView:
        """Every event, in order, as a read-only live view (no copy)."""
        return EventsView(self._events)

    @property
    def head(self) -> str:
        """The last event's hash (the genesis hash while the log is empty).

        Publish it (a notice board, a newspaper, another system): anyone holding it
        can tell a truncated or rewritten log from the real one with
        ``verify(events, head=...)``.
        """
        return self._events[-1].hash if self._events else self._genesis

    @property
    def genesis(self) -> str:
        """The ``prev_hash`` of the first event."""
        return self._genesis

    @property
    def streams(self) -> tuple[str, ...]:
        """The stream names, in order of their first event."""
        return tuple(self._streams)

    def stream(self, name: str) -> tuple[AuditEvent, ...]:
        """The events of one stream, in order (empty if the stream has none).

        Args:
            name: The stream, e.g. ``"project:p-1"``.

        Returns:
            A tuple of the stream's events.

        Example:
            >>> AuditLog().stream("project:p-1")
            ()
        """
        return tuple(self._streams.get(name, ()))

    def get(self, event_id: str) -> AuditEvent | None:
        """The event with this id, or None.

        Example:
            >>> AuditLog().get("project:p-1:1") is None
            True
        """
        return self._by_id.get(event_id)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[AuditEvent]:
        return iter(self._events)

    def __repr__(self) -> str:
        return f"<AuditLog of {len(self._events)} event(s), head {self.head[:12]}…>"
