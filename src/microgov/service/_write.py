"""One command's events over several streams, in one atomic append."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from microgov.audit import EventDraft
from microgov.store import AppendResult, EventStore, StreamAppend

__all__ = ["Append", "append_many"]


@attrs.frozen
class Append:
    """The events of one stream in a command's write, with the version decided on."""

    stream: str
    events: tuple[EventDraft, ...]
    expected_version: int


def append_many(
    store: EventStore, appends: Sequence[Append], *, key: str
) -> tuple[AppendResult, ...]:
    """Append every stream's events in one transaction: all of them or none
    (:meth:`EventStore.append_many <microgov.store.EventStore.append_many>`)."""
    return store.append_many(
        [
            StreamAppend(stream=a.stream, events=a.events, expected_version=a.expected_version)
            for a in appends
        ],
        idempotency_key=key,
    )
