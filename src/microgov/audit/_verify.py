"""Verifying a chain of events: every edit, deletion, reordering and insertion is named."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from microgov.audit._canonical import GENESIS_HASH
from microgov.audit._event import AuditEvent, compute_hash
from microgov.errors import AuditError

__all__ = ["Finding", "VerifyReport", "verify"]


@attrs.frozen(kw_only=True)
class Finding:
    """One thing wrong with a chain of events.

    Attributes:
        code: A stable reason code:

            * ``audit.hash_mismatch`` — the event's content no longer matches its hash
              (it was edited);
            * ``audit.broken_link`` — its ``prev_hash`` is not the hash of the event
              before it (an event before it was deleted, inserted, moved, or re-hashed);
            * ``audit.sequence_gap`` — its sequence jumps forward (events missing);
            * ``audit.sequence_order`` — its sequence does not increase (moved or
              duplicated events);
            * ``audit.stream_gap`` / ``audit.stream_order`` — the same within its stream;
            * ``audit.duplicate_id`` — an id seen before;
            * ``audit.time_order`` — recorded earlier than the event before it;
            * ``audit.head_mismatch`` — the last hash is not the published head
              (the log was truncated or extended).
        sequence: The *position* (1-based) in the verified sequence where the problem
            was found, i.e. the sequence number the event there should carry; 0 for
            an empty chain.
        event_id: The id of the event at that position (None for an empty chain).
        message_en: What is wrong, in English.
        message_zh: The same in Chinese.

    Example:
        >>> f = Finding(code="audit.hash_mismatch", sequence=3, event_id="project:p-1:2",
        ...             message_en="changed", message_zh="已被修改")
        >>> str(f)
        '#3 project:p-1:2: changed / 已被修改 [audit.hash_mismatch]'
    """

    code: str
    sequence: int
    event_id: str | None
    message_en: str
    message_zh: str

    def __str__(self) -> str:
        return (
            f"#{self.sequence} {self.event_id}: {self.message_en} / {self.message_zh} [{self.code}]"
        )


@attrs.frozen(kw_only=True)
class VerifyReport:
    """What :func:`verify` found.

    Attributes:
        findings: Every finding, in chain order (for one position: hash, link,
            sequence, stream, id, time, in that order).
        count: How many events were checked.
        head: The hash of the last event checked (the genesis hash if none).

    Example:
        >>> r = VerifyReport(findings=(), count=0, head="0" * 64)
        >>> r.ok, bool(r)
        (True, True)
    """

    findings: tuple[Finding, ...]
    count: int
    head: str

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def __bool__(self) -> bool:
        return self.ok


def verify(
    events: Iterable[AuditEvent], *, genesis: str = GENESIS_HASH, head: str | None = None
) -> VerifyReport:
    """Check a chain of events, e.g. loaded from storage, and name everything wrong.

    A pure function: it recomputes every hash (an edited event no longer matches
    its own), follows every ``prev_hash`` link (a deleted, inserted or moved event
    breaks the link after it), and checks that global and per-stream sequence numbers
    run 1, 2, 3 … without gaps or steps back, that ids are unique and that record
    times never go backwards.  Sequence checks compare each event with the one
    before it, so one deletion gives one finding, not one per later event.

    A chain cannot tell by itself that its *last* events were cut off or replaced
    consistently: give ``head`` (the head hash published elsewhere) to catch that.

    Args:
        events: The events in stored order.  Any iterable: it is read once.
        genesis: The first event's expected ``prev_hash``: :data:`GENESIS_HASH`, or
            ``genesis_hash(chain_id)`` for a named chain.
        head: The expected hash of the last event, if known.

    Returns:
        The report: ``ok`` and every finding.  Tampering is reported, never raised.

    Raises:
        AuditError: ``audit.event_type`` if an item is not an :class:`AuditEvent`.

    Complexity: O(total size of the events), memory O(number of ids and streams).

    Example:
        >>> import attrs
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> for day in (1, 2, 3):
        ...     _ = log.append(stream="project:p-1", type="project.note", actor="u-1",
        ...                    at=datetime(2026, 1, day, tzinfo=timezone.utc),
        ...                    payload={"day": day})
        >>> verify(log.events).ok
        True
        >>> events = list(log.events)
        >>> events[1] = attrs.evolve(events[1], payload={"day": 9})
        >>> for finding in verify(events).findings:
        ...     print(finding.code, finding.sequence, finding.event_id)
        audit.hash_mismatch 2 project:p-1:2
        >>> for finding in verify([events[0], events[2]]).findings:
        ...     print(finding.code, finding.sequence)
        audit.broken_link 2
        audit.sequence_gap 2
        audit.stream_gap 2
    """
    findings: list[Finding] = []
    prev_hash = genesis
    prev_sequence = 0
    prev_at: datetime | None = None
    last_in_stream: dict[str, int] = {}
    seen_ids: set[str] = set()
    position = 0
    last_id: str | None = None

    def add(code: str, event_id: str | None, en: str, zh: str) -> None:
        findings.append(
            Finding(code=code, sequence=position, event_id=event_id, message_en=en, message_zh=zh)
        )

    for event in events:
        position += 1
        if not isinstance(event, AuditEvent):
            raise AuditError(
                f"verify() takes AuditEvent values; item {position} is a {type(event).__name__}.",
                f"verify() 只接受 AuditEvent；第 {position} 项不是。",
                code="audit.event_type",
                position=position,
            )
        eid = event.id
        where = f"Event {eid!r} (sequence {event.sequence}) at position {position}"
        where_zh = f"位置 {position} 的事件 {eid!r}（序号 {event.sequence}）"
        if compute_hash(event) != event.hash:
            add(
                "audit.hash_mismatch",
                eid,
                f"{where}: its content was changed after it was recorded (hash mismatch).",
                f"{where_zh}：记录后内容被修改（哈希不符）。",
            )
        if event.prev_hash != prev_hash:
            before = "the genesis hash" if position == 1 else f"the hash of position {position - 1}"
            before_zh = "创世哈希" if position == 1 else f"位置 {position - 1} 的哈希"
            add(
                "audit.broken_link",
                eid,
                f"{where}: prev_hash is not {before}; an event before it was deleted, "
                "inserted, moved or rewritten.",
                f"{where_zh}：prev_hash 与{before_zh}不符；其前的事件被删除、插入、移动或改写。",
            )
        if event.sequence > prev_sequence + 1:
            missing = (
                f"{prev_sequence + 1}"
                if event.sequence == prev_sequence + 2
                else f"{prev_sequence + 1}–{event.sequence - 1}"
            )
            add(
                "audit.sequence_gap",
                eid,
                f"{where}: sequence jumps from {prev_sequence} to {event.sequence}; "
                f"event(s) {missing} are missing.",
                f"{where_zh}：序号由 {prev_sequence} 跳至 {event.sequence}；"
                f"缺少第 {missing} 号事件。",
            )
        elif event.sequence <= prev_sequence:
            add(
                "audit.sequence_order",
                eid,
                f"{where}: sequence {event.sequence} does not follow {prev_sequence}; "
                "events were moved or duplicated.",
                f"{where_zh}：序号 {event.sequence} 未接续 {prev_sequence}；事件被移动或重复。",
            )
        prev_sequence = event.sequence
        last = last_in_stream.get(event.stream, 0)
        if event.stream_sequence > last + 1:
            add(
                "audit.stream_gap",
                eid,
                f"{where}: stream {event.stream!r} jumps from {last} to "
                f"{event.stream_sequence}; event(s) of the stream are missing.",
                f"{where_zh}：流 {event.stream!r} 的序号由 {last} 跳至 "
                f"{event.stream_sequence}；该流缺少事件。",
            )
        elif event.stream_sequence <= last:
            add(
                "audit.stream_order",
                eid,
                f"{where}: stream {event.stream!r} sequence {event.stream_sequence} does not "
                f"follow {last}; events were moved or duplicated.",
                f"{where_zh}：流 {event.stream!r} 的序号 {event.stream_sequence} 未接续 {last}；"
                "事件被移动或重复。",
            )
        last_in_stream[event.stream] = event.stream_sequence
        if eid in seen_ids:
            add(
                "audit.duplicate_id",
                eid,
                f"{where}: the id was already used by an earlier event.",
                f"{where_zh}：该标识已被之前的事件使用。",
            )
        seen_ids.add(eid)
        if prev_at is not None and event.at < prev_at:
            add(
                "audit.time_order",
                eid,
                f"{where}: recorded at {event.at.isoformat()}, earlier than the event "
                f"before it ({prev_at.isoformat()}).",
                f"{where_zh}：记录时间 {event.at.isoformat()} "
                f"早于前一事件（{prev_at.isoformat()}）。",
            )
        prev_at = event.at
        prev_hash = event.hash
        last_id = eid
    if head is not None and head != prev_hash:
        add(
            "audit.head_mismatch",
            last_id,
            f"The last hash ({prev_hash[:12]}…, after {position} event(s)) is not the "
            f"published head ({head[:12]}…): the log was truncated, extended or rewritten.",
            f"最后一个哈希（{prev_hash[:12]}…，共 {position} 个事件）与公布的链头"
            f"（{head[:12]}…）不符：日志被截断、追加或改写。",
        )
    return VerifyReport(findings=tuple(findings), count=position, head=prev_hash)
