"""Strict reading of documents, shared by every loader (graph, policy book, audit log).

Reading a file, decoding UTF-8, parsing JSON, and turning cattrs' structuring errors
into one :class:`~microgov.errors.DataFormatError` whose problems name each bad field
by its path: the same everywhere, so every loader reports bad input the same way.
"""

from __future__ import annotations

import enum
import errno
import json
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar, get_args, get_origin

from microgov.errors import DataFormatError, MicrogovError, Problem

if TYPE_CHECKING:  # cattrs loads with the first converter: plain file readers never pay for it
    import cattrs

__all__ = [
    "MAX_BYTES",
    "decode_text",
    "describe",
    "enum_hook",
    "field_problem",
    "os_error_en",
    "os_error_zh",
    "parse_json",
    "read_bytes",
    "records_error",
    "strict",
    "strict_converter",
    "strict_tuples",
    "structure",
    "structure_date",
]

MAX_BYTES: Final = 512 * 1024 * 1024
"""The largest input file a loader reads (512 MiB)."""

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def read_bytes(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """Read a file for a loader, turning I/O failures into :class:`DataFormatError`."""
    source = os.fspath(path)
    most = MAX_BYTES if limit is None else limit
    try:
        size = os.path.getsize(source)
        if size > most:
            raise DataFormatError(
                f"{source}: {size} bytes is larger than the {most} bytes allowed.",
                f"{source}：文件过大（{size} 字节，上限 {most} 字节）。",
                code="data.too_large",
                source=source,
            )
        return Path(source).read_bytes()
    except OSError as err:
        raise DataFormatError(
            f"{source}: cannot read the file: {os_error_en(err)}.",
            f"{source}：无法读取文件：{os_error_zh(err)}。",
            code="data.unreadable",
            source=source,
            errno=err.errno,
        ) from None


_OS_ERRORS_ZH: Final = {
    errno.ENOENT: "文件或目录不存在",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "操作不被允许",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接层级过多",
    errno.EIO: "输入输出错误",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EMFILE: "打开的文件过多",
    errno.EEXIST: "文件已存在",
}


def os_error_en(err: OSError) -> str:
    """The operating system's reason for ``err`` in English words.

    Example:
        >>> os_error_en(FileNotFoundError(2, "No such file or directory"))
        'No such file or directory'
    """
    return err.strerror or str(err) or type(err).__name__


def os_error_zh(err: OSError) -> str:
    """The operating system's reason for ``err`` in Chinese words (errno kept if unknown).

    Example:
        >>> os_error_zh(FileNotFoundError(2, "No such file or directory"))
        '文件或目录不存在'
        >>> os_error_zh(OSError(9999, "Odd"))
        '系统错误（错误号 9999）'
    """
    known = _OS_ERRORS_ZH.get(err.errno) if err.errno is not None else None
    if known is not None:
        return known
    return f"系统错误（错误号 {err.errno}）" if err.errno is not None else "系统错误"


def decode_text(text: str | bytes, source: str) -> str:
    """UTF-8 text without a byte-order mark, or a :class:`DataFormatError`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise DataFormatError(
                f"{source}: not UTF-8 text (byte {err.start}).",
                f"{source}：不是 UTF-8 编码的文本（第 {err.start} 字节）。",
                code="data.encoding",
                source=source,
            ) from None
    if not isinstance(text, str):
        raise DataFormatError(
            f"{source}: expected text or bytes, got {type(text).__name__}.",
            f"{source}：应为文本或字节。",
            code="data.shape",
            source=source,
        )
    return text.removeprefix("\ufeff")


def parse_json(text: str | bytes, source: str) -> object:
    """Parse JSON text (or UTF-8 bytes), or raise a :class:`DataFormatError` saying where."""
    text = decode_text(text, source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DataFormatError(
            f"{source}: not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
            f"{source}：不是有效的 JSON：第 {err.lineno} 行第 {err.colno} 列（{err.msg}）。",
            code="data.json",
            source=source,
            line=err.lineno,
        ) from None
    except RecursionError:
        raise DataFormatError(
            f"{source}: JSON nested too deeply.",
            f"{source}：JSON 嵌套层级过深。",
            code="data.json",
            source=source,
        ) from None


def strict(kind: type[object], name: str) -> Callable[[object, object], object]:
    """A structure hook that accepts exactly ``kind`` (cattrs would coerce: ``"1"`` → 1)."""

    def hook(value: object, _: object) -> object:
        if type(value) is not kind:
            raise TypeError(f"expected {name}, got {type(value).__name__} {value!r:.40}")
        return value

    return hook


def structure_date(value: object, _: object) -> date:
    """A structure hook for a ``YYYY-MM-DD`` date (a TOML date is taken as it is)."""
    if type(value) is date:
        return value
    if isinstance(value, datetime) or not isinstance(value, str) or len(value) != 10:
        raise TypeError(f"expected a date as 'YYYY-MM-DD', got {value!r:.40}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a real date: {value!r}") from None


def enum_hook(enum_type: type[E]) -> Callable[[object, object], E]:
    """A structure hook reading an enum from its string value, naming the allowed ones."""

    def hook(value: object, _: object) -> E:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        try:
            return enum_type(value)
        except ValueError:
            known = ", ".join(str(member.value) for member in enum_type)
            raise ValueError(f"unknown value {value!r}; expected one of: {known}") from None

    return hook


def _is_parametrized_tuple(kind: Any) -> bool:
    origin: object = get_origin(kind)
    return origin is tuple and bool(get_args(kind))


def strict_tuples(conv: cattrs.Converter) -> None:
    """Read tuples only from JSON arrays (cattrs takes any iterable, even an object),
    gathering every bad item with its index."""

    from cattrs.errors import IterableValidationError, IterableValidationNote

    def factory(kind: Any) -> Callable[[object, object], tuple[object, ...]]:
        args = get_args(kind)
        homogeneous = len(args) == 2 and args[1] is Ellipsis

        def hook(value: object, _: object) -> tuple[object, ...]:
            if not isinstance(value, list):
                raise TypeError(f"expected a list, got {type(value).__name__}")
            if not homogeneous and len(value) != len(args):
                raise ValueError(f"expected a list of {len(args)} items, got {len(value)}")
            out: list[object] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                item_type = args[0] if homogeneous else args[i]
                try:
                    out.append(conv.structure(item, item_type))
                except Exception as err:  # gathered, re-raised below
                    err.__notes__ = [
                        *getattr(err, "__notes__", []),
                        IterableValidationNote(f"Structuring item @ index {i}", i, item_type),
                    ]
                    errors.append(err)
            if errors:
                raise IterableValidationError(f"While structuring {kind!r}", errors, kind)
            return tuple(out)

        return hook

    conv.register_structure_hook_factory(_is_parametrized_tuple, factory)


def strict_converter() -> cattrs.Converter:
    """A cattrs converter that never coerces: exact str/bool/int, ``YYYY-MM-DD`` dates,
    tuples only from arrays, no unknown keys, every failure gathered with its path."""
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, strict(str, "a string"))
    conv.register_structure_hook(bool, strict(bool, "true or false"))
    conv.register_structure_hook(int, strict(int, "an integer"))
    conv.register_structure_hook(date, structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    return conv


def describe(exc: BaseException, _: object = None) -> str:
    """A short English description of one structuring failure."""
    if isinstance(exc, KeyError):
        return "required field missing"
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, MicrogovError):
        return exc.message_en
    return str(exc) or type(exc).__name__


def field_problem(message: str, source: str) -> Problem:
    """A :class:`Problem` from a ``"description @ $.path"`` message."""
    text, _, where = message.rpartition(" @ ")
    return Problem(
        code="data.field",
        message_en=text or message,
        message_zh=f"字段错误：{text or message}",
        field=where or None,
        location=source,
    )


def records_error(messages: list[str], source: str) -> DataFormatError:
    """One error listing every bad field (``data.records``)."""
    listing = "".join(f"\n  - {m}" for m in messages[:20])
    return DataFormatError(
        f"{source}: {len(messages)} bad field(s):{listing}",
        f"{source}：{len(messages)} 个字段有误。",
        code="data.records",
        problems=[field_problem(m, source) for m in messages],
        source=source,
    )


def structure(
    conv: cattrs.Converter, raw: object, kind: type[T], *, source: str, path: str = "$"
) -> T:
    """Structure ``raw`` into ``kind``; every failure becomes one :class:`DataFormatError`
    whose problems name each bad field by its path (``$.nodes[3].level``)."""
    import cattrs

    try:
        return conv.structure(raw, kind)
    except RecursionError:
        raise DataFormatError(
            f"{source}: nested too deeply.",
            f"{source}：嵌套层级过深。",
            code="data.shape",
            source=source,
        ) from None
    except (cattrs.BaseValidationError, ValueError, TypeError, AttributeError) as err:
        if isinstance(err, MicrogovError):
            raise
        messages = (
            cattrs.transform_error(err, path=path, format_exception=describe)
            if isinstance(err, cattrs.BaseValidationError)
            else [f"{describe(err)} @ {path}"]
        )
        raise records_error(messages, source) from None
