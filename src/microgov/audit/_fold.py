"""State as a fold over events: replayable and deterministic."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

from microgov.audit._event import AuditEvent
from microgov.errors import AuditError

__all__ = ["accumulate", "by_type", "fold"]

S = TypeVar("S")


def fold(events: Iterable[AuditEvent], initial: S, reducer: Callable[[S, AuditEvent], S]) -> S:
    """The state after applying every event in order: ``reducer(…reducer(initial, e1)…, en)``.

    With a pure reducer (no clock, no globals; it returns a new state rather than
    mutating the old one), the same events always give the same state: the log is
    the source of truth and any state can be rebuilt from it.

    Args:
        events: The events, in order (a log, a stream, a loaded list).
        initial: The state before the first event.
        reducer: ``(state, event) -> new state``.

    Returns:
        The final state (``initial`` for no events).

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> for fen in (500, 1200, 300):
        ...     _ = log.append(stream="fund:area-01", type="fund.spent", actor="u-3",
        ...                    at=datetime(2026, 4, 1, tzinfo=timezone.utc),
        ...                    payload={"fen": fen})
        >>> def spend(total: int, event: AuditEvent) -> int:
        ...     fen = event.payload["fen"]
        ...     return total + fen if isinstance(fen, int) else total
        >>> fold(log.stream("fund:area-01"), 0, spend)
        2000
    """
    state = initial
    for event in events:
        state = reducer(state, event)
    return state


def accumulate(
    events: Iterable[AuditEvent], initial: S, reducer: Callable[[S, AuditEvent], S]
) -> Iterator[S]:
    """Every intermediate state of :func:`fold`, one after each event (lazily).

    :func:`fold` is to :func:`accumulate` what :func:`functools.reduce` is to
    :func:`itertools.accumulate`.  Called ``replay`` until this release: renamed because
    :func:`microgov.lifecycle.replay` folds an item's events into its state (one state,
    not every step).

    Args:
        events: The events, in order.
        initial: The state before the first event (not yielded).
        reducer: ``(state, event) -> new state``.

    Returns:
        An iterator of the states after event 1, 2, …; its last item is the fold.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> for kind in ("proposed", "established", "completed"):
        ...     _ = log.append(stream="project:p-1", type=f"project.{kind}", actor="u-1",
        ...                    at=datetime(2026, 4, 1, tzinfo=timezone.utc))
        >>> list(accumulate(log, "none", lambda state, e: e.type.removeprefix("project.")))
        ['proposed', 'established', 'completed']
    """
    state = initial
    for event in events:
        state = reducer(state, event)
        yield state


def by_type(
    handlers: Mapping[str, Callable[[S, AuditEvent], S]], *, strict: bool = False
) -> Callable[[S, AuditEvent], S]:
    """A reducer that dispatches on ``event.type`` to one handler per type.

    Args:
        handlers: ``{event type: (state, event) -> new state}``.
        strict: If True, an event of a type without a handler raises; otherwise it
            leaves the state unchanged.

    Returns:
        The reducer, for :func:`fold` and :func:`accumulate`.

    Raises:
        AuditError: ``audit.unknown_type`` (from the reducer, when ``strict``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> at = datetime(2026, 4, 1, tzinfo=timezone.utc)
        >>> _ = log.append(stream="topic:t-1", type="topic.raised", actor="u-1", at=at)
        >>> _ = log.append(stream="topic:t-1", type="topic.viewed", actor="u-2", at=at)
        >>> _ = log.append(stream="topic:t-1", type="topic.answered", actor="u-3", at=at)
        >>> reducer = by_type({"topic.raised": lambda s, e: "open",
        ...                    "topic.answered": lambda s, e: "answered"})
        >>> fold(log, "none", reducer)
        'answered'
    """
    table = dict(handlers)

    def reducer(state: S, event: AuditEvent) -> S:
        handler = table.get(event.type)
        if handler is not None:
            return handler(state, event)
        if strict:
            raise AuditError(
                f"No handler for event type {event.type!r} (event {event.id!r}).",
                f"没有处理事件类型 {event.type!r} 的函数（事件 {event.id!r}）。",
                code="audit.unknown_type",
                event_id=event.id,
                type=event.type,
            )
        return state

    return reducer
