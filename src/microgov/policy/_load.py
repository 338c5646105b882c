"""Policy books as JSON or TOML, through a strict cattrs converter.

The document::

    {"format": "microgov.policy_book", "version": 1,
     "defaults": {"notice_period": {"amount": 5, "unit": "working_days"}},
     "entries": [{"node_id": "area-01", "effective_from": "2025-01-01",
                  "overrides": {"tranches": ["1/2", "1/2"]}}]}

Fractions are strings (``"1/3"``), periods ``{"amount": 5, "unit": "working_days"}``,
dates ``YYYY-MM-DD`` (in TOML, a bare date works too), patrol windows strings of local
clock times ``"08:30-09:30"``, response targets whole minutes (``"response_target": 240``,
``"category_targets": {"safety": 60}``).  ``defaults`` lists only the
fields that differ from :class:`~microgov.policy.PolicySet`'s defaults, ``overrides``
only the fields a node sets.  Reading is strict (no number is made from a string nor
a string from a number, no unknown field is ignored) and reports every bad field at
once, by its path.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from datetime import date, time, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
)

from microgov._serde import (
    decode_text,
    enum_hook,
    os_error_en,
    os_error_zh,
    parse_json,
    read_bytes,
    strict_converter,
    strict_tuples,
    structure,
)
from microgov.calendar import Period, PeriodUnit
from microgov.errors import DataFormatError, PolicyError, Problem
from microgov.policy._policyset import (
    POLICY_FIELDS,
    PolicyBook,
    PolicyEntry,
    PolicyOverride,
    PolicySet,
    SecondHand,
    _check_field,
)
from microgov.policy._quorum import MeetingMode

__all__ = [
    "POLICY_BOOK_FORMAT",
    "POLICY_BOOK_VERSION",
    "dump_policy_book",
    "dumps_policy_book",
    "load_policy_book",
]

POLICY_BOOK_FORMAT: Final = "microgov.policy_book"
"""The value of the ``format`` key of a policy book document."""
POLICY_BOOK_VERSION: Final = 1
"""The version of the policy book document this release writes and reads."""

_MAX_BYTES: Final = 64 * 1024 * 1024
_FRACTION = re.compile(r"-?[0-9]{1,30}(/[0-9]{1,30})?")
_WINDOW = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])")


class _Windows:
    """Structuring key: patrol windows as ``["08:30-09:30", ...]``."""


class _Minutes:
    """Structuring key: a timedelta as a positive whole number of minutes."""


class _CategoryMinutes:
    """Structuring key: category → positive whole number of minutes."""


_FIELD_TYPES: Final[dict[str, Any]] = {
    "quorum_family": str,
    "meeting_mode": MeetingMode,
    "second_hand": SecondHand,
    "solicitation_period": Period,
    "notice_period": Period,
    "tranches": tuple[Fraction, ...],
    "project_cap_fen": int,
    "min_support": Fraction,
    "vote_period": Period,
    "evaluation_pass_mark": int,
    "ranking_min_sample": int,
    "patrol_windows": _Windows,
    "patrols_on_working_days_only": bool,
    "response_target": _Minutes,
    "category_targets": _CategoryMinutes,
    "owners_decide_common_parts": bool,
}

E = TypeVar("E", MeetingMode, SecondHand, PeriodUnit)


@attrs.frozen(kw_only=True)
class _Document:
    format: str
    version: int
    defaults: PolicySet = attrs.field(factory=PolicySet)
    entries: tuple[PolicyEntry, ...] = ()


def _structure_fraction(value: object, _: object) -> Fraction:
    if not isinstance(value, str) or not _FRACTION.fullmatch(value):
        raise TypeError(f"expected a fraction as a string like '1/3', got {value!r:.40}")
    try:
        return Fraction(value)
    except ZeroDivisionError:
        raise ValueError(f"a fraction with a zero denominator: {value!r}") from None


def _structure_windows(value: object, _: object) -> tuple[tuple[time, time], ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list of windows like '08:30-09:30', got {value!r:.40}")
    out: list[tuple[time, time]] = []
    bad: list[str] = []
    for i, item in enumerate(value):
        found = _WINDOW.fullmatch(item) if isinstance(item, str) else None
        if found is None:
            bad.append(f"window {i} must be a string like '08:30-09:30', got {item!r:.40}")
            continue
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        out.append((time(h1, m1), time(h2, m2)))
    if bad:
        raise ValueError("; ".join(bad))
    return tuple(out)


def _window_text(window: tuple[time, time]) -> str:
    return f"{window[0]:%H:%M}-{window[1]:%H:%M}"


def _to_minutes(value: object) -> timedelta:
    if type(value) is not int:
        raise TypeError(f"expected a whole number of minutes, got {value!r:.40}")
    if value < 1:
        raise ValueError(f"must be a positive whole number of minutes, got {value}")
    try:
        return timedelta(minutes=value)
    except OverflowError:
        raise ValueError(f"too many minutes: {value}") from None


def _structure_minutes(value: object, _: object) -> timedelta:
    return _to_minutes(value)


def _structure_category_minutes(value: object, _: object) -> dict[str, timedelta]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object of category → minutes, got {value!r:.40}")
    out: dict[str, timedelta] = {}
    bad: list[str] = []
    for key, minutes in value.items():
        try:
            out[key] = _to_minutes(minutes)
        except (TypeError, ValueError) as err:
            bad.append(f"{key!r:.40}: {err}")
    if bad:
        raise ValueError("; ".join(bad))
    return out


def _minutes(value: timedelta) -> int:
    return value // timedelta(minutes=1)


_UNSTRUCTURE: Final[dict[str, Callable[[Any], object]]] = {
    "patrol_windows": lambda windows: [_window_text(w) for w in windows],
    "response_target": _minutes,
    "category_targets": lambda targets: {k: _minutes(v) for k, v in targets.items()},
}


def _noted(err: Exception, cls: type[object], name: str) -> Exception:
    err.__notes__ = [
        *getattr(err, "__notes__", []),
        AttributeValidationNote(
            f"Structuring class {cls.__qualname__} @ attribute {name}", name, cls
        ),
    ]
    return err


_Check = Callable[[str, object], list[tuple[str, str]]]

T = TypeVar("T")


def _no_check(name: str, value: object) -> list[tuple[str, str]]:
    return []


def _check_period_field(name: str, value: object) -> list[tuple[str, str]]:
    if name == "amount" and isinstance(value, int) and value < 0:
        return [(f"must not be negative, got {value}", "不能为负数")]
    return []


def _check_entry_field(name: str, value: object) -> list[tuple[str, str]]:
    if name == "node_id" and value == "":
        return [("must not be empty", "不能为空")]
    return []


def _object_hook(
    conv: cattrs.Converter,
    cls: type[T],
    types: dict[str, Any],
    *,
    required: bool,
    null_ok: frozenset[str] = frozenset(),
    check: _Check = _no_check,
) -> Callable[[object, object], T]:
    """Structure an object field by field, checking each value and gathering every error.

    Each error carries the field's name, so that ``cattrs.transform_error`` names its
    full path (``$.entries[2].overrides.tranches``).  A field in ``null_ok`` may be
    ``null`` (None); with ``required`` every field must be present.
    """

    def hook(value: object, _: object) -> T:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        errors: list[Exception] = []
        unknown = {str(k) for k in value if k not in types}
        if unknown:
            errors.append(ForbiddenExtraKeysError("", cls, unknown))
        kwargs: dict[str, Any] = {}
        for name, kind in types.items():
            try:
                if name not in value:
                    if required:
                        raise KeyError(name)
                    continue
                raw = value[name]
                if raw is None:
                    if name not in null_ok:
                        raise TypeError("null is not allowed here; leave the field out")
                    kwargs[name] = None
                    continue
                structured: object = conv.structure(raw, kind)
                bad = check(name, structured)
                if bad:
                    raise ValueError("; ".join(en for en, _ in bad))
                kwargs[name] = structured
            except Exception as err:  # gathered, re-raised below
                errors.append(_noted(err, cls, name))
        if errors:
            raise ClassValidationError(f"While structuring {cls.__name__}", errors, cls)
        try:
            return cls(**kwargs)
        except PolicyError as err:  # the fields do not fit together
            found = err.details.get("problems", ())
            problems = (
                [p for p in found if isinstance(p, Problem)] if isinstance(found, tuple) else []
            )
            raise ClassValidationError(
                f"While structuring {cls.__name__}",
                [
                    _noted(
                        ValueError(p.message_en.removeprefix(f"'{p.field}': ")), cls, p.field or ""
                    )
                    for p in problems
                ]
                or [ValueError(err.message_en)],
                cls,
            ) from None

    return hook


def _unstructure_fields(
    conv: cattrs.Converter, value: PolicySet | PolicyOverride
) -> dict[str, object]:
    base = PolicySet() if isinstance(value, PolicySet) else PolicyOverride()
    out: dict[str, object] = {}
    for name in POLICY_FIELDS:
        field_value = getattr(value, name)
        if field_value != getattr(base, name):
            special = _UNSTRUCTURE.get(name)
            out[name] = conv.unstructure(field_value) if special is None else special(field_value)
    return out


def _make_converter() -> cattrs.Converter:
    conv = strict_converter()
    conv.register_structure_hook(Fraction, _structure_fraction)
    conv.register_unstructure_hook(Fraction, str)
    conv.register_structure_hook(MeetingMode, enum_hook(MeetingMode))
    conv.register_structure_hook(SecondHand, enum_hook(SecondHand))
    conv.register_structure_hook(PeriodUnit, enum_hook(PeriodUnit))
    conv.register_structure_hook(_Windows, _structure_windows)
    conv.register_structure_hook(_Minutes, _structure_minutes)
    conv.register_structure_hook(_CategoryMinutes, _structure_category_minutes)
    period_types = {"amount": int, "unit": PeriodUnit}
    conv.register_structure_hook(
        Period, _object_hook(conv, Period, period_types, required=True, check=_check_period_field)
    )
    conv.register_structure_hook(
        PolicySet,
        _object_hook(
            conv,
            PolicySet,
            _FIELD_TYPES,
            required=False,
            null_ok=frozenset({"project_cap_fen"}),
            check=_check_field,
        ),
    )
    conv.register_structure_hook(
        PolicyOverride,
        _object_hook(
            conv,
            PolicyOverride,
            _FIELD_TYPES,
            required=False,
            null_ok=frozenset(POLICY_FIELDS),
            check=_check_field,
        ),
    )
    entry_types = {"node_id": str, "effective_from": date, "overrides": PolicyOverride}
    conv.register_structure_hook(
        PolicyEntry,
        _object_hook(conv, PolicyEntry, entry_types, required=True, check=_check_entry_field),
    )
    conv.register_unstructure_hook(PolicySet, lambda v: _unstructure_fields(conv, v))
    conv.register_unstructure_hook(PolicyOverride, lambda v: _unstructure_fields(conv, v))
    strict_tuples(conv)
    return conv


_converter: Final = _make_converter()


def dumps_policy_book(book: PolicyBook, *, indent: int | None = 1) -> str:
    """Write a policy book as JSON text that :func:`load_policy_book` reads back.

    Args:
        book: The book.
        indent: JSON indentation; None for the most compact form.

    Returns:
        The JSON document; the same book always gives the same text.

    Example:
        >>> from datetime import date
        >>> from fractions import Fraction
        >>> from microgov.policy import PolicyBook, PolicyOverride
        >>> book = PolicyBook().add("luodian", date(2024, 1, 1),
        ...                         PolicyOverride(tranches=(Fraction(1, 3), Fraction(2, 3))))
        >>> print(dumps_policy_book(book, indent=None))
        {"format": "microgov.policy_book", "version": 1, "entries": [{"node_id": "luodian", "effective_from": "2024-01-01", "overrides": {"tranches": ["1/3", "2/3"]}}]}
    """  # noqa: E501
    out: dict[str, object] = {"format": POLICY_BOOK_FORMAT, "version": POLICY_BOOK_VERSION}
    defaults = _converter.unstructure(book.defaults, PolicySet)
    if defaults:
        out["defaults"] = defaults
    if book.entries:
        out["entries"] = [_converter.unstructure(e, PolicyEntry) for e in book.entries]
    return json.dumps(out, ensure_ascii=False, indent=indent)


def dump_policy_book(book: PolicyBook, path: str | os.PathLike[str]) -> None:
    """Write a policy book to a JSON file (UTF-8, newline-terminated).

    See :func:`dumps_policy_book`; :func:`load_policy_book` reads the file back.

    Raises:
        DataFormatError: If the file cannot be written (``data.unwritable``).

    Example:
        >>> import tempfile, pathlib
        >>> from microgov.policy import PolicyBook
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp) / "policy.json"
        ...     dump_policy_book(PolicyBook(), path)
        ...     load_policy_book(path) == PolicyBook()
        True
    """
    try:
        Path(path).write_text(dumps_policy_book(book) + "\n", encoding="utf-8")
    except OSError as err:
        source = os.fspath(path)
        raise DataFormatError(
            f"{source}: cannot write the file: {os_error_en(err)}.",
            f"{source}：无法写入文件：{os_error_zh(err)}。",
            code="data.unwritable",
            source=source,
        ) from None


def load_policy_book(
    source: str | bytes | os.PathLike[str],
    *,
    format: Literal["json", "toml"] | None = None,
    name: str | None = None,
) -> PolicyBook:
    """Read a policy book from JSON or TOML text, or from a file.

    Args:
        source: A path (:class:`os.PathLike`, e.g. :class:`pathlib.Path`) to read, or
            the document itself as ``str`` or UTF-8 ``bytes``.  A plain string is
            always the document, never a file name.
        format: ``"json"`` or ``"toml"``; by default TOML for a path ending in
            ``.toml``, JSON otherwise.
        name: A name for the input used in messages (default: the path, or
            ``'<string>'``).

    Returns:
        The policy book.

    Raises:
        DataFormatError: If the input cannot be read, is not JSON/TOML, is not a
            policy book document, or has bad fields: ``problems`` then holds one
            :class:`~microgov.errors.Problem` per bad field, its ``field`` the path
            (e.g. ``$.entries[2].overrides.tranches``).  A one-line string ending in
            ``.json`` or ``.toml`` is refused (``data.path_as_text``): pass a
            :class:`pathlib.Path` to read a file.

    Example:
        >>> book = load_policy_book('''
        ... format = "microgov.policy_book"
        ... version = 1
        ... [defaults]
        ... notice_period = { amount = 5, unit = "working_days" }
        ... [[entries]]
        ... node_id = "area-01"
        ... effective_from = 2025-01-01
        ... overrides = { tranches = ["1/2", "1/2"] }
        ... ''', format="toml")
        >>> book.entries[0].overrides.tranches
        (Fraction(1, 2), Fraction(1, 2))
        >>> load_policy_book('{"format": "microgov.policy_book", "version": 1, '
        ...                  '"defaults": {"tranches": ["1/2", "1/3"], "min_support": 2}}')
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: <string>: 2 bad field(s):
          - shares must sum to exactly 1, got 5/6 @ $.defaults.tranches
          - expected a fraction as a string like '1/3', got 2 @ $.defaults.min_support ...
    """
    data: str | bytes
    if isinstance(source, os.PathLike):
        label = name or os.fspath(source)
        data = read_bytes(source, limit=_MAX_BYTES)
        if format is None:
            format = "toml" if os.fspath(source).lower().endswith(".toml") else "json"
    else:
        label = name or "<string>"
        data = source
        if isinstance(data, str) and _looks_like_a_path(data):
            raise DataFormatError(
                f"{data!r} looks like a file name, but a str is read as the document itself; "
                "pass a pathlib.Path to read a file.",
                f"{data!r} 像是文件名，但字符串会被当作文档内容读取；读取文件请传入 pathlib.Path。",
                code="data.path_as_text",
                source=label,
            )
    if format in (None, "json"):
        raw = parse_json(data, label)
    elif format == "toml":
        raw = _parse_toml(decode_text(data, label), label)
    else:
        raise DataFormatError(
            f"Unknown policy book format {format!r}; expected 'json' or 'toml'.",
            f"未知的政策簿格式 {format!r}；应为 'json' 或 'toml'。",
            code="data.unknown_format",
            source=label,
        )
    return _book_from(raw, label)


def _looks_like_a_path(text: str) -> bool:
    stripped = text.strip()
    return "\n" not in stripped and stripped.lower().endswith((".json", ".toml"))


def _book_from(raw: object, source: str) -> PolicyBook:
    if not isinstance(raw, dict):
        raise DataFormatError(
            f"{source}: expected an object with 'format': {POLICY_BOOK_FORMAT!r}, "
            f"got {type(raw).__name__}.",
            f"{source}：应为包含 'format': {POLICY_BOOK_FORMAT!r} 的对象。",
            code="data.shape",
            source=source,
        )
    version = raw.get("version")
    if raw.get("format") != POLICY_BOOK_FORMAT or type(version) is not int or version != 1:
        raise DataFormatError(
            f"{source}: not a {POLICY_BOOK_FORMAT!r} version {POLICY_BOOK_VERSION} document "
            f"(format={raw.get('format')!r:.40}, version={version!r:.10}).",
            f"{source}：不是 {POLICY_BOOK_FORMAT!r} 第 {POLICY_BOOK_VERSION} 版文档。",
            code="data.format_version",
            source=source,
        )
    doc = structure(_converter, raw, _Document, source=source)
    try:
        return PolicyBook(defaults=doc.defaults, entries=doc.entries)
    except PolicyError as err:
        found = err.details.get("problems", ())
        problems = [
            attrs.evolve(p, location=source, field="$.entries")
            for p in (found if isinstance(found, tuple) else ())
            if isinstance(p, Problem)
        ]
        raise DataFormatError(
            f"{source}: {err.message_en}",
            f"{source}：{err.message_zh}",
            code="data.records",
            problems=problems,
            source=source,
        ) from None


def _parse_toml(text: str, source: str) -> object:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataFormatError(
            f"{source}: not valid TOML: {err}.",
            f"{source}：不是有效的 TOML：{err}。",
            code="data.toml",
            source=source,
        ) from None
    except RecursionError:
        raise DataFormatError(
            f"{source}: TOML nested too deeply.",
            f"{source}：TOML 嵌套层级过深。",
            code="data.toml",
            source=source,
        ) from None
