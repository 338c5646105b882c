"""What the stores give back: an append's result, the head, a verification report."""

from __future__ import annotations

import attrs

__all__ = ["AppendResult", "StoreFinding", "StoreHead", "StoreReport"]


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
