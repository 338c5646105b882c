"""Reading stored rows back into events, through :func:`microgov.audit.decode_event`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import attrs

from microgov.audit import AuditEvent, decode_event
from microgov.errors import DataFormatError, StoreError

__all__ = ["Stored", "parse_bodies"]


@attrs.frozen
class Stored:
    """One stored row, as :meth:`EventStore.verify` reads it."""

    sequence: int
    stream: str
    stream_sequence: int
    event_id: str
    hash: str
    body: str


def parse_bodies(bodies: Sequence[str], zone: tzinfo, first: int) -> tuple[AuditEvent, ...]:
    """Read stored rows back into events, exactly as the audit log's own reader does.

    Args:
        bodies: The rows' stored JSON, in order.
        zone: The zone datetimes are given in.
        first: The position of the first row (for the error message).

    Raises:
        StoreError: ``store.corrupt`` naming the first row that cannot be read.
    """
    out: list[AuditEvent] = []
    for offset, body in enumerate(bodies):
        try:
            out.append(decode_event(body, zone=zone, source="store"))
        except DataFormatError as err:
            at = first + offset
            raise StoreError(
                f"The stored event at position {at} cannot be read: {err.message_en} "
                "Run verify() to find every such row.",
                f"位置 {at} 的存储事件无法读取；请运行 verify() 查找所有此类行。",
                code="store.corrupt",
                sequence=at,
            ) from err
    return tuple(out)
