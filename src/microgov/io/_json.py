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
from pathlib import Path
from typing import Final, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn

from microgov._serde import (
    enum_hook,
    parse_json,
    read_bytes,
    strict_converter,
    strict_tuples,
    structure,
)
from microgov.errors import DataFormatError
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


def _make_converter() -> cattrs.Converter:
    conv = strict_converter()
    conv.register_structure_hook(Level, _structure_level)
    conv.register_unstructure_hook(Level, lambda level: level.key)
    conv.register_structure_hook(NodeStatus, enum_hook(NodeStatus))
    conv.register_structure_hook(ResourceKind, enum_hook(ResourceKind))
    conv.register_structure_hook(Role, enum_hook(Role))
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
    strict_tuples(conv)
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
    raw = parse_json(text, source)
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
    doc = structure(converter, raw, _Document, source=source)
    hierarchy = Hierarchy(doc.nodes, doc.links, scheme=doc.scheme)
    return hierarchy.apply_all(doc.changes)


T = TypeVar("T")


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
