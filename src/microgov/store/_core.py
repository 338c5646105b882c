"""The event-store interface and the one append algorithm every backend shares."""

from __future__ import annotations

import abc
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, tzinfo
from types import TracebackType
from typing import Final, NamedTuple, Self

import attrs

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, EventDraft, PayloadValue, verify
from microgov.audit._canonical import (
    _ENCODER,
    _HIGH,
    decode_datetime,
    format_datetime,
    from_data,
    jcs,
    to_data,
    verdict_data,
)
from microgov.errors import AuditError, DataFormatError, MicrogovError, Problem
from microgov.store._errors import ConcurrencyError, StoreError

__all__ = [
    "AppendResult",
    "EventStore",
    "StoreFinding",
    "StoreHead",
    "StoreReport",
    "StreamAppend",
]

_encode_str: Final = json.encoder.encode_basestring


@attrs.frozen(kw_only=True)
class AppendResult:
    """What one append wrote: the stream's new version and the events' global positions.

    A retried command (same idempotency key, same events) gets the very result of
    the first append back, with ``retried=True``; ``retried`` takes no part in
    equality, so the retry's result ``==`` the original.

    Attributes:
        stream: The stream appended to.
        version: The stream's version after the append (its number of events).
        first_sequence: The global position (``AuditEvent.sequence``) of the first
            event appended.
        last_sequence: The global position of the last one.
        head: The hash of the last event appended.
        retried: True when nothing was written because the command was already
            recorded under its idempotency key.

    Example:
        >>> import attrs
        >>> r = AppendResult(stream="s", version=2, first_sequence=5, last_sequence=6,
        ...                  head="0" * 64)
        >>> list(r.positions), r == attrs.evolve(r, retried=True)
        ([5, 6], True)
    """

    stream: str
    version: int
    first_sequence: int
    last_sequence: int
    head: str
    retried: bool = attrs.field(default=False, eq=False)

    @property
    def positions(self) -> range:
        """The global positions written, ``first_sequence`` to ``last_sequence``.

        Example:
            >>> AppendResult(stream="s", version=1, first_sequence=1, last_sequence=1,
            ...              head="0" * 64).positions
            range(1, 2)
        """
        return range(self.first_sequence, self.last_sequence + 1)


@attrs.frozen(kw_only=True)
class StoreHead:
    """The end of a store's chain: how many events it holds and the last hash.

    Attributes:
        sequence: The number of events (the last global position; 0 when empty).
        hash: The last event's hash (the genesis hash when empty).  Publish it:
            ``verify(head=...)`` then tells a truncated or rewritten store.

    Example:
        >>> StoreHead(sequence=0, hash="0" * 64).sequence
        0
    """

    sequence: int
    hash: str


@attrs.frozen(kw_only=True)
class StoreFinding:
    """One thing wrong with a stored chain, naming the stream and the row.

    Attributes:
        code: An ``audit.*`` code of :class:`~microgov.audit.Finding` (an edited,
            moved, deleted or inserted event), or ``store.unreadable_row`` (a row whose
            stored text is not an event any more) or ``store.column_mismatch`` (a row
            whose indexed columns disagree with its stored event).
        sequence: The global position (row) where it was found.
        stream: The stream of the event there (None if unknown).
        stream_sequence: Its position in the stream (None if unknown).
        event_id: The event's id (None if unknown).
        message_en: What is wrong, in English.
        message_zh: The same in Chinese.

    Example:
        >>> f = StoreFinding(code="audit.hash_mismatch", sequence=7, stream="fund:a1",
        ...                  stream_sequence=2, event_id="fund:a1:2",
        ...                  message_en="changed", message_zh="已被修改")
        >>> print(f)
        #7 fund:a1 v2: changed / 已被修改 [audit.hash_mismatch]
    """

    code: str
    sequence: int
    stream: str | None
    stream_sequence: int | None
    event_id: str | None
    message_en: str
    message_zh: str

    def __str__(self) -> str:
        where = f"#{self.sequence}"
        if self.stream is not None:
            where += f" {self.stream} v{self.stream_sequence}"
        return f"{where}: {self.message_en} / {self.message_zh} [{self.code}]"


@attrs.frozen(kw_only=True)
class StoreReport:
    """What :meth:`EventStore.verify` found.

    Attributes:
        findings: Every finding, in chain order.
        count: How many rows were checked.
        head: The hash of the last event checked (the genesis hash if none).

    Example:
        >>> StoreReport(findings=(), count=0, head="0" * 64).ok
        True
    """

    findings: tuple[StoreFinding, ...]
    count: int
    head: str

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def __bool__(self) -> bool:
        return self.ok


# ---------------------------------------------------------------------------- sealing


class _Encoded(NamedTuple):
    """A draft's canonical pieces, encoded once for its hash, its row and its key."""

    draft: EventDraft
    actor: str
    at: str
    type: str
    payload: str
    verdicts: str
    id: str | None


class Row(NamedTuple):
    """One sealed event as a backend stores it: the table's 7 columns, then the rest."""

    sequence: int
    stream: str
    stream_sequence: int
    event_id: str
    at: str
    hash: str
    body: str
    draft: EventDraft
    prev_hash: str

    @property
    def columns(self) -> tuple[int, str, int, str, str, str, str]:
        """The values of the events table's columns, in order."""
        return self[:7]


@attrs.frozen
class PreparedStream:
    """One stream's part of an append, checked and encoded before any lock is taken."""

    stream: str
    encoded: tuple[_Encoded, ...]
    expected_version: int | None


@attrs.frozen
class Prepared:
    """An append of one or more streams, checked and encoded before any lock is taken."""

    streams: tuple[PreparedStream, ...]
    fingerprint: str
    key: str | None


@attrs.frozen
class Stored:
    """One stored row, as :meth:`EventStore.verify` reads it."""

    sequence: int
    stream: str
    stream_sequence: int
    event_id: str
    hash: str
    body: str


_FLAT: Final = frozenset({str, int, bool, type(None)})


def _jcs_text(data: object) -> str:
    # audit's jcs() as text: the C encoder's output is already RFC 8785 unless a key holds
    # a character at or above U+E000 (then the exact writer is used).
    text = _ENCODER.encode(data)
    return text if _HIGH.search(text) is None else jcs(data).decode("utf-8")  # type: ignore[arg-type]


def _payload_json(payload: Mapping[str, PayloadValue]) -> str:
    # A draft's payload was validated when the draft was made (string keys not starting
    # with "$", valid text, safe integers, no floats).  A flat payload of str, int, bool
    # and None is therefore its own JSON data model; anything else (Fraction, dates,
    # nested values) goes through the audit encoder.
    if all(type(v) in _FLAT for v in payload.values()):
        return _jcs_text(dict(payload))
    return _jcs_text(to_data(payload, "payload"))


class _Encoder:
    """Encodes the drafts of one append, reusing the text of repeated times and names."""

    __slots__ = ("_at", "_at_text", "_names")

    def __init__(self) -> None:
        self._at: datetime | None = None
        self._at_text = ""
        self._names: dict[str, str] = {}

    def _name(self, value: str) -> str:
        text = self._names.get(value)
        if text is None:
            text = self._names[value] = _encode_str(value)
        return text

    def __call__(self, draft: EventDraft) -> _Encoded:
        if draft.at is not self._at:
            self._at_text = format_datetime(draft.at, "at")
            self._at = draft.at
        verdicts = draft.verdicts
        return _Encoded(
            draft,
            self._name(draft.actor),
            self._at_text,
            self._name(draft.type),
            _payload_json(draft.payload),
            "[]"
            if not verdicts
            else _jcs_text([verdict_data(v, f"verdicts[{i}]") for i, v in enumerate(verdicts)]),
            draft.id,
        )


def _check_name(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or value != value.strip():
        raise StoreError(
            f"{what} must be a non-empty string without surrounding spaces, got {value!r:.40}.",
            f"{what} 必须是非空字符串且首尾无空白。",
            code="store.bad_argument",
            field=what,
        )
    return value


def _check_version(value: object) -> int | None:
    if value is not None and (type(value) is not int or value < 0):
        raise StoreError(
            f"expected_version must be an int >= 0 or None, got {value!r:.40}.",
            "expected_version 必须是不小于 0 的整数或 None。",
            code="store.bad_argument",
            field="expected_version",
        )
    return value


def _drafts(events: object) -> tuple[EventDraft, ...]:
    """The drafts of one stream's append as a tuple (a single draft is a batch of one)."""
    if isinstance(events, EventDraft):
        return (events,)
    if not isinstance(events, Iterable) or isinstance(events, str | bytes | Mapping):
        raise StoreError(
            f"append() takes a list of EventDraft values, not a {type(events).__name__}.",
            f"append() 只接受 EventDraft 列表，而不是 {type(events).__name__}。",
            code="store.draft_type",
        )
    return tuple(events)


def _check_drafts(stream: str, drafts: Sequence[object]) -> None:
    for index, draft in enumerate(drafts):
        if not isinstance(draft, EventDraft):
            raise StoreError(
                f"append() takes EventDraft values; item {index} is a {type(draft).__name__}.",
                f"append() 只接受 EventDraft；第 {index} 项不是。",
                code="store.draft_type",
                index=index,
            )
        if draft.stream != stream:
            raise StoreError(
                f"Event {index} is of stream {draft.stream!r}, not {stream!r}: one append "
                "writes one stream.",
                f"第 {index} 个事件属于流 {draft.stream!r} 而非 {stream!r}：一次追加只写一个流。",
                code="store.stream_mismatch",
                index=index,
                stream=stream,
            )
    if not drafts:
        raise StoreError(
            f"Nothing to append to {stream!r}: give at least one event.",
            f"没有要追加到 {stream!r} 的事件：至少需要一个。",
            code="store.empty_append",
            stream=stream,
        )


def _name_field(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    _check_name(value, attribute.name)


def _version_field(_: object, __: attrs.Attribute[int | None], value: int | None) -> None:
    _check_version(value)


@attrs.frozen(kw_only=True)
class StreamAppend:
    """One stream's part of an :meth:`EventStore.append_many` (一次多流追加中的一个流).

    A command that writes several streams (a project, its vote, the ledger) gives
    one of these per stream; the store writes all of them in one transaction or
    none.  The value is checked when it is made: a broken one never exists.

    Attributes:
        stream: The stream written.
        events: The drafts, at least one, each of ``stream`` (a list or a single
            draft is taken too, and kept as a tuple).
        expected_version: The stream version the command decided on (0: the
            stream must be new); None writes whatever the version.

    Raises:
        StoreError: ``store.bad_argument`` (a blank stream name, a negative or
            non-int version), ``store.empty_append``, ``store.stream_mismatch``
            (a draft of another stream), ``store.draft_type``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import EventDraft
        >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
        >>> part = StreamAppend(stream="vote:v-1", expected_version=3,
        ...                     events=[EventDraft(stream="vote:v-1", type="vote.hand",
        ...                                        actor="h-12", at=at)])
        >>> len(part.events), part.expected_version
        (1, 3)
        >>> StreamAppend(stream="vote:v-1", events=[])
        Traceback (most recent call last):
        ...
        microgov.store.StoreError: Nothing to append to 'vote:v-1': ... [store.empty_append]
    """

    stream: str = attrs.field(validator=_name_field)
    events: tuple[EventDraft, ...] = attrs.field(converter=_drafts)
    expected_version: int | None = attrs.field(default=None, validator=_version_field)

    def __attrs_post_init__(self) -> None:
        _check_drafts(self.stream, self.events)


def _prepare_stream(
    stream: str, drafts: tuple[EventDraft, ...], expected_version: int | None, ids: set[str]
) -> PreparedStream:
    """Encode one stream's drafts (``ids``: the draft ids met so far in the request)."""
    encoded: list[_Encoded] = []
    encode = _Encoder()
    for index, draft in enumerate(drafts):
        if draft.id is not None:
            if draft.id in ids:
                raise AuditError(
                    f"Event id {draft.id!r} is twice in the batch.",
                    f"事件标识 {draft.id!r} 在本批中出现两次。",
                    code="audit.duplicate_id",
                    index=index,
                    event_id=draft.id,
                )
            ids.add(draft.id)
        encoded.append(encode(draft))
    return PreparedStream(stream, tuple(encoded), expected_version)


def _fingerprint_part(p: PreparedStream) -> str:
    # what a retry must repeat: the stream and the drafts (not the expected version)
    parts = ",".join(
        f"[{e.actor},{_encode_str(e.at)},{e.type},{e.payload},{e.verdicts},"
        f"{'null' if e.id is None else _encode_str(e.id)}]"
        for e in p.encoded
    )
    return f"[{_encode_str(p.stream)},[{parts}]]"


def prepare(
    stream: str,
    events: Iterable[EventDraft],
    expected_version: int | None,
    idempotency_key: str | None,
) -> Prepared:
    """Check a one-stream append's arguments and encode its drafts (no lock is held)."""
    _check_name(stream, "stream")
    _check_version(expected_version)
    if idempotency_key is not None:
        _check_name(idempotency_key, "idempotency_key")
    drafts = _drafts(events)
    _check_drafts(stream, drafts)
    part = _prepare_stream(stream, drafts, expected_version, set())
    fingerprint = ""
    if idempotency_key is not None:
        fingerprint = hashlib.sha256(_fingerprint_part(part).encode()).hexdigest()
    return Prepared((part,), fingerprint, idempotency_key)


def prepare_many(appends: Sequence[StreamAppend], idempotency_key: str | None) -> Prepared:
    """Check an :meth:`EventStore.append_many` request and encode its drafts (no lock)."""
    if idempotency_key is not None:
        _check_name(idempotency_key, "idempotency_key")
    checked: object = appends
    if not isinstance(checked, Sequence) or isinstance(checked, str | bytes):
        raise StoreError(
            f"append_many() takes a list of StreamAppend values, not a {type(checked).__name__}.",
            f"append_many() 只接受 StreamAppend 列表，而不是 {type(checked).__name__}。",
            code="store.draft_type",
        )
    if not appends:
        raise StoreError(
            "Nothing to append: give at least one StreamAppend.",
            "没有要追加的内容：至少需要一个 StreamAppend。",
            code="store.empty_append",
        )
    parts: list[PreparedStream] = []
    seen: set[str] = set()
    ids: set[str] = set()
    for index, a in enumerate(appends):
        if not isinstance(a, StreamAppend):
            raise StoreError(
                f"append_many() takes StreamAppend values; item {index} is a {type(a).__name__}.",
                f"append_many() 只接受 StreamAppend；第 {index} 项不是。",
                code="store.draft_type",
                index=index,
            )
        if a.stream in seen:
            raise StoreError(
                f"Stream {a.stream!r} is named twice in one append_many(); give all its "
                "events in one StreamAppend.",
                f"流 {a.stream!r} 在一次 append_many() 中出现两次；请把它的事件放在同一个 "
                "StreamAppend 中。",
                code="store.bad_argument",
                index=index,
                stream=a.stream,
            )
        seen.add(a.stream)
        part = _prepare_stream(a.stream, a.events, a.expected_version, ids)
        parts.append(part)
    fingerprint = ""
    if idempotency_key is not None:
        if len(parts) == 1:  # the same as append(): a key recorded by either matches both
            text = _fingerprint_part(parts[0])
        else:
            text = "[" + ",".join(_fingerprint_part(p) for p in parts) + "]"
        fingerprint = hashlib.sha256(text.encode()).hexdigest()
    return Prepared(tuple(parts), fingerprint, idempotency_key)


def seal_rows(
    prepared: PreparedStream,
    *,
    version: int,
    head_sequence: int,
    head_hash: str,
    head_at: str | None,
) -> list[Row]:
    """Number, chain and hash one stream's drafts after the store's head (lock held)."""
    rows: list[Row] = []
    stream = prepared.stream
    stream_json = _encode_str(stream)
    last_at = head_at
    prev = head_hash
    sequence = head_sequence
    n = version
    for index, e in enumerate(prepared.encoded):
        if last_at is not None and e.at < last_at:
            raise AuditError(
                f"Event {index} of {stream!r} at {e.at} is earlier than the last event's "
                f"{last_at}; record time may not go backwards.",
                f"流 {stream!r} 的第 {index} 个事件的时间 {e.at} 早于上一事件的 {last_at}；"
                "记录时间不可倒退。",
                code="audit.time_order",
                index=index,
                stream=stream,
            )
        sequence += 1
        n += 1
        event_id = e.id if e.id is not None else f"{stream}:{n}"
        head = f'{{"actor":{e.actor},"at":{{"$datetime":"{e.at}"}},'
        tail = (
            f'"id":{_encode_str(event_id)},"payload":{e.payload},"prev_hash":"{prev}",'
            f'"sequence":{sequence},"stream":{stream_json},"stream_sequence":{n},'
            f'"type":{e.type},"verdicts":{e.verdicts}}}'
        )
        digest = hashlib.sha256((head + tail).encode("utf-8")).hexdigest()
        rows.append(
            Row(
                sequence,
                stream,
                n,
                event_id,
                e.at,
                digest,
                f'{head}"hash":"{digest}",{tail}',
                e.draft,
                prev,
            )
        )
        prev = digest
        last_at = e.at
    return rows


def event_of(row: Row) -> AuditEvent:
    """The :class:`AuditEvent` a sealed row holds (for the in-memory store)."""
    d = row.draft
    return AuditEvent(
        id=row.event_id,
        stream=row.stream,
        sequence=row.sequence,
        stream_sequence=row.stream_sequence,
        type=d.type,
        at=d.at,
        actor=d.actor,
        payload=d.payload,
        verdicts=d.verdicts,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


_EVENT_KEYS: Final = frozenset(
    {
        "actor",
        "at",
        "hash",
        "id",
        "payload",
        "prev_hash",
        "sequence",
        "stream",
        "stream_sequence",
        "type",
        "verdicts",
    }
)


def _fast_event(body: str, zone: tzinfo) -> AuditEvent | None:
    """Decode a stored row written by a store (no verdicts), or None to take the strict path.

    What is accepted is exactly what the strict reader accepts for such rows: the
    same keys, a canonical datetime, a payload decoded by the audit decoder, and every
    field checked again by :class:`AuditEvent`'s validators.
    """
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if type(raw) is not dict or raw.keys() != _EVENT_KEYS or raw["verdicts"] != []:
        return None
    at, data = raw["at"], raw["payload"]
    if type(at) is not dict or len(at) != 1 or type(at.get("$datetime")) is not str:
        return None
    if type(data) is not dict:
        return None
    problems: list[Problem] = []
    when = decode_datetime(at["$datetime"], "at", problems, zone)
    payload = from_data(data, "payload", problems, zone)
    if problems or when is None or not isinstance(payload, Mapping):
        return None
    try:
        return AuditEvent(
            id=raw["id"],
            stream=raw["stream"],
            sequence=raw["sequence"],
            stream_sequence=raw["stream_sequence"],
            type=raw["type"],
            at=when,
            actor=raw["actor"],
            payload=payload,
            prev_hash=raw["prev_hash"],
            hash=raw["hash"],
        )
    except (MicrogovError, TypeError, ValueError):
        return None


def parse_bodies(bodies: Sequence[str], zone: tzinfo, first: int) -> tuple[AuditEvent, ...]:
    """Read stored rows back into events, exactly as the audit log's own reader does.

    Rows without verdicts take a direct path (about three times faster); any other
    row, and any row the direct path declines, goes through
    :func:`~microgov.audit.loads_events`, which names what is wrong.
    """
    from microgov.audit import loads_events

    out: list[AuditEvent] = []
    for offset, body in enumerate(bodies):
        event = _fast_event(body, zone)
        if event is None:
            doc = '{"format":"microgov.audit","version":1,"events":[' + body + "]}"
            try:
                (event,) = loads_events(doc, source="store", zone=zone)
            except (DataFormatError, ValueError) as err:
                at = first + offset
                why = err.message_en if isinstance(err, DataFormatError) else "not one event"
                raise StoreError(
                    f"The stored event at position {at} cannot be read: {why} "
                    "Run verify() to find every such row.",
                    f"位置 {at} 的存储事件无法读取；请运行 verify() 查找所有此类行。",
                    code="store.corrupt",
                    sequence=at,
                ) from err
        out.append(event)
    return tuple(out)


# ---------------------------------------------------------------------------- the interface


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
        _check_name(idempotency_key, "idempotency_key")
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
