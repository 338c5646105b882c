"""The public codec of one event: its canonical bytes, and reading them back exactly.

Other packages (the event stores) store events one by one; they use these functions,
never the private encoder.  The format is the one :func:`canonical_json` specifies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Final

from microgov._serde import parse_json
from microgov._time import SHANGHAI
from microgov.audit._canonical import (
    canonical_str,
    decode_datetime,
    format_datetime,
    from_data,
)
from microgov.audit._event import AuditEvent, event_text
from microgov.audit._json import structure_event
from microgov.errors import AuditError, DataFormatError, MicrogovError, Problem

__all__ = ["canonical_datetime", "canonical_text", "decode_event", "encode_event"]


def canonical_datetime(value: datetime) -> str:
    """The canonical text of an aware datetime: the instant in UTC, microseconds, ``+00:00``.

    The text stored inside ``{"$datetime": ...}`` and compared to order events.

    Args:
        value: An aware datetime.

    Returns:
        ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``.

    Raises:
        AuditError: ``time.not_aware``, ``audit.datetime_range``.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> canonical_datetime(datetime(2026, 5, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
        '2026-05-01T01:30:00.000000+00:00'
    """
    return format_datetime(value, "at")


def canonical_text(value: object) -> str:
    """:func:`canonical_json` as text: ``canonical_json(value).decode("utf-8")``, faster.

    A mapping of strings, integers, booleans and None, and of lists and mappings of
    them (most payloads), is written by the C JSON encoder directly; everything else,
    and any text the encoder would not write as RFC 8785, goes through the exact
    writer.  The same checks apply.

    Args:
        value: What :func:`canonical_json` takes.

    Returns:
        The canonical JSON text.

    Raises:
        AuditError: As :func:`canonical_json`.

    Example:
        >>> canonical_text({"fen": 500, "memo": "晾衣架"})
        '{"fen":500,"memo":"晾衣架"}'
        >>> from microgov.audit import canonical_json
        >>> canonical_text({"n": [1, None]}) == canonical_json({"n": [1, None]}).decode()
        True
    """
    return canonical_str(value)


def encode_event(event: AuditEvent) -> bytes:
    """The canonical JSON bytes of one event, ``hash`` included: how an event is stored.

    The same bytes :func:`dumps_events` writes on each line; :func:`decode_event`
    reads them back into an equal event.

    Args:
        event: The event.

    Returns:
        UTF-8 bytes.

    Raises:
        AuditError: ``audit.event_type`` for anything but an :class:`AuditEvent`.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> e = AuditLog().append(stream="s", type="t", actor="u", payload={"n": 1},
        ...                       at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> encode_event(e)[:60]
        b'{"actor":"u","at":{"$datetime":"2026-01-01T00:00:00.000000+0'
        >>> decode_event(encode_event(e)) == e
        True
    """
    if not isinstance(event, AuditEvent):
        raise AuditError(
            f"encode_event() takes an AuditEvent, not {type(event).__name__}.",
            "encode_event() 只接受 AuditEvent。",
            code="audit.event_type",
        )
    return event_text(event, with_hash=True).encode("utf-8")


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


def _direct(text: str | bytes, zone: tzinfo) -> AuditEvent | None:
    """Decode an event without verdicts directly, or None to take the strict path.

    What is accepted is exactly what the strict reader accepts for such events: the
    same keys, a canonical datetime, a payload decoded by the audit decoder, and every
    field checked again by :class:`AuditEvent`'s validators.
    """
    try:
        raw = json.loads(text)
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


def decode_event(
    data: str | bytes, *, zone: tzinfo = SHANGHAI, source: str = "<event>"
) -> AuditEvent:
    """Read one event written by :func:`encode_event`, exactly as it was stored.

    Decoding does not verify the hash chain: :func:`verify` does.  An event without
    verdicts takes a direct path (about three times faster); any other, and any the
    direct path declines, is read by the strict reader of :func:`loads_events`, which
    names every bad field.

    Args:
        data: One event's JSON (str, or UTF-8 bytes).
        zone: The zone datetimes are given in (the instant is the stored one).
        source: A name for the input, used in error messages.

    Returns:
        The event, equal (``==``) to the one encoded.

    Raises:
        DataFormatError: ``data.json`` (not JSON), ``data.shape`` (not an object),
            ``data.records`` (``problems`` lists every bad field by its path).

    Example:
        >>> decode_event('{"id": 7}')
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: <event>: ... bad field(s):...
    """
    event = _direct(data, zone)
    if event is not None:
        return event
    raw = parse_json(data, source)
    if not isinstance(raw, dict):
        raise DataFormatError(
            f"{source}: an event must be a JSON object, not {type(raw).__name__}.",
            f"{source}：事件必须是 JSON 对象。",
            code="data.shape",
            source=source,
        )
    return structure_event(raw, zone=zone, source=source)
