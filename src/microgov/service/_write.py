"""One command's events over several streams, in one atomic append.

Uses :meth:`EventStore.append_many <microgov.store.EventStore.append_many>` when the
store has it; otherwise a private fallback that appends the streams one after the
other under the store's one write lock (one transaction on the SQL stores), after
checking every stream's expected version first.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

import microgov.store as _store
from microgov.audit import EventDraft
from microgov.store import AppendResult, ConcurrencyError, EventStore

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
    """Append every stream's events in one transaction: all of them or none."""
    native = getattr(store, "append_many", None)
    kind = getattr(_store, "StreamAppend", None)
    if native is not None and kind is not None:
        converted = [kind(a.stream, a.events, a.expected_version) for a in appends]
        return tuple(native(converted, idempotency_key=key))
    return _fallback(store, appends, key)


def _fallback(
    store: EventStore, appends: Sequence[Append], key: str
) -> tuple[AppendResult, ...]:  # pragma: no cover - replaced by the store's append_many
    from microgov.store._core import prepare

    prepared = [
        prepare(a.stream, a.events, a.expected_version, key if i == 0 else None)
        for i, a in enumerate(appends)
    ]
    with store._locked():
        first = store._lookup(key)
        if first is not None:
            return (attrs.evolve(first[1], retried=True),)
        for a in appends:
            actual = store.version(a.stream)
            if actual != a.expected_version:
                raise ConcurrencyError.stale(a.stream, expected=a.expected_version, actual=actual)
        return tuple(store._append_locked(p) for p in prepared)
