"""The errors of :mod:`microgov.store`."""

from __future__ import annotations

from microgov.errors import MicrogovError

__all__ = ["ConcurrencyError", "StoreError"]


class StoreError(MicrogovError):
    """An event store that cannot do what was asked (存储错误).

    Codes: ``store.empty_append``, ``store.stream_mismatch``, ``store.draft_type``,
    ``store.bad_argument``, ``store.idempotency_conflict`` (a key reused for other
    events), ``store.genesis_mismatch`` (a store opened with another chain id),
    ``store.corrupt`` (a stored row that cannot be read: run ``verify()``),
    ``store.not_found``, ``store.bad_record`` (a stored event a repository cannot
    decode), ``store.unavailable`` (psycopg missing, a database error).

    Example:
        >>> from microgov.errors import MicrogovError
        >>> issubclass(StoreError, MicrogovError)
        True
    """

    default_code = "store.error"


class ConcurrencyError(StoreError):
    """An append whose expected stream version is stale: someone else appended first.

    Optimistic concurrency (乐观并发控制): a command reads a stream at version *n*,
    decides, and appends with ``expected_version=n``; if another instance appended in
    between, the append is refused and nothing is written.  Reload and decide again.

    Attributes:
        details: ``stream``, ``expected`` and ``actual`` versions.

    Example:
        >>> err = ConcurrencyError.stale("fund:a1", expected=3, actual=4)
        >>> err.code, err.details["actual"]
        ('store.concurrency', 4)
        >>> print(err.message_zh)
        流 'fund:a1' 的版本已是 4，而不是预期的 3：已有其他实例写入，请重新读取后再试。
    """

    default_code = "store.concurrency"

    @classmethod
    def stale(cls, stream: str, *, expected: int, actual: int) -> ConcurrencyError:
        """The error for an append expecting ``expected`` when the stream is at ``actual``.

        Args:
            stream: The stream appended to.
            expected: The version the caller expected.
            actual: The version the stream is at.

        Returns:
            The error.

        Example:
            >>> ConcurrencyError.stale("s", expected=0, actual=1).message_en
            "Stream 's' is at version 1, not the expected 0: another instance appended first; reload and try again."
        """  # noqa: E501
        return cls(
            f"Stream {stream!r} is at version {actual}, not the expected {expected}: "
            "another instance appended first; reload and try again.",
            f"流 {stream!r} 的版本已是 {actual}，而不是预期的 {expected}：已有其他实例写入，"
            "请重新读取后再试。",
            stream=stream,
            expected=expected,
            actual=actual,
        )
