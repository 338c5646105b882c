"""Audit events: one recorded command, its payload, the verdicts it relied on, its hashes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from microgov._checks import aware_datetime, require_text
from microgov._verdict import Verdict
from microgov.audit._canonical import (
    MAX_SAFE_INTEGER,
    JsonData,
    PayloadValue,
    canonical_str,
    check_int,
    check_key,
    check_text,
    format_datetime,
    is_hex64,
    jcs,
    refuse_float,
    refuse_type,
    sha256_hex,
    to_data,
    verdict_data,
)
from microgov.errors import AuditError

__all__ = ["AuditEvent", "EventDraft", "Payload", "compute_hash", "event_data", "event_text"]

Payload: TypeAlias = Mapping[str, PayloadValue]
"""An event's payload: string keys, JSON-like exact values (see :data:`PayloadValue`)."""


def _freeze(value: object, path: str) -> PayloadValue:
    """Validate a payload value and make a deeply read-only copy of it.

    The callers below take the commonest values (an ASCII ``str``, an ``int`` within
    range, ``None``, a ``bool``) without calling it, and so without building the path
    that only an error needs; for those values this function would return them as they
    are, so the result is the same.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        check_text(value, path)
        return value
    if isinstance(value, int):
        check_int(value, path)
        return value
    if isinstance(value, float):
        raise refuse_float(value, path)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, datetime):
        format_datetime(value, path)  # refuses naive datetimes
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, Mapping):
        return _freeze_mapping(value, path)
    if isinstance(value, (list, tuple)):
        items: list[PayloadValue] = []
        for i, v in enumerate(value):
            if (
                (type(v) is str and v.isascii())  # ASCII is always valid UTF-8
                or (type(v) is int and -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER)
                or v is None
                or type(v) is bool
            ):
                items.append(v)
            else:
                items.append(_freeze(v, f"{path}[{i}]"))
        return tuple(items)
    raise refuse_type(value, path)


def _freeze_mapping(value: Mapping[Any, object], path: str) -> Mapping[str, PayloadValue]:
    out: dict[str, PayloadValue] = {}
    for key, item in value.items():
        if type(key) is str and key.isascii() and not key.startswith("$"):
            name = key  # what check_key returns for it
        else:
            name = check_key(key, path)
        if (
            (type(item) is str and item.isascii())
            or (type(item) is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER)
            or item is None
            or type(item) is bool
        ):
            out[name] = item
        else:
            out[name] = _freeze(item, f"{path}.{name}")
    return MappingProxyType(out)


def _freeze_payload(value: Mapping[str, PayloadValue] | None) -> Payload:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise AuditError(
            f"A payload must be a mapping, not a {type(value).__name__}.",
            f"载荷必须是映射，而不是 {type(value).__name__}。",
            code="audit.payload_type",
            path="payload",
        )
    return _freeze_mapping(value, "payload")


def _verdict_tuple(value: Iterable[Verdict]) -> tuple[Verdict, ...]:
    verdicts = tuple(value)
    for i, verdict in enumerate(verdicts):
        if not isinstance(verdict, Verdict):
            raise AuditError(
                f"verdicts[{i}] is a {type(verdict).__name__}, not a Verdict.",
                f"verdicts[{i}] 不是 Verdict。",
                code="audit.verdict_type",
                path=f"verdicts[{i}]",
            )
        verdict_data(verdict, f"verdicts[{i}]")  # refuses float figures, naive datetimes
    return verdicts


def _name(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        type(value) is str
        and value.isascii()  # valid UTF-8, and only ASCII whitespace to strip
        and value
        and not value[0].isspace()
        and not value[-1].isspace()
    ):
        return  # what the two checks below accept, without the calls
    check_text(require_text(value, attribute.name, error=AuditError, padded=False), attribute.name)


def _aware(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    at = aware_datetime(value, attribute.name, error=AuditError)
    if not 1 < at.year < 9999:
        # An offset is less than a day, so only a time within a day of the ends of the
        # calendar can fall outside it in UTC: the canonical text refuses those.
        format_datetime(at, attribute.name)


def _positive(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        raise AuditError(
            f"{attribute.name} must be an integer >= 1, got {value!r:.40}.",
            f"{attribute.name} 必须是不小于 1 的整数。",
            code="audit.field",
            field=attribute.name,
        )
    check_int(value, attribute.name)


def _hex64(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not is_hex64(value):
        raise AuditError(
            f"{attribute.name} must be 64 lowercase hex digits, got {value!r:.70}.",
            f"{attribute.name} 必须是 64 位小写十六进制数字。",
            code="audit.field",
            field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class EventDraft:
    """An event not yet in a log: what :meth:`AuditLog.extend` is given.

    The log fills in the sequence numbers, the default id and the hashes.  The draft
    is validated when it is made, so a bad one never reaches a log.

    Attributes:
        stream: The stream (aggregate) the event belongs to, e.g. ``"project:p-1"``.
        type: The event type, e.g. ``"project.established"``.
        at: When it was recorded (timezone-aware; naive datetimes are refused).
        actor: The pseudonymous id of the person who acted (never a name, phone or
            identity number).
        payload: The facts of the command (see :data:`Payload`; no floats).
        verdicts: The verdicts the decision relied on.
        id: A caller-given id (e.g. an idempotency key); None for
            ``"{stream}:{stream_sequence}"``.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> d = EventDraft(stream="project:p-1", type="project.proposed",
        ...                at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        ...                actor="u-17", payload={"budget_fen": 1_250_000})
        >>> d.payload["budget_fen"]
        1250000
        >>> EventDraft(stream="s", type="t", at=datetime(2026, 3, 2), actor="u")
        Traceback (most recent call last):
        ...
        microgov.errors.AuditError: at=... is a naive datetime; ... [time.not_aware]
    """

    stream: str = attrs.field(validator=_name)
    type: str = attrs.field(validator=_name)
    at: datetime = attrs.field(validator=_aware)
    actor: str = attrs.field(validator=_name)
    payload: Payload = attrs.field(factory=dict, converter=_freeze_payload)
    verdicts: tuple[Verdict, ...] = attrs.field(default=(), converter=_verdict_tuple)
    id: str | None = attrs.field(default=None)

    @id.validator
    def _check_id(self, attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None:
            _name(self, attribute, value)


@attrs.frozen(kw_only=True)
class AuditEvent:
    """One event of an append-only, hash-chained audit log (审计事件).

    Events are made by :class:`AuditLog` (or loaded from storage); constructing one
    checks every field's type but not its hash, so a tampered event loaded from
    storage can still be built and then found by :func:`verify`.

    Attributes:
        id: Unique in the log; by default ``"{stream}:{stream_sequence}"``.
        stream: The stream, e.g. ``"project:p-1"``.
        sequence: The global position in the log, 1, 2, 3 …
        stream_sequence: The position within the stream, 1, 2, 3 …
        type: The event type, e.g. ``"project.established"``.
        at: When it was recorded (timezone-aware).
        actor: The pseudonymous id of the person who acted.
        payload: The facts, deeply read-only (mappings are read-only views, lists
            become tuples); no floats.
        verdicts: The verdicts the decision relied on, figures and citations included.
        prev_hash: The previous event's hash (the genesis hash for the first event).
        hash: The hex SHA-256 of the canonical JSON of every other field
            (see :func:`compute_hash`).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> e = log.append(stream="project:p-1", type="project.proposed", actor="u-17",
        ...                at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        ...                payload={"title": "晾衣架", "budget_fen": 1_250_000})
        >>> e.id, e.sequence, e.stream_sequence, e.prev_hash == "0" * 64
        ('project:p-1:1', 1, 1, True)
        >>> e.hash == compute_hash(e)
        True
    """

    id: str = attrs.field(validator=_name)
    stream: str = attrs.field(validator=_name)
    sequence: int = attrs.field(validator=_positive)
    stream_sequence: int = attrs.field(validator=_positive)
    type: str = attrs.field(validator=_name)
    at: datetime = attrs.field(validator=_aware)
    actor: str = attrs.field(validator=_name)
    payload: Payload = attrs.field(factory=dict, converter=_freeze_payload)
    verdicts: tuple[Verdict, ...] = attrs.field(default=(), converter=_verdict_tuple)
    prev_hash: str = attrs.field(validator=_hex64)
    hash: str = attrs.field(validator=_hex64)

    @classmethod
    def from_draft(
        cls,
        draft: EventDraft,
        *,
        sequence: int,
        stream_sequence: int,
        prev_hash: str,
        hash: str,
    ) -> AuditEvent:
        """The event a draft becomes at a position of a log: how logs and stores seal.

        The id is the draft's, else ``"{stream}:{stream_sequence}"``.  The fields the
        draft carries (stream, type, time, actor, payload, verdicts) were checked and
        deeply frozen when the draft was made, and a draft is immutable, so they are
        taken as they are instead of being frozen and checked a second time; the
        position, the id and the hashes are checked as the constructor checks them.
        The result equals (``==``) the event the constructor builds from the same
        values.  The hash is not recomputed (see :func:`compute_hash`).

        Args:
            draft: An :class:`EventDraft` (a subclass of it takes the constructor).
            sequence: The position in the log (>= 1).
            stream_sequence: The position in the stream (>= 1).
            prev_hash: The previous event's hash (64 lowercase hex digits).
            hash: This event's hash (64 lowercase hex digits).

        Returns:
            The event.

        Raises:
            AuditError: ``audit.draft_type`` if ``draft`` is not an :class:`EventDraft`;
                ``audit.field`` for a bad position or hash; ``text.required`` for a bad id.

        Complexity:
            O(1): the payload is shared with the draft, not copied.

        Example:
            >>> from datetime import datetime, timezone
            >>> draft = EventDraft(stream="s", type="t", actor="u", payload={"n": 1},
            ...                    at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> e = AuditEvent.from_draft(draft, sequence=1, stream_sequence=1,
            ...                           prev_hash="0" * 64, hash="a" * 64)
            >>> e.id, e.payload is draft.payload
            ('s:1', True)
        """
        if not isinstance(draft, EventDraft):
            raise AuditError(
                f"from_draft() takes an EventDraft, not a {type(draft).__name__}.",
                f"from_draft() 只接受 EventDraft，而不是 {type(draft).__name__}。",
                code="audit.draft_type",
            )
        event_id = draft.id if draft.id is not None else f"{draft.stream}:{stream_sequence}"
        if cls is not AuditEvent or type(draft) is not EventDraft:
            return cls(
                id=event_id,
                stream=draft.stream,
                sequence=sequence,
                stream_sequence=stream_sequence,
                type=draft.type,
                at=draft.at,
                actor=draft.actor,
                payload=draft.payload,
                verdicts=draft.verdicts,
                prev_hash=prev_hash,
                hash=hash,
            )
        f = _FIELDS
        _name(None, f.id, event_id)
        _positive(None, f.sequence, sequence)
        _positive(None, f.stream_sequence, stream_sequence)
        _hex64(None, f.prev_hash, prev_hash)
        _hex64(None, f.hash, hash)
        event = object.__new__(AuditEvent)
        put = object.__setattr__  # what attrs' own __init__ of a frozen class does
        put(event, "id", event_id)
        put(event, "stream", draft.stream)
        put(event, "sequence", sequence)
        put(event, "stream_sequence", stream_sequence)
        put(event, "type", draft.type)
        put(event, "at", draft.at)
        put(event, "actor", draft.actor)
        put(event, "payload", draft.payload)
        put(event, "verdicts", draft.verdicts)
        put(event, "prev_hash", prev_hash)
        put(event, "hash", hash)
        return event


_FIELDS = attrs.fields(AuditEvent)


def event_data(event: AuditEvent, *, with_hash: bool) -> dict[str, JsonData]:
    """The data model of an event (see :func:`canonical_json`), with or without its hash."""
    data = _content(
        event_id=event.id,
        stream=event.stream,
        sequence=event.sequence,
        stream_sequence=event.stream_sequence,
        kind=event.type,
        at=event.at,
        actor=event.actor,
        payload=event.payload,
        verdicts=event.verdicts,
        prev_hash=event.prev_hash,
    )
    if with_hash:
        data["hash"] = event.hash
    return data


def _content(
    *,
    event_id: str,
    stream: str,
    sequence: int,
    stream_sequence: int,
    kind: str,
    at: datetime,
    actor: str,
    payload: Payload,
    verdicts: tuple[Verdict, ...],
    prev_hash: str,
) -> dict[str, JsonData]:
    """The hashed part of an event's data model: every field but ``hash``."""
    return {
        "actor": actor,
        "at": {"$datetime": format_datetime(at, "at")},
        "id": event_id,
        "payload": to_data(payload, "payload"),
        "prev_hash": prev_hash,
        "sequence": sequence,
        "stream": stream,
        "stream_sequence": stream_sequence,
        "type": kind,
        "verdicts": [verdict_data(v, f"verdicts[{i}]") for i, v in enumerate(verdicts)],
    }


def _content_text(
    *,
    event_id: str,
    stream: str,
    sequence: int,
    stream_sequence: int,
    kind: str,
    at: datetime,
    actor: str,
    payload: Payload,
    verdicts: tuple[Verdict, ...],
    prev_hash: str,
    hash_member: str | None = None,
) -> str:
    """``jcs(data)`` as text for the data :func:`_content` gives (``hash_member`` added).

    RFC 8785 writes an object's members in the order of their keys, each value as its
    own canonical text, so the event's text is its members' texts in key order (the
    keys are fixed ASCII names); each member is written by :func:`canonical_str`, which
    takes the C encoder where its text is RFC 8785's.  Anything out of the ordinary
    (never an event the constructors made) takes :func:`_content` and :func:`jcs`,
    which give the same text or raise the same error.
    """
    if type(sequence) is int and type(stream_sequence) is int:
        try:
            listed = (
                "[]"
                if not verdicts
                else jcs(
                    [verdict_data(v, f"verdicts[{i}]") for i, v in enumerate(verdicts)]
                ).decode("utf-8")
            )
            member = "" if hash_member is None else f'"hash":{canonical_str(hash_member)},'
            return (
                f'{{"actor":{canonical_str(actor)},'
                f'"at":{{"$datetime":"{format_datetime(at, "at")}"}},{member}'
                f'"id":{canonical_str(event_id)},"payload":{canonical_str(payload)},'
                f'"prev_hash":{canonical_str(prev_hash)},"sequence":{sequence},'
                f'"stream":{canonical_str(stream)},"stream_sequence":{stream_sequence},'
                f'"type":{canonical_str(kind)},"verdicts":{listed}}}'
            )
        except AuditError:
            pass  # the exact path below raises it with its own path
    data = _content(
        event_id=event_id,
        stream=stream,
        sequence=sequence,
        stream_sequence=stream_sequence,
        kind=kind,
        at=at,
        actor=actor,
        payload=payload,
        verdicts=verdicts,
        prev_hash=prev_hash,
    )
    if hash_member is not None:
        data["hash"] = hash_member
    return jcs(data).decode("utf-8")


def event_text(event: AuditEvent, *, with_hash: bool) -> str:
    """``jcs(event_data(event, with_hash=with_hash))`` as text, written member by member."""
    return _content_text(
        event_id=event.id,
        stream=event.stream,
        sequence=event.sequence,
        stream_sequence=event.stream_sequence,
        kind=event.type,
        at=event.at,
        actor=event.actor,
        payload=event.payload,
        verdicts=event.verdicts,
        prev_hash=event.prev_hash,
        hash_member=event.hash if with_hash else None,
    )


def compute_hash(event: AuditEvent) -> str:
    """Recompute an event's hash from its content (whatever its ``hash`` field says).

    The hash is the lowercase hex SHA-256 of the canonical JSON (see
    :func:`canonical_json`) of the object holding every field of the event but
    ``hash``: ``actor``, ``at``, ``id``, ``payload``, ``prev_hash``, ``sequence``,
    ``stream``, ``stream_sequence``, ``type`` and ``verdicts``.  Cost: O(size of
    the event).

    Args:
        event: The event.

    Returns:
        64 lowercase hex digits.

    Example:
        >>> import attrs
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> e = AuditLog().append(stream="s", type="t", actor="u",
        ...                       at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> compute_hash(e) == e.hash
        True
        >>> compute_hash(attrs.evolve(e, actor="someone-else")) == e.hash
        False
    """
    return sha256_hex(event_text(event, with_hash=False).encode("utf-8"))


def seal(draft: EventDraft, *, sequence: int, stream_sequence: int, prev_hash: str) -> AuditEvent:
    """Turn a draft into an event at the given position, computing its hash."""
    event_id = draft.id if draft.id is not None else f"{draft.stream}:{stream_sequence}"
    text = _content_text(
        event_id=event_id,
        stream=draft.stream,
        sequence=sequence,
        stream_sequence=stream_sequence,
        kind=draft.type,
        at=draft.at,
        actor=draft.actor,
        payload=draft.payload,
        verdicts=draft.verdicts,
        prev_hash=prev_hash,
    )
    return AuditEvent.from_draft(
        draft,
        sequence=sequence,
        stream_sequence=stream_sequence,
        prev_hash=prev_hash,
        hash=sha256_hex(text.encode("utf-8")),
    )
