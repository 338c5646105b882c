"""Ground floor: one check for each common thing — an aware datetime, a non-empty text.

Every core checks its inputs' times and texts the same way, with the same reason code,
so a caller can branch on one code wherever the input came from:

* :func:`aware_datetime` — a timezone-aware :class:`~datetime.datetime`, code
  ``time.not_aware`` (``details["reason"]``: ``type`` or ``naive``);
* :func:`require_text` — a non-empty ``str``, code ``text.required``
  (``details["reason"]``: ``type``, ``empty`` or ``spaces``).

The error class stays the caller's (a bad posting time is a
:class:`~microgov.errors.FundsError`, a bad record a
:class:`~microgov.errors.DataFormatError`), so ``except`` clauses keep working; the code
is the same everywhere. :func:`check_aware` and :func:`check_text` are the same checks as
attrs validators.

Example:
    >>> from datetime import datetime
    >>> from microgov.errors import PolicyError
    >>> aware_datetime(datetime(2026, 3, 1), "start", error=PolicyError)
    Traceback (most recent call last):
    ...
    microgov.errors.PolicyError: start=2026-03-01T00:00:00 is a naive datetime; ... [time.not_aware]
    >>> require_text("  ", "name")
    Traceback (most recent call last):
    ...
    microgov.errors.DataFormatError: name must be a non-empty text, not '  '. ... [text.required]
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from microgov.errors import DataFormatError, MicrogovError

__all__ = [
    "TEXT_REQUIRED",
    "TIME_NOT_AWARE",
    "aware_datetime",
    "check_aware",
    "check_text",
    "require_text",
]

TIME_NOT_AWARE: Final = "time.not_aware"
"""The code of every refused time: not a datetime, or one without a time zone."""

TEXT_REQUIRED: Final = "text.required"
"""The code of every refused text: not a ``str``, empty or blank (or, for an id, padded)."""


def _prefixes(where: str) -> tuple[str, str]:
    return (f"{where}: ", f"{where}：") if where else ("", "")


def aware_datetime(
    value: object,
    field: str,
    *,
    error: type[MicrogovError] = DataFormatError,
    where: str = "",
    **details: object,
) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime; else raise ``error``.

    Args:
        value: What was given.
        field: Its name, for the message and ``details["field"]``.
        error: The error class to raise (the caller's area).
        where: What it belongs to, put before the message (e.g. ``"Topic 't-1'"``).
        **details: More details for the error (ids, never personal data).

    Returns:
        ``value``, unchanged.

    Raises:
        MicrogovError: ``error`` with code ``time.not_aware``; ``details["reason"]`` is
            ``type`` (not a datetime) or ``naive`` (no time zone).

    Example:
        >>> from datetime import datetime, timezone
        >>> aware_datetime(datetime(2026, 3, 1, tzinfo=timezone.utc), "at").year
        2026
        >>> try:
        ...     aware_datetime("2026-03-01", "at", where="Topic 't-1'")
        ... except DataFormatError as err:
        ...     print(err.code, err.details["reason"], err.message_en)
        time.not_aware type Topic 't-1': at must be a timezone-aware datetime, not str '2026-03-01'.
    """
    en, zh = _prefixes(where)
    if not isinstance(value, datetime):
        kind = type(value).__name__
        raise error(
            f"{en}{field} must be a timezone-aware datetime, not {kind} {value!r:.40}.",
            f"{zh}{field} 须为带时区的日期时间，而不是 {kind} {value!r:.40}。",
            code=TIME_NOT_AWARE,
            field=field,
            reason="type",
            **details,
        )
    if value.utcoffset() is None:
        raise error(
            f"{en}{field}={value.isoformat()} is a naive datetime; give it a time zone, "
            "e.g. tzinfo=ZoneInfo('Asia/Shanghai').",
            f"{zh}{field}={value.isoformat()} 没有时区；请指定时区，例如 "
            "tzinfo=ZoneInfo('Asia/Shanghai')。",
            code=TIME_NOT_AWARE,
            field=field,
            reason="naive",
            **details,
        )
    return value


def require_text(
    value: object,
    field: str,
    *,
    error: type[MicrogovError] = DataFormatError,
    padded: bool = True,
    where: str = "",
    **details: object,
) -> str:
    """Return ``value`` if it is a non-empty, non-blank ``str``; else raise ``error``.

    Args:
        value: What was given.
        field: Its name, for the message and ``details["field"]``.
        error: The error class to raise (the caller's area).
        padded: Whether surrounding whitespace is allowed (False for ids and keys).
        where: What it belongs to, put before the message.
        **details: More details for the error.

    Returns:
        ``value``, unchanged.

    Raises:
        MicrogovError: ``error`` with code ``text.required``; ``details["reason"]`` is
            ``type`` (not a ``str``), ``empty`` (empty or blank) or ``spaces``
            (surrounding whitespace where ``padded`` is False).

    Example:
        >>> require_text("grid-7", "id", padded=False)
        'grid-7'
        >>> try:
        ...     require_text(" grid-7", "id", padded=False)
        ... except DataFormatError as err:
        ...     print(err.code, err.details["reason"])
        text.required spaces
    """
    en, zh = _prefixes(where)
    if type(value) is not str:
        kind = type(value).__name__
        reason, what_en, what_zh = "type", f"{kind} {value!r:.40}", f"{kind} {value!r:.40}"
    elif not value.strip():
        reason, what_en, what_zh = "empty", repr(value), repr(value)
    elif not padded and value != value.strip():
        reason = "spaces"
        what_en = f"{value!r:.40} (surrounding spaces)"
        what_zh = f"{value!r:.40}（首尾有空白）"
    else:
        return value
    raise error(
        f"{en}{field} must be a non-empty text, not {what_en}.",
        f"{zh}{field} 须为非空文本，而不是 {what_zh}。",
        code=TEXT_REQUIRED,
        field=field,
        reason=reason,
        **details,
    )


def check_aware(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    """:func:`aware_datetime` as an attrs validator (raises :class:`DataFormatError`).

    Example:
        >>> from datetime import datetime
        >>> @attrs.frozen
        ... class Visit:
        ...     at: datetime = attrs.field(validator=check_aware)
        >>> Visit(datetime(2026, 3, 1)).at
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: at=2026-03-01T00:00:00 is a naive datetime; ...
    """
    aware_datetime(value, attribute.name)


def check_text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    """:func:`require_text` as an attrs validator (raises :class:`DataFormatError`).

    Example:
        >>> @attrs.frozen
        ... class Note:
        ...     text: str = attrs.field(validator=check_text)
        >>> Note("").text
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: text must be a non-empty text, not ''. ...
    """
    require_text(value, attribute.name)
