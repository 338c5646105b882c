"""JSON for the governance graph, through a strict cattrs converter.

The document holds the baseline nodes and links and the effective-dated changes
since; loading it replays the changes, so the history survives a round trip.
Output is deterministic: nodes in pre-order, links by id, keys in a fixed order,
default values left out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_unstructure_fn

from microgov.errors import DataFormatError, MicrogovError, Problem
from microgov.hierarchy import (
    AddLink,
    AddNode,
    Change,
    ChangeCode,
    ChangeStatus,
    CodeScheme,
    EndLink,
    Hierarchy,
    Level,
    Link,
    MergeNodes,
    MoveNode,
    Node,
    NodeStatus,
    Pairing,
    RemoveLink,
    RemoveNode,
    Rename,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
    SetCounts,
    SplitNode,
)
from microgov.io._files import decode_text, read_bytes

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "converter",
    "dump_hierarchy",
    "dumps_hierarchy",
    "load_hierarchy",
    "loads_hierarchy",
]

FORMAT: Final = "microgov.hierarchy"
"""The value of the ``format`` key of a hierarchy document."""
FORMAT_VERSION: Final = 1
"""The version of the hierarchy document this release writes and reads."""

_LINK_TYPES: dict[str, type[Resource | RoleAssignment | Pairing]] = {
    "resource": Resource,
    "role": RoleAssignment,
    "pairing": Pairing,
}
_CHANGE_TYPES: dict[str, type[Change]] = {
    cls.kind: cls
    for cls in (
        AddNode,
        RemoveNode,
        MoveNode,
        SplitNode,
        MergeNodes,
        Rename,
        ChangeStatus,
        ChangeCode,
        SetCounts,
        AddLink,
        RemoveLink,
        EndLink,
    )
}

E = TypeVar("E", NodeStatus, ResourceKind, Role)


@attrs.frozen(kw_only=True)
class _Document:
    format: str
    version: int
    scheme: CodeScheme = attrs.field(factory=CodeScheme)
    nodes: tuple[Node, ...] = ()
    links: tuple[Link, ...] = ()
    changes: tuple[Change, ...] = ()


def _strict(kind: type[object], name: str) -> Callable[[object, object], object]:
    def hook(value: object, _: object) -> object:
        if type(value) is not kind:
            raise TypeError(f"expected {name}, got {type(value).__name__} {value!r:.40}")
        return value

    return hook


def _structure_date(value: object, _: object) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise TypeError(f"expected a date as 'YYYY-MM-DD', got {value!r:.40}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a real date: {value!r}") from None


def _enum_hook(enum_type: type[E]) -> Callable[[object, object], E]:
    def hook(value: object, _: object) -> E:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        try:
            return enum_type(value)
        except ValueError:
            known = ", ".join(member.value for member in enum_type)
            raise ValueError(f"unknown value {value!r}; expected one of: {known}") from None

    return hook


def _structure_level(value: object, _: object) -> Level:
    if not isinstance(value, str):
        raise TypeError(f"expected a level name, got {type(value).__name__}")
    return Level.from_name(value)


def _tagged(
    conv: cattrs.Converter, tags: Mapping[str, type[object]], what: str
) -> Callable[[object, object], object]:
    def hook(value: object, _: object) -> object:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        tag = value.get("type")
        cls = tags.get(tag) if isinstance(tag, str) else None
        if cls is None:
            known = ", ".join(sorted(tags))
            raise ValueError(f"unknown {what} type {tag!r}; expected one of: {known}")
        body = {k: v for k, v in value.items() if k != "type"}
        return conv.structure(body, cls)

    return hook


def _with_tag(
    tag: str, unstructure: Callable[[object], dict[str, object]]
) -> Callable[[object], dict[str, object]]:
    def hook(value: object) -> dict[str, object]:
        return {"type": tag, **unstructure(value)}

    return hook


def _strict_tuples(conv: cattrs.Converter) -> None:
    """Read tuples only from JSON arrays (cattrs would take any iterable, even an object)."""

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


def _is_parametrized_tuple(kind: Any) -> bool:
    origin: object = get_origin(kind)
    return origin is tuple and bool(get_args(kind))


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(Level, _structure_level)
    conv.register_unstructure_hook(Level, lambda level: level.key)
    conv.register_structure_hook(NodeStatus, _enum_hook(NodeStatus))
    conv.register_structure_hook(ResourceKind, _enum_hook(ResourceKind))
    conv.register_structure_hook(Role, _enum_hook(Role))
    for cls in (Node, CodeScheme):
        conv.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)
        )
    # Links and changes are written with a "type" tag whatever type they are declared
    # as, and read back through the tag.
    tagged: list[tuple[str, type[object]]] = [*_LINK_TYPES.items(), *_CHANGE_TYPES.items()]
    for tag, tagged_cls in tagged:
        plain = make_dict_unstructure_fn(tagged_cls, conv, _cattrs_omit_if_default=True)
        conv.register_unstructure_hook(tagged_cls, _with_tag(tag, plain))
    conv.register_structure_hook_func(lambda t: t == Link, _tagged(conv, _LINK_TYPES, "link"))
    conv.register_structure_hook_func(lambda t: t is Change, _tagged(conv, _CHANGE_TYPES, "change"))
    conv.register_unstructure_hook_func(
        lambda t: t is Change, lambda change: conv.unstructure(change, type(change))
    )
    _strict_tuples(conv)
    return conv


converter: Final = _make_converter()
"""The cattrs converter for every value of the governance graph.

It is strict: a string is never made from a number, nor a number from a string; dates
are ``YYYY-MM-DD``; levels are written by key (``"micro_grid"``); links and changes
carry a ``"type"`` tag.

Example:
    >>> from microgov.hierarchy import Level, Node
    >>> converter.unstructure(Node(id="t", level=Level.TOWN, name="罗店镇"))
    {'id': 't', 'level': 'town', 'name': '罗店镇'}
    >>> converter.structure({"id": "t", "level": "town", "name": "罗店镇"}, Node).level
    <Level.TOWN: 4>
"""


def dumps_hierarchy(hierarchy: Hierarchy, *, indent: int | None = 1) -> str:
    """Write a hierarchy, its links and its change history as JSON text.

    Args:
        hierarchy: The hierarchy.
        indent: JSON indentation; None for the most compact form.

    Returns:
        The JSON document; the same hierarchy always gives the same text.

    Example:
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy([Node(id="t", level=Level.TOWN, name="罗店镇", code="310113101")])
        >>> print(dumps_hierarchy(h, indent=None))
        {"format": "microgov.hierarchy", "version": 1, "nodes": [{"id": "t", "level": "town", "name": "罗店镇", "code": "310113101"}]}
    """  # noqa: E501
    base = hierarchy.baseline
    doc = _Document(
        format=FORMAT,
        version=FORMAT_VERSION,
        scheme=hierarchy.scheme,
        nodes=base.nodes(),
        links=base.links,
        changes=hierarchy.changes,
    )
    raw = converter.unstructure(doc)
    out = {"format": raw["format"], "version": raw["version"]}
    if raw["scheme"]:
        out["scheme"] = raw["scheme"]
    for key in ("nodes", "links", "changes"):
        if raw[key]:
            out[key] = raw[key]
    return json.dumps(out, ensure_ascii=False, indent=indent)


def loads_hierarchy(text: str | bytes, *, source: str = "<string>") -> Hierarchy:
    """Read a hierarchy from JSON text written by :func:`dumps_hierarchy`.

    Args:
        text: The JSON document (str, or UTF-8 bytes with or without a BOM).
        source: A name for the input (a file name) used in error messages.

    Returns:
        The hierarchy, with its change history replayed.

    Raises:
        DataFormatError: If the text is not a hierarchy document; ``problems`` lists
            every bad field by its path (e.g. ``$.nodes[3].level``) when the document
            could be parsed.
        HierarchyValidationError: If the document is well-formed but the graph is
            not valid (orphans, cycles, bad codes …); every problem is listed.
        ChangeRefused: If a recorded change no longer applies.

    Example:
        >>> h = loads_hierarchy('{"format": "microgov.hierarchy", "version": 1, '
        ...                     '"nodes": [{"id": "t", "level": "town", "name": "罗店镇"}]}')
        >>> h["t"].name
        '罗店镇'
        >>> loads_hierarchy('{"format": "microgov.hierarchy", "version": 1, '
        ...                 '"nodes": [{"id": "t", "level": "village", "name": 7}]}')
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: <string>: 2 bad field(s):...
    """
    raw = _parse_json(text, source)
    if not isinstance(raw, dict):
        raise DataFormatError(
            f"{source}: expected a JSON object with 'format': {FORMAT!r}, "
            f"got {type(raw).__name__}.",
            f"{source}：应为包含 'format': {FORMAT!r} 的 JSON 对象。",
            code="data.shape",
            source=source,
        )
    if raw.get("format") != FORMAT or raw.get("version") != FORMAT_VERSION:
        raise DataFormatError(
            f"{source}: not a {FORMAT!r} version {FORMAT_VERSION} document "
            f"(format={raw.get('format')!r:.40}, version={raw.get('version')!r:.10}).",
            f"{source}：不是 {FORMAT!r} 第 {FORMAT_VERSION} 版文档。",
            code="data.format_version",
            source=source,
        )
    doc = structure(raw, _Document, source=source)
    hierarchy = Hierarchy(doc.nodes, doc.links, scheme=doc.scheme)
    return hierarchy.apply_all(doc.changes)


T = TypeVar("T")


def structure(raw: object, kind: type[T], *, source: str, path: str = "$") -> T:
    """Structure ``raw`` into ``kind`` with :data:`converter`, turning every failure
    into one :class:`DataFormatError` whose ``problems`` name each path."""
    try:
        return converter.structure(raw, kind)
    except (cattrs.BaseValidationError, ValueError, TypeError, AttributeError) as err:
        if isinstance(err, MicrogovError):
            raise
        messages = (
            cattrs.transform_error(err, path=path, format_exception=_describe)
            if isinstance(err, cattrs.BaseValidationError)
            else [f"{_describe(err, None)} @ {path}"]
        )
        problems = [_problem(message, source) for message in messages]
        listing = "".join(f"\n  - {m}" for m in messages[:20])
        raise DataFormatError(
            f"{source}: {len(messages)} bad field(s):{listing}",
            f"{source}：{len(messages)} 个字段有误。",
            code="data.records",
            problems=problems,
            source=source,
        ) from None


def _describe(exc: BaseException, _: object) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    return str(exc) or type(exc).__name__


def _problem(message: str, source: str) -> Problem:
    text, _, where = message.rpartition(" @ ")
    return Problem(
        code="data.field",
        message_en=text or message,
        message_zh=f"字段错误：{text or message}",
        field=where or None,
        location=source,
    )


def _parse_json(text: str | bytes, source: str) -> object:
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


def load_hierarchy(path: str | os.PathLike[str]) -> Hierarchy:
    """Read a hierarchy from a JSON file (see :func:`loads_hierarchy`).

    Raises:
        DataFormatError: If the file cannot be read or is not a hierarchy document.
        HierarchyValidationError: If the graph it describes is not valid.

    Example:
        >>> import tempfile, pathlib
        >>> from microgov.datasets import meilan_xihu
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp) / "h.json"
        ...     dump_hierarchy(meilan_xihu(), path)
        ...     load_hierarchy(path) == meilan_xihu()
        True
    """
    return loads_hierarchy(read_bytes(path), source=os.fspath(path))


def dump_hierarchy(hierarchy: Hierarchy, path: str | os.PathLike[str]) -> None:
    """Write a hierarchy to a JSON file (UTF-8, newline-terminated).

    See :func:`dumps_hierarchy`; :func:`load_hierarchy` reads the file back.
    """
    Path(path).write_text(dumps_hierarchy(hierarchy) + "\n", encoding="utf-8")
