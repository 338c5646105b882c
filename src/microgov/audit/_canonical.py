"""Canonical JSON: the exact bytes an audit event's hash is computed over.

The format is specified in :func:`canonical_json`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from fractions import Fraction
from math import gcd
from types import MappingProxyType
from typing import Final, TypeAlias

from microgov._checks import aware_datetime
from microgov._verdict import Citation, Verdict
from microgov.errors import AuditError, Problem

__all__ = [
    "GENESIS_HASH",
    "MAX_SAFE_INTEGER",
    "JsonData",
    "PayloadValue",
    "canonical_json",
    "genesis_hash",
]

PayloadValue: TypeAlias = (
    bool
    | int
    | str
    | Fraction
    | date
    | datetime
    | Sequence["PayloadValue"]
    | Mapping[str, "PayloadValue"]
    | None
)
"""A value an event's payload may hold: JSON-like, exact, never a float."""

JsonData: TypeAlias = bool | int | str | list["JsonData"] | dict[str, "JsonData"] | None
"""The JSON data model values are encoded into before canonicalisation."""

MAX_SAFE_INTEGER: Final = 2**53 - 1
"""The largest integer magnitude allowed (RFC 7493 I-JSON; exact in every JSON reader)."""

GENESIS_HASH: Final = "0" * 64
"""The ``prev_hash`` of the first event of an unnamed chain."""

_HEX64: Final = re.compile(r"[0-9a-f]{64}")
_TAGS: Final = frozenset({"$fraction", "$date", "$datetime"})
_DATETIME_TEXT: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})\+00:00", re.ASCII
)
_DATE_TEXT: Final = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_FRACTION_TEXT: Final = re.compile(r"(-?(?:0|[1-9][0-9]*))/([1-9][0-9]*)", re.ASCII)
_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)
_HIGH: Final = re.compile("[\ue000-\U0010ffff]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_encode_str = json.encoder.encode_basestring  # JCS string escaping (ensure_ascii off)


def _refuse(code: str, en: str, zh: str, path: str) -> AuditError:
    return AuditError(f"{path}: {en}", f"{path}：{zh}", code=code, path=path)


def format_datetime(value: datetime, path: str = "$") -> str:
    """The canonical text of an aware datetime (UTC, microseconds, ``+00:00``)."""
    aware_datetime(value, path, error=AuditError, path=path)
    try:
        u = value.astimezone(UTC)
    except OverflowError:
        raise _refuse(
            "audit.datetime_range",
            "datetime out of range in UTC.",
            "日期时间换算为 UTC 后超出范围。",
            path,
        ) from None
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:"
        f"{u.second:02d}.{u.microsecond:06d}+00:00"
    )


def check_text(value: str, path: str) -> None:
    """Refuse a string that is not valid Unicode (a lone surrogate cannot be UTF-8)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(
            "audit.text", "string is not valid Unicode.", "字符串不是有效的 Unicode。", path
        ) from None


def check_int(value: int, path: str) -> None:
    """Refuse an integer beyond the I-JSON safe range."""
    if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return
    raise _refuse(
        "audit.integer_range",
        "integer beyond ±(2**53 - 1) refused (not exact in every JSON reader); "
        "store it as a string or a Fraction.",
        "整数超出 ±(2**53 - 1)，已拒绝（部分 JSON 读取器无法精确表示）；请存为字符串或分数。",
        path,
    )


def check_key(key: object, path: str) -> str:
    """A mapping key: a string, not starting with ``$``."""
    if not isinstance(key, str):
        raise _refuse(
            "audit.payload_key",
            f"mapping key {key!r:.40} is not a string.",
            f"键 {key!r:.40} 不是字符串。",
            path,
        )
    if key.startswith("$"):
        raise _refuse(
            "audit.payload_key",
            f"key {key!r:.40} starts with '$', which is reserved for type tags.",
            f"键 {key!r:.40} 以 '$' 开头；'$' 保留给类型标记。",
            path,
        )
    check_text(key, path)
    return key


def refuse_float(value: float, path: str) -> AuditError:
    """The error for a float where an exact value is required."""
    return _refuse(
        "audit.float",
        f"float {value!r} refused: use int (money in integer fen) or Fraction.",
        f"不接受浮点数 {value!r}：请用整数（金额以分为单位）或分数。",
        path,
    )


def refuse_type(value: object, path: str) -> AuditError:
    """The error for a value of a type the audit log cannot hold."""
    return _refuse(
        "audit.payload_type",
        f"a {type(value).__name__} cannot be recorded; use None, bool, int, str, "
        "Fraction, date, datetime, lists and mappings.",
        f"无法记录 {type(value).__name__} 类型的值；可用 None、布尔、整数、字符串、分数、"
        "日期、日期时间、列表和映射。",
        path,
    )


def to_data(value: object, path: str = "$") -> JsonData:
    """Encode a value into the JSON data model (see the module docstring).

    Raises:
        AuditError: ``audit.float``, ``time.not_aware``, ``audit.payload_key``,
            ``audit.payload_type``, ``audit.integer_range`` or ``audit.text``, with the
            path of the offending value in ``details["path"]``.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        check_text(value, path)
        return value if type(value) is str else str.__str__(value)
    if isinstance(value, int):
        check_int(value, path)
        return value if type(value) is int else int(value)
    if isinstance(value, float):
        raise refuse_float(value, path)
    if isinstance(value, Fraction):
        return {"$fraction": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, datetime):
        return {"$datetime": format_datetime(value, path)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        return {
            check_key(k, path): to_data(v, f"{path}.{k}" if isinstance(k, str) else path)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [to_data(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Verdict):
        return verdict_data(value, path)
    if isinstance(value, Citation):
        return citation_data(value, path)
    from microgov.audit._event import AuditEvent, event_data

    if isinstance(value, AuditEvent):
        return event_data(value, with_hash=True)
    raise refuse_type(value, path)


def verdict_data(verdict: Verdict, path: str = "$") -> dict[str, JsonData]:
    """The data model of a verdict: every field, figures and citation included."""
    return {
        "citation": None
        if verdict.citation is None
        else citation_data(verdict.citation, f"{path}.citation"),
        "code": to_data(verdict.code, f"{path}.code"),
        "figures": to_data(verdict.figures, f"{path}.figures"),
        "message_en": to_data(verdict.message_en, f"{path}.message_en"),
        "message_zh": to_data(verdict.message_zh, f"{path}.message_zh"),
        "passed": to_data(verdict.passed, f"{path}.passed"),
        "rule": to_data(verdict.rule, f"{path}.rule"),
    }


def citation_data(citation: Citation, path: str = "$") -> dict[str, JsonData]:
    """The data model of a citation: every field, absent ones as ``null``."""
    return {
        "article": to_data(citation.article, f"{path}.article"),
        "in_force_from": to_data(citation.in_force_from, f"{path}.in_force_from"),
        "in_force_to": to_data(citation.in_force_to, f"{path}.in_force_to"),
        "note": to_data(citation.note, f"{path}.note"),
        "source": to_data(citation.source, f"{path}.source"),
        "verified": to_data(citation.verified, f"{path}.verified"),
    }


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _write(data: JsonData, out: list[str]) -> None:
    if isinstance(data, str):
        out.append(_encode_str(data))
    elif data is None:
        out.append("null")
    elif data is True:
        out.append("true")
    elif data is False:
        out.append("false")
    elif isinstance(data, int):
        out.append(str(data))
    elif isinstance(data, list):
        out.append("[")
        for i, item in enumerate(data):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        keys = sorted(data) if all(k.isascii() for k in data) else sorted(data, key=_utf16)
        out.append("{")
        for i, key in enumerate(keys):
            if i:
                out.append(",")
            out.append(_encode_str(key))
            out.append(":")
            _write(data[key], out)
        out.append("}")


def _high_key(data: JsonData) -> bool:
    """Whether any object key holds a character at or above U+E000 (UTF-16 order differs)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not key.isascii() and _HIGH.search(key) is not None:
                return True
            if isinstance(value, (dict, list)) and _high_key(value):
                return True
    elif isinstance(data, list):
        return any(isinstance(v, (dict, list)) and _high_key(v) for v in data)
    return False


def jcs(data: JsonData) -> bytes:
    """RFC 8785 bytes of JSON data already in the data model."""
    # Fast path: the C encoder sorts keys by code point, which is the UTF-16 order
    # RFC 8785 asks for unless a key holds a character at or above U+E000.  If the text
    # holds any such character (often a value: full-width punctuation, emoji), the keys
    # are searched, and the exact (slower) writer is used only if a key holds one.
    text = _ENCODER.encode(data)
    if _HIGH.search(text) is None or not _high_key(data):
        return text.encode("utf-8")
    out: list[str] = []
    _write(data, out)
    return "".join(out).encode("utf-8")


def canonical_str(value: object) -> str:
    """``canonical_json(value).decode("utf-8")``, faster (see :func:`canonical_text`).

    A string, or a mapping of plain values (see :func:`_plain`), is written by the C
    JSON encoder directly when its text is RFC 8785's; anything else by the exact
    writer, which also raises the errors.
    """
    if type(value) is str and _SURROGATE.search(value) is None:
        return _encode_str(value)
    if isinstance(value, (MappingProxyType, dict, Mapping)):  # concrete types first: fast
        data = _plain(value if type(value) in (dict, MappingProxyType) else dict(value))
        if data is not _NOT_PLAIN:
            text = _ENCODER.encode(data)
            if text.isascii() or _SURROGATE.search(text) is None:
                return text
    return jcs(to_data(value)).decode("utf-8")


_NOT_PLAIN: Final = object()


def _plain(value: object) -> object:
    """``to_data(value)`` when the C encoder writes it as RFC 8785, else ``_NOT_PLAIN``.

    Plain values: ``str``, ``int`` within the safe range, ``bool``, None, and dicts
    (or read-only views of them: frozen payloads), lists and tuples of plain values,
    with ``str`` keys that do not start with ``$`` and hold no character at or above
    U+E000 (the C encoder's key order is then RFC 8785's).  Anything else (a subclass
    too) takes the exact writer, which also raises the errors.
    """
    if type(value) is str or type(value) is bool or value is None:
        return value
    if type(value) is int:
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else _NOT_PLAIN
    if type(value) is dict or type(value) is MappingProxyType:
        out: dict[str, object] = {}
        for key, item in value.items():
            if type(key) is not str or key.startswith("$"):
                return _NOT_PLAIN
            if not key.isascii() and _HIGH.search(key) is not None:
                return _NOT_PLAIN
            if type(item) is str or type(item) is bool or item is None:  # the commonest
                out[key] = item
                continue
            data = _plain(item)
            if data is _NOT_PLAIN:
                return _NOT_PLAIN
            out[key] = data
        return out
    if type(value) is tuple or type(value) is list:
        items: list[object] = []
        for item in value:
            if type(item) is str or type(item) is bool or item is None:
                items.append(item)
                continue
            data = _plain(item)
            if data is _NOT_PLAIN:
                return _NOT_PLAIN
            items.append(data)
        return items
    return _NOT_PLAIN


def canonical_json(value: object) -> bytes:
    """The canonical JSON bytes of a value: the same value gives the same bytes, always.

    The format is stated here exactly, so that a third party can re-implement it and
    verify a log without microgov.

    1. **Values become JSON data** (the *data model*):

       * ``None``, ``True``, ``False`` → ``null``, ``true``, ``false``;
       * ``int`` → a JSON integer, only within ``±(2**53 - 1)`` (I-JSON safe
         integers; money is integer fen, which fits);
       * ``str`` → a JSON string (valid Unicode: no lone surrogates);
       * ``Fraction`` → ``{"$fraction": "n/d"}`` in lowest terms, ``d >= 1``, the sign
         on ``n`` (``Fraction(2)`` is ``"2/1"``);
       * aware ``datetime`` → ``{"$datetime": "YYYY-MM-DDTHH:MM:SS.ffffff+00:00"}``: the
         instant in UTC, always six fraction digits, always the offset ``+00:00``;
       * ``date`` → ``{"$date": "YYYY-MM-DD"}``;
       * a mapping with ``str`` keys → a JSON object; keys may not start with ``$``
         (reserved for the tags above);
       * a list or tuple → a JSON array;
       * a ``Verdict`` → an object with all its fields: ``citation``, ``code``,
         ``figures``, ``message_en``, ``message_zh``, ``passed``, ``rule``;
       * a ``Citation`` → ``article``, ``in_force_from``, ``in_force_to``, ``note``,
         ``source``, ``verified`` (absent values are ``null``);
       * an ``AuditEvent`` → ``actor``, ``at``, ``hash``, ``id``, ``payload``,
         ``prev_hash``, ``sequence``, ``stream``, ``stream_sequence``, ``type``,
         ``verdicts``.

       Floats are refused (``audit.float``): they are inexact, and money is integer
       fen.  Naive datetimes are refused (``time.not_aware``).

    2. **JSON data becomes bytes** by the JSON Canonicalization Scheme, RFC 8785 (JCS),
       which for this data model (no floats) means: no whitespace at all; object members
       sorted by their keys compared as sequences of UTF-16 code units; strings written
       with only ``\\"``, ``\\\\``, ``\\b``, ``\\f``, ``\\n``, ``\\r``, ``\\t`` and
       ``\\u00xx`` (lowercase hex, other controls below U+0020) escaped and everything
       else written as itself; integers in plain decimal; the result encoded as UTF-8.
       Any RFC 8785 library therefore reproduces the bytes from the data model.

    An event's hash is the lowercase hex SHA-256 of the canonical JSON of its data model
    *without* the ``hash`` member.  The first event's ``prev_hash`` is the genesis hash:
    64 zeros, or, for a named chain, the SHA-256 of the canonical JSON of
    ``{"chain": <chain id>}`` (see :func:`genesis_hash`).

    The encoding is reversible: tags keep a ``Fraction`` apart from a string, a ``date``
    from a ``datetime``; datetimes come back as the same instant (equal under ``==``),
    converted to the zone the reader asks for.

    Args:
        value: None, bool, int, str, Fraction, date, aware datetime, lists, tuples and
            mappings with string keys of these; a ``Verdict``, a ``Citation`` or an
            ``AuditEvent``.

    Returns:
        UTF-8 bytes, no whitespace, keys sorted.

    Raises:
        AuditError: ``audit.float`` for a float, ``time.not_aware`` for a naive
            datetime, ``audit.payload_key`` for a non-string or ``$``-key,
            ``audit.payload_type`` for any other type, ``audit.integer_range`` for an
            integer beyond ±(2**53 - 1), ``audit.text`` for invalid Unicode.

    Example:
        >>> from fractions import Fraction
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2026, 5, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> print(canonical_json({"b": Fraction(2, 4), "a": ["居民", at, None]}).decode())
        {"a":["居民",{"$datetime":"2026-05-01T01:30:00.000000+00:00"},null],"b":{"$fraction":"1/2"}}
        >>> canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})
        True
        >>> canonical_json({"fee": 1.5})
        Traceback (most recent call last):
        ...
        microgov.errors.AuditError: $.fee: float 1.5 refused: ... [audit.float]
    """
    return jcs(to_data(value))


def sha256_hex(data: bytes) -> str:
    """Lowercase hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def genesis_hash(chain_id: str | None = None) -> str:
    """The ``prev_hash`` of a chain's first event.

    Naming a chain (e.g. ``"luodian/meilan-xihu"``) makes its events unusable in any
    other chain: a log cannot be spliced onto another deployment's.

    Args:
        chain_id: The chain's name, or None for :data:`GENESIS_HASH` (64 zeros).

    Returns:
        64 zeros, or the hex SHA-256 of ``canonical_json({"chain": chain_id})``.

    Example:
        >>> genesis_hash() == "0" * 64
        True
        >>> genesis_hash("luodian") == genesis_hash("luodian") != genesis_hash("baoshan")
        True
    """
    if chain_id is None:
        return GENESIS_HASH
    if not isinstance(chain_id, str) or not chain_id:
        raise AuditError(
            "A chain id must be a non-empty string.",
            "链标识必须是非空字符串。",
            code="audit.chain_id",
        )
    return sha256_hex(canonical_json({"chain": chain_id}))


def is_hex64(value: object) -> bool:
    """Whether ``value`` is 64 lowercase hex digits."""
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


# ----------------------------------------------------------------------------- decoding


def from_data(raw: object, path: str, problems: list[Problem], zone: tzinfo) -> PayloadValue:
    """Decode JSON data (as ``json.loads`` gives it) back into a payload value.

    Every problem is appended to ``problems`` (with its path) instead of raised, so that
    a loader can report all of them; the returned value is then meaningless.
    """
    if raw is None or isinstance(raw, (bool, str)):
        return raw
    if isinstance(raw, int):
        if abs(raw) > MAX_SAFE_INTEGER:
            problems.append(_field_problem("integer beyond ±(2**53 - 1)", path))
        return raw
    if isinstance(raw, float):
        problems.append(_field_problem(f"float {raw!r} refused (exact values only)", path))
        return None
    if isinstance(raw, list):
        return tuple(from_data(v, f"{path}[{i}]", problems, zone) for i, v in enumerate(raw))
    if isinstance(raw, dict):
        if len(raw) == 1:
            (key,) = raw
            if key in _TAGS:
                return decode_tagged(key, raw[key], path, problems, zone)
        out: dict[str, PayloadValue] = {}
        for key, value in raw.items():
            if key.startswith("$"):
                problems.append(
                    _field_problem(f"unknown tag or reserved key {key!r:.40}", f"{path}.{key}")
                )
                continue
            out[key] = from_data(value, f"{path}.{key}", problems, zone)
        return out
    problems.append(_field_problem(f"unexpected {type(raw).__name__}", path))
    return None


def decode_tagged(
    tag: str, text: object, path: str, problems: list[Problem], zone: tzinfo
) -> PayloadValue:
    """Decode one ``{"$tag": "text"}`` value; problems are collected, not raised."""
    where = f"{path}.{tag}"
    if not isinstance(text, str):
        problems.append(_field_problem(f"expected a string, got {type(text).__name__}", where))
        return None
    if tag == "$fraction":
        m = _FRACTION_TEXT.fullmatch(text)
        if m is None or text.startswith("-0/"):
            problems.append(_field_problem(f"not a canonical fraction 'n/d': {text!r:.40}", where))
            return None
        n, d = int(m.group(1)), int(m.group(2))
        if gcd(n, d) != 1:
            problems.append(_field_problem(f"fraction not in lowest terms: {text!r:.40}", where))
            return None
        return Fraction(n, d)
    if tag == "$date":
        return decode_date(text, where, problems)
    return decode_datetime(text, where, problems, zone)


def decode_date(text: str, path: str, problems: list[Problem]) -> date | None:
    """Decode ``YYYY-MM-DD``; a problem is collected if it is not a real date."""
    try:
        if _DATE_TEXT.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(_field_problem(f"not a date 'YYYY-MM-DD': {text!r:.40}", path))
    return None


def decode_datetime(text: str, path: str, problems: list[Problem], zone: tzinfo) -> datetime | None:
    """Decode the canonical UTC datetime text and convert it to ``zone``."""
    m = _DATETIME_TEXT.fullmatch(text)
    try:
        if m is not None:
            y, mo, d, h, mi, s, us = (int(g) for g in m.groups())
            return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC).astimezone(zone)
    except (ValueError, OverflowError):
        pass
    problems.append(
        _field_problem(
            f"not a canonical datetime 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00': {text!r:.40}", path
        )
    )
    return None


def _field_problem(message: str, path: str) -> Problem:
    return Problem(
        code="data.field",
        message_en=message,
        message_zh=f"字段错误：{message}",
        field=path,
    )
