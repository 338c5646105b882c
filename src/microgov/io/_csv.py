"""CSV readers: microgov's node table, and the NBS statistical-code table.

Two tables are understood:

* **node CSV** — one node per row, with a header naming the columns ``id``,
  ``level``, ``name`` (required) and ``parent``, ``code``, ``class_code``, ``status``,
  ``status_since``, ``households``, ``residents``, ``synthetic`` (optional).
* **NBS CSV** — rows of the National Bureau of Statistics' 统计用区划代码 list: a
  ``code`` (12 digits) and a ``name`` column, optionally ``class_code`` (or
  ``class_code_2016``); other columns are ignored.  Town rows end in ``000``.

Every bad row and field is reported at once, by line number.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import date

import attrs

from microgov._serde import decode_text, read_bytes
from microgov.errors import DataFormatError, HierarchyValidationError, InvalidCodeError, Problem
from microgov.hierarchy import (
    Hierarchy,
    Level,
    Node,
    NodeStatus,
    parse_stat_code,
    parse_town_code,
)

__all__ = ["NODE_COLUMNS", "hierarchy_from_csv", "nodes_from_csv", "nodes_from_nbs_csv"]

NODE_COLUMNS = (
    "id",
    "level",
    "name",
    "parent",
    "code",
    "class_code",
    "status",
    "status_since",
    "households",
    "residents",
    "synthetic",
)
"""The columns of a node CSV, in the order microgov writes them."""

_REQUIRED = ("id", "level", "name")

_Rows = list[tuple[int, dict[str, str]]]


def _rows(text: str | bytes, source: str) -> tuple[list[str], _Rows]:
    text = decode_text(text, source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise DataFormatError(
                f"{source}: the file is empty; a header row is needed.",
                f"{source}：文件为空，缺少表头。",
                code="data.empty",
                source=source,
            )
        header = [h.strip() for h in header]
        rows: _Rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                raise DataFormatError(
                    f"{source}, line {line}: {len(row)} cells, but the header has {len(header)}.",
                    f"{source} 第 {line} 行：有 {len(row)} 列，表头有 {len(header)} 列。",
                    code="data.csv_shape",
                    source=source,
                    line=line,
                )
            rows.append((line, dict(zip(header, (c.strip() for c in row), strict=True))))
    except csv.Error as err:
        raise DataFormatError(
            f"{source}, line {reader.line_num}: not valid CSV: {err}.",
            f"{source} 第 {reader.line_num} 行：CSV 格式错误（{err}）。",
            code="data.csv",
            source=source,
            line=reader.line_num,
        ) from None
    if len(set(header)) != len(header):
        raise DataFormatError(
            f"{source}: the header names a column twice.",
            f"{source}：表头有重复的列名。",
            code="data.csv_header",
            source=source,
        )
    return header, rows


def _bad(source: str, line: int, field: str, en: str, zh: str) -> Problem:
    return Problem(
        code="data.field",
        message_en=en,
        message_zh=zh,
        field=field,
        location=f"{source}, line {line}",
    )


def _raise_all(source: str, problems: list[Problem]) -> None:
    if problems:
        listing = "".join(f"\n  - {p}" for p in problems[:20])
        raise DataFormatError(
            f"{source}: {len(problems)} bad field(s):{listing}",
            f"{source}：{len(problems)} 个字段有误。",
            code="data.records",
            problems=problems,
            source=source,
        )


def _count(value: str, field: str, source: str, line: int, found: list[Problem]) -> int:
    if not value:
        return 0
    if value.isascii() and value.isdigit():
        return int(value)
    found.append(
        _bad(
            source,
            line,
            field,
            f"{field} must be a whole number ≥ 0, got {value!r:.40}.",
            f"{field} 必须是非负整数，实际为 {value!r:.40}。",
        )
    )
    return 0


def nodes_from_csv(text: str | bytes, *, source: str = "<csv>") -> list[Node]:
    """Read nodes from a node CSV (see the module notes for the columns).

    Args:
        text: The CSV text (str, or UTF-8 bytes with or without a BOM).
        source: The file name used in messages.

    Returns:
        The nodes, in file order (not yet checked as a graph: see :func:`validate`).

    Raises:
        DataFormatError: If the table is unusable, or any row has a bad field; every
            bad field is listed in ``problems`` with its line.

    Example:
        >>> rows = "id,level,name,parent,code\\n" \\
        ...        "t,town,罗店镇,,310113101\\n" \\
        ...        "a,residential_area,美罗家园佳翔苑居委会,t,310113101018\\n"
        >>> [n.id for n in nodes_from_csv(rows)]
        ['t', 'a']
        >>> nodes_from_csv("id,level,name\\nt,hamlet,某村\\n", source="x.csv")
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: x.csv: 1 bad field(s): ...
    """
    return _node_rows(*_rows(text, source), source)


def _node_rows(header: list[str], rows: _Rows, source: str) -> list[Node]:
    missing = [c for c in _REQUIRED if c not in header]
    unknown = [c for c in header if c not in NODE_COLUMNS]
    if missing or unknown:
        raise DataFormatError(
            f"{source}: the header must have columns {', '.join(_REQUIRED)}"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + ".",
            f"{source}：表头必须包含 {', '.join(_REQUIRED)} 列"
            + (f"；缺少：{', '.join(missing)}" if missing else "")
            + (f"；无法识别：{', '.join(unknown)}" if unknown else "")
            + "。",
            code="data.csv_header",
            source=source,
        )
    nodes: list[Node] = []
    found: list[Problem] = []
    for line, row in rows:
        before = len(found)
        level: Level | None = None
        try:
            level = Level.from_name(row["level"])
        except ValueError as err:
            found.append(_bad(source, line, "level", str(err), f"层级无效：{row['level']!r:.40}"))
        status = NodeStatus.ACTIVE
        if row.get("status"):
            try:
                status = NodeStatus(row["status"])
            except ValueError:
                found.append(
                    _bad(
                        source,
                        line,
                        "status",
                        f"unknown status {row['status']!r:.40}; expected one of: "
                        + ", ".join(s.value for s in NodeStatus),
                        f"状态无效：{row['status']!r:.40}",
                    )
                )
        since: date | None = None
        if row.get("status_since"):
            try:
                since = date.fromisoformat(row["status_since"])
            except ValueError:
                found.append(
                    _bad(
                        source,
                        line,
                        "status_since",
                        f"not a date 'YYYY-MM-DD': {row['status_since']!r:.40}",
                        f"日期格式应为 YYYY-MM-DD：{row['status_since']!r:.40}",
                    )
                )
        households = _count(row.get("households", ""), "households", source, line, found)
        residents = _count(row.get("residents", ""), "residents", source, line, found)
        synthetic_text = row.get("synthetic", "").lower()
        if synthetic_text not in ("", "true", "false", "1", "0"):
            found.append(
                _bad(
                    source,
                    line,
                    "synthetic",
                    f"expected true or false, got {synthetic_text!r:.20}",
                    f"应为 true 或 false：{synthetic_text!r:.20}",
                )
            )
        if len(found) > before or level is None:
            continue
        try:
            nodes.append(
                Node(
                    id=row["id"],
                    level=level,
                    name=row["name"],
                    parent=row.get("parent") or None,
                    code=row.get("code") or None,
                    class_code=row.get("class_code") or None,
                    status=status,
                    status_since=since,
                    households=households,
                    residents=residents,
                    synthetic=synthetic_text in ("true", "1"),
                )
            )
        except (TypeError, ValueError) as err:
            field = str(err).split(" ", 1)[0]
            found.append(_bad(source, line, field, str(err), f"字段无效：{err}"))
    _raise_all(source, found)
    return nodes


def nodes_from_nbs_csv(
    text: str | bytes, *, source: str = "<csv>", id_prefix: str = "nbs-"
) -> list[Node]:
    """Read towns and village-level committees from an NBS statistical-code table.

    Each committee (居委会 or 村委会) becomes a node at the residential-area level
    under its town; the town is taken from its ``…000`` row, or, if the table has
    none, made with its 9-digit code as its name.  Node ids are ``id_prefix`` plus
    the code *at import*; keep them when a code later changes (see
    :class:`~microgov.hierarchy.ChangeCode`).

    Args:
        text: The CSV text, with at least ``code`` and ``name`` columns.
        source: The file name used in messages.
        id_prefix: Put before each code to make the node id.

    Returns:
        Towns first (by code), then committees (by code).

    Raises:
        DataFormatError: If the table is unusable or a row's code is malformed.

    Example:
        >>> rows = "code,name,class_code\\n310113101043,美罗家园金丰苑第一居委会,\\n"
        >>> [(n.id, n.level.key, n.parent) for n in nodes_from_nbs_csv(rows)]
        [('nbs-310113101', 'town', None), ('nbs-310113101043', 'residential_area', 'nbs-310113101')]
    """
    return _nbs_rows(*_rows(text, source), source, id_prefix)


def _nbs_rows(header: list[str], rows: _Rows, source: str, id_prefix: str) -> list[Node]:
    if "code" not in header or "name" not in header:
        raise DataFormatError(
            f"{source}: an NBS table needs 'code' and 'name' columns.",
            f"{source}：统计用区划代码表需要 code 与 name 两列。",
            code="data.csv_header",
            source=source,
        )
    class_column = "class_code" if "class_code" in header else "class_code_2016"
    towns: dict[str, Node] = {}
    committees: list[Node] = []
    found: list[Problem] = []
    for line, row in rows:
        raw = row["code"]
        try:
            if raw.endswith("000") and len(raw) == 12:
                town = parse_town_code(raw)
                towns[town] = Node(
                    id=id_prefix + town,
                    level=Level.TOWN,
                    name=row["name"] or town,
                    code=town,
                    class_code=row.get(class_column) or None,
                )
                continue
            code = parse_stat_code(raw)
        except InvalidCodeError as err:
            found.append(_bad(source, line, "code", err.message_en, err.message_zh))
            continue
        if not row["name"]:
            found.append(_bad(source, line, "name", "name is empty", "名称为空"))
            continue
        committees.append(
            Node(
                id=id_prefix + code,
                level=Level.RESIDENTIAL_AREA,
                name=row["name"],
                parent=id_prefix + code[:9],
                code=code,
                class_code=row.get(class_column) or None,
            )
        )
    _raise_all(source, found)
    for committee in committees:
        town = committee.code[:9] if committee.code else ""
        if town not in towns:
            towns[town] = Node(id=id_prefix + town, level=Level.TOWN, name=town, code=town)
    return [towns[k] for k in sorted(towns)] + sorted(committees, key=lambda n: n.code or "")


def hierarchy_from_csv(path: str | os.PathLike[str]) -> Hierarchy:
    """Read a node CSV or an NBS CSV file (told apart by the header) into a hierarchy.

    Raises:
        DataFormatError: If the file cannot be read or has bad rows.
        HierarchyValidationError: If the rows do not form a valid graph; each problem
            names the line of the node concerned.

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp) / "towns.csv"
        ...     _ = path.write_text("code,name\\n310113101018,美罗家园佳翔苑居委会\\n")
        ...     len(hierarchy_from_csv(path))
        2
    """
    source = os.fspath(path)
    header, rows = _rows(read_bytes(path), source)
    nodes: Iterable[Node]
    lines: dict[str, int] = {}
    if "level" in header:
        nodes = _node_rows(header, rows, source)
        lines = {row["id"]: line for line, row in rows}
    else:
        nodes = _nbs_rows(header, rows, source, "nbs-")
    try:
        return Hierarchy(nodes)
    except HierarchyValidationError as err:
        raise HierarchyValidationError(
            attrs.evolve(p, location=f"{source}, line {lines[p.subject]}")
            if p.subject in lines
            else p
            for p in err.problems
        ) from None
