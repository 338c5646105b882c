"""Sealing: numbering, chaining and hashing a prepared append after the store's head.

Runs with the store's write lock held.  The event's canonical JSON is assembled from
the pieces :mod:`microgov.store._append` encoded once (the same bytes
:func:`microgov.audit.encode_event` gives for the sealed event; a test keeps it so).
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from microgov.audit import AuditEvent, EventDraft, canonical_text
from microgov.errors import AuditError
from microgov.store._append import PreparedStream

__all__ = ["Row", "event_of", "seal_rows"]


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
    stream_json = canonical_text(stream)
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
        if e.id is None:  # "<stream>:<n>": the stream's JSON text, then ":n" (nothing to escape)
            event_id = f"{stream}:{n}"
            id_json = f'{stream_json[:-1]}:{n}"'
        else:
            event_id = e.id
            id_json = canonical_text(event_id)
        head = f'{{"actor":{e.actor},"at":{{"$datetime":"{e.at}"}},'
        tail = (
            f'"id":{id_json},"payload":{e.payload},"prev_hash":"{prev}",'
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
    """The :class:`AuditEvent` a sealed row holds (for the in-memory store).

    The draft was checked and frozen when it was made; the event shares its fields.
    """
    return AuditEvent.from_draft(
        row.draft,
        sequence=row.sequence,
        stream_sequence=row.stream_sequence,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
