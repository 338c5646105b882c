"""What an append asks for, checked and encoded before any lock is taken.

:class:`StreamAppend` is one stream's part of a command's write; :func:`prepare` and
:func:`prepare_many` check a request and encode its drafts into their canonical
pieces (through :mod:`microgov.audit`'s public codec), and compute the fingerprint an
idempotent retry must repeat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

import attrs

from microgov.audit import EventDraft, canonical_datetime, canonical_text
from microgov.errors import AuditError, StoreError

__all__ = ["Prepared", "PreparedStream", "StreamAppend", "check_name", "prepare", "prepare_many"]


class _Encoded(NamedTuple):
    """A draft's canonical pieces, encoded once for its hash, its row and its key."""

    draft: EventDraft
    actor: str
    at: str
    type: str
    payload: str
    verdicts: str
    id: str | None


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
            text = self._names[value] = canonical_text(value)
        return text

    def __call__(self, draft: EventDraft) -> _Encoded:
        if draft.at is not self._at:
            self._at_text = canonical_datetime(draft.at)
            self._at = draft.at
        verdicts = draft.verdicts
        return _Encoded(
            draft,
            self._name(draft.actor),
            self._at_text,
            self._name(draft.type),
            canonical_text(draft.payload),
            "[]" if not verdicts else canonical_text(verdicts),
            draft.id,
        )


def check_name(value: object, what: str) -> str:
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
    check_name(value, attribute.name)


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
        >>> from microgov.store import StoreError
        >>> try:
        ...     StreamAppend(stream="vote:v-1", events=[])
        ... except StoreError as err:
        ...     print(err.code)
        store.empty_append
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
        f"[{e.actor},{canonical_text(e.at)},{e.type},{e.payload},{e.verdicts},"
        f"{'null' if e.id is None else canonical_text(e.id)}]"
        for e in p.encoded
    )
    return f"[{canonical_text(p.stream)},[{parts}]]"


def prepare(
    stream: str,
    events: Iterable[EventDraft],
    expected_version: int | None,
    idempotency_key: str | None,
) -> Prepared:
    """Check a one-stream append's arguments and encode its drafts (no lock is held)."""
    check_name(stream, "stream")
    _check_version(expected_version)
    if idempotency_key is not None:
        check_name(idempotency_key, "idempotency_key")
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
        check_name(idempotency_key, "idempotency_key")
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
