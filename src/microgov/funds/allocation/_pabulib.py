"""Reading and writing pabulib ``.pb`` files exactly.

A pabulib file (https://pabulib.org) has three sections, each a marker line and a
``;``-separated header row: ``META`` (``key;value``), ``PROJECTS`` (``project_id;cost``
and any other columns) and ``VOTES`` (``voter_id;vote``, ``points`` for cumulative and
scoring ballots, and any voter columns).  Fields may be quoted as in CSV; a file may
start with a byte-order mark and use CRLF line ends.

Every number is read exactly (decimal text into :class:`~fractions.Fraction`, never a
float); every other column is kept as text, in file order, so that
:func:`write_pabulib` gives back the file it read (up to line ends, the BOM and
quoting that was not needed).  Every problem in a file is reported at once, each
with its line and field.
"""

from __future__ import annotations

import gc
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from sys import intern
from types import MappingProxyType
from typing import Final

import attrs

from microgov._serde import MAX_BYTES, decode_text, os_error_en, os_error_zh, read_bytes
from microgov.errors import DataFormatError, Problem

__all__ = [
    "VOTE_TYPES",
    "PbElection",
    "PbProject",
    "PbVoter",
    "dump_pabulib",
    "load_pabulib",
    "read_pabulib",
    "write_pabulib",
]

VOTE_TYPES: Final = frozenset({"approval", "ordinal", "cumulative", "scoring", "choose-1"})
"""The ballot kinds pabulib names in META ``vote_type``."""

_POINTS_TYPES: Final = frozenset({"cumulative", "scoring"})
_SECTIONS: Final = ("META", "PROJECTS", "VOTES")
_DECIMAL: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_QUOTE_NEEDED: Final = re.compile(r'[;"\r\n]')
_SPECIAL: Final = re.compile(r'["\r\n]')
_CELL: Final = re.compile(r'"((?:[^"]|"")*)"(?=;|\Z)|([^;]*)', re.DOTALL)
_JOIN_LIMIT: Final = 100  # a quoted field spans at most this many lines


class _Fields(Mapping[str, str]):
    """A read-only row of extra columns: one shared name index, one tuple of values.

    A big election has tens of thousands of voters with the same few columns; a dict
    per voter would cost several times the memory.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: tuple[str, ...]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> str:
        return self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


def _frozen_map(value: Mapping[str, str]) -> Mapping[str, str]:
    if type(value) is MappingProxyType:
        return value
    return MappingProxyType(dict(value))


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _projects_tuple(value: Iterable[PbProject]) -> tuple[PbProject, ...]:
    return tuple(value)


def _voters_tuple(value: Iterable[PbVoter]) -> tuple[PbVoter, ...]:
    return tuple(value)


def _problems(value: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(value)


def _points(value: Iterable[Fraction] | None) -> tuple[Fraction, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen(kw_only=True)
class PbProject:
    """One row of a pabulib ``PROJECTS`` section.

    Attributes:
        id: The project id, as text (``"10"`` is not ``10``).
        cost: The exact cost.
        fields: Every other column (``votes``, ``name``, ``selected`` …) as text, in
            file order.
        cost_text: The cost as written in the file (``"400000.0"``), kept so that the
            writer can give it back; not part of equality.

    Example:
        >>> from fractions import Fraction
        >>> p = PbProject(id="7", cost=Fraction(1500), fields={"name": "Park"})
        >>> p.fields["name"], p == PbProject(id="7", cost=Fraction(1500), fields={"name": "Park"})
        ('Park', True)
    """

    id: str
    cost: Fraction
    fields: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map, hash=False)
    cost_text: str | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class PbVoter:
    """One row of a pabulib ``VOTES`` section.

    Attributes:
        id: The voter id, as text.
        vote: The project ids voted for, in file order (the ranking, for ordinal
            ballots).
        points: The points given to each project of ``vote``, or None when the file
            has no ``points`` column.
        fields: Every other column (``age``, ``sex`` …) as text, in file order.
        points_text: The points as written in the file; not part of equality.

    Example:
        >>> v = PbVoter(id="v1", vote=("3", "1"), points=None, fields={"age": "40"})
        >>> v.vote, v.fields["age"]
        (('3', '1'), '40')
    """

    id: str
    vote: tuple[str, ...] = attrs.field(converter=_strings)
    points: tuple[Fraction, ...] | None = attrs.field(default=None, converter=_points)
    fields: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map, hash=False)
    points_text: str | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class PbElection:
    """A whole pabulib file: its META rows, projects and voters.

    Attributes:
        meta: Every ``META`` row as text, in file order (``budget``, ``vote_type`` …).
        projects: The projects, in file order.
        voters: The voters, in file order.
        project_columns: The ``PROJECTS`` header (starts with ``project_id``, has ``cost``).
        vote_columns: The ``VOTES`` header (starts with ``voter_id``, has ``vote``).
        warnings: The slips the reader read as what they obviously mean, one
            :class:`~microgov.errors.Problem` each with its line and field (see
            :func:`read_pabulib`); not part of equality.

    Example:
        >>> e = read_pabulib(
        ...     "META\\nkey;value\\nbudget;100\\nvote_type;approval\\nrule;greedy\\n"
        ...     "PROJECTS\\nproject_id;cost;selected\\na;60;1\\nb;50;0\\n"
        ...     "VOTES\\nvoter_id;vote\\n1;a,b\\n2;b\\n")
        >>> e.budget, e.vote_type, e.rule, sorted(e.selected or ()), e.approvals("b")
        (Fraction(100, 1), 'approval', 'greedy', ['a'], 2)
    """

    meta: Mapping[str, str] = attrs.field(converter=_frozen_map, hash=False)
    projects: tuple[PbProject, ...] = attrs.field(converter=_projects_tuple)
    voters: tuple[PbVoter, ...] = attrs.field(converter=_voters_tuple)
    project_columns: tuple[str, ...] = attrs.field(
        default=("project_id", "cost"), converter=_strings
    )
    vote_columns: tuple[str, ...] = attrs.field(default=("voter_id", "vote"), converter=_strings)
    warnings: tuple[Problem, ...] = attrs.field(
        default=(), converter=_problems, eq=False, repr=False
    )

    @property
    def budget(self) -> Fraction:
        """The META ``budget``, exactly.

        Raises:
            DataFormatError: If META has no budget or it is not a decimal number.

        Example:
            >>> PbElection(meta={"budget": "400000.0"}, projects=(), voters=()).budget
            Fraction(400000, 1)
        """
        text = self.meta.get("budget")
        value = None if text is None else _decimal(text)
        if value is None:
            raise DataFormatError(
                f"META budget is missing or not a decimal number: {text!r:.40}.",
                f"META 中的 budget 缺失或不是十进制数：{text!r:.40}。",
                code="pabulib.budget",
                field="budget",
            )
        return value

    @property
    def vote_type(self) -> str:
        """The META ``vote_type`` (``approval`` when absent).

        Example:
            >>> PbElection(meta={}, projects=(), voters=()).vote_type
            'approval'
        """
        return self.meta.get("vote_type", "approval")

    @property
    def rule(self) -> str | None:
        """The META ``rule``: how the city decided (e.g. ``equalshares/add1``), if given.

        Example:
            >>> print(PbElection(meta={}, projects=(), voters=()).rule)
            None
        """
        return self.meta.get("rule") or None

    @property
    def selected(self) -> frozenset[str] | None:
        """The ids whose ``selected`` column is ``1``, or None without that column.

        Example:
            >>> PbElection(meta={}, projects=(), voters=()).selected is None
            True
        """
        if "selected" not in self.project_columns:
            return None
        return frozenset(p.id for p in self.projects if p.fields.get("selected") == "1")

    def approvals(self, project_id: str) -> int:
        """How many voters name ``project_id`` in their vote.

        Args:
            project_id: A project id of this election.

        Returns:
            The number of ballots that include the project.

        Raises:
            DataFormatError: If no project has that id.

        Example:
            >>> e = PbElection(meta={}, projects=(PbProject(id="a", cost=Fraction(1)),),
            ...                voters=(PbVoter(id="1", vote=("a",)),))
            >>> e.approvals("a")
            1
        """
        if all(p.id != project_id for p in self.projects):
            raise DataFormatError(
                f"No project has the id {project_id!r:.40}.",
                f"没有编号为 {project_id!r:.40} 的项目。",
                code="pabulib.unknown_project",
                field="project_id",
            )
        return sum(1 for v in self.voters if project_id in v.vote)


def _decimal(text: str) -> Fraction | None:
    try:
        if text.isdigit() and text.isascii():
            return Fraction(int(text))
        if _DECIMAL.fullmatch(text):
            return Fraction(text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        return None
    return None


def _unusable(source: str, en: str, zh: str, code: str, line: int, field: str) -> DataFormatError:
    return DataFormatError(
        f"{source}, line {line}: {field}: {en}",
        f"{source} 第 {line} 行：{field}：{zh}",
        code=code,
        source=source,
        line=line,
        field=field,
    )


class _Reader:
    def __init__(self, source: str, *, strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def bad(self, line: int, field: str, code: str, en: str, zh: str) -> None:
        self.problems.append(
            Problem(
                code=code,
                message_en=en,
                message_zh=zh,
                field=field,
                location=f"{self.source}, line {line}",
            )
        )

    def anomaly(self, line: int, field: str, code: str, en: str, zh: str) -> None:
        """A slip read as what it obviously means: a warning, or a problem when strict."""
        if self.strict:
            self.bad(line, field, code, en, zh)
            return
        self.warnings.append(
            Problem(
                code=code,
                message_en=en,
                message_zh=zh,
                field=field,
                location=f"{self.source}, line {line}",
            )
        )

    def number(self, line: int, field: str, text: str, *, signed: bool = False) -> Fraction:
        value = _decimal(text)
        if value is None or (value < 0 and not signed):
            self.bad(
                line,
                field,
                "pabulib.number",
                f"{field} must be a{'' if signed else ' non-negative'} decimal number "
                f"like 1500 or 400000.0, got {text!r:.40}.",
                f"{field} 必须是{'' if signed else '非负'}十进制数（如 1500 或 400000.0），"
                f"实际为 {text!r:.40}。",
            )
            return Fraction(0)
        return value


def _tokenize(line: str) -> tuple[list[str], tuple[int, ...], bool]:
    """Cells of a line with quotes: quoted cells unquoted, slips read as written.

    Returns the cells, the indices of cells with a stray quote (read literally), and
    whether the line ends inside an opened, unclosed quoted cell.
    """
    cells: list[str] = []
    strays: list[int] = []
    pos, end = 0, len(line)
    while True:
        match = _CELL.match(line, pos)
        assert match is not None  # the second branch matches the empty string
        quoted, plain = match.groups()
        if quoted is not None:
            cells.append(quoted.replace('""', '"'))
        else:
            if '"' in plain:
                strays.append(len(cells))
            cells.append(plain)
        pos = match.end()
        if pos >= end:
            break
        pos += 1  # the ';'
        if pos == end:
            cells.append("")
            break
    last = cells[-1]
    unclosed = bool(strays) and strays[-1] == len(cells) - 1 and last.startswith('"')
    return cells, tuple(strays), unclosed and last.count('"') % 2 == 1


def _rows(text: str) -> tuple[list[tuple[int, list[str]]], dict[int, tuple[int, ...]]]:
    """Split into records, dropping blank lines; quotes as in CSV, slips read as written.

    A quoted cell may span lines (CSV).  A quote that does not open and close a cell
    (``Park "Zielony``, ``"Park"x``) is read as the text written, and the cell is
    marked (line → cell indices) so that the reader can warn, or refuse when strict.
    """
    lines = text.split("\n")
    rows: list[tuple[int, list[str]]] = []
    slips: dict[int, tuple[int, ...]] = {}
    i = 0
    count = len(lines)
    while i < count:
        line = lines[i]
        start = i + 1
        i += 1
        if line.endswith("\r"):
            line = line[:-1]
        if '"' not in line:
            if line.strip():
                rows.append((start, line.split(";")))
            continue
        cells, strays, unclosed = _tokenize(line)
        if unclosed:  # a quoted cell may go on over the next lines, as CSV allows
            parts = [line]
            j = i
            while j < count and j - i < _JOIN_LIMIT:
                parts.append(lines[j].removesuffix("\r"))
                j += 1
                if parts[-1].count('"') % 2:  # the open cell's quotes pair up here
                    joined, joined_strays, still = _tokenize("\n".join(parts))
                    if not (joined_strays or still):
                        cells, strays, i = joined, (), j
                    break
        rows.append((start, cells))
        if strays:
            slips[start] = strays
    return rows, slips


def read_pabulib(text: str | bytes, *, source: str = "<pb>", strict: bool = False) -> PbElection:
    """Read a pabulib ``.pb`` file, checking it thoroughly.

    Real files have slips that keep their meaning plain; they are read as what they
    obviously mean, each reported in :attr:`PbElection.warnings` with its line and
    field (``strict=True`` refuses them instead, as problems of the error):

    - ``pabulib.repeated_project``: an approval or ordinal vote names a project twice;
      it counts once (at its first place).  In a cumulative or scoring vote the points
      given twice cannot be read honestly: always an error.
    - ``pabulib.line_break``: a line break inside an unquoted text cell of
      ``PROJECTS`` (a project's name): the two lines are one row, the break read as
      a space.
    - ``pabulib.quoting``: a quote that neither opens nor closes a cell
      (``Park "Zielony``, ``"Park"x``): the cell is read as written.

    Anything that cannot be read honestly stays an error with its line and field: a
    row with missing or extra cells, a number that is not one, an unknown project.

    Args:
        text: The file's text (str, or UTF-8 bytes with or without a BOM; xz- or
            gzip-compressed bytes are decompressed first).
        source: The file name used in messages.
        strict: Refuse every slip instead of reading it with a warning.

    Returns:
        The election, with every row and column of the file, and its warnings.

    Raises:
        DataFormatError: ``pabulib.empty``, ``pabulib.section``, ``pabulib.header`` or
            ``data.compression`` (with ``line`` and ``field`` in ``details``) when the
            file cannot be read as a whole; ``data.records`` with one
            :class:`~microgov.errors.Problem` per bad field (location ``source, line N``)
            otherwise: bad numbers, duplicate ids, votes for unknown projects, points
            not matching votes, ``num_projects``/``num_votes`` not matching the rows,
            and, when ``strict``, every slip listed above.

    Example:
        >>> read_pabulib("META\\nkey;value\\nbudget;10\\nvote_type;approval\\n"
        ...              "PROJECTS\\nproject_id;cost\\na;1.50\\n"
        ...              "VOTES\\nvoter_id;vote\\n1;a\\n").projects[0].cost
        Fraction(3, 2)
        >>> read_pabulib("META\\nkey;value\\nbudget;ten\\nvote_type;approval\\n"
        ...              "PROJECTS\\nproject_id;cost\\nVOTES\\nvoter_id;vote\\n", source="x.pb")
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: x.pb: 1 problem(s): ...line 3: budget: ...
        >>> slip = read_pabulib("META\\nkey;value\\nbudget;10\\nvote_type;approval\\n"
        ...                     "PROJECTS\\nproject_id;cost\\na;1\\n"
        ...                     "VOTES\\nvoter_id;vote\\n1;a,a\\n", source="y.pb")
        >>> w = slip.warnings[0]
        >>> slip.voters[0].vote, w.location, w.field, w.code
        (('a',), 'y.pb, line 10', 'vote', 'pabulib.repeated_project')
        >>> w.message_en
        "the vote names project 'a' more than once; it counts once."
    """
    # Hundreds of thousands of small objects and no cycles: the cyclic collector
    # would only rescan them over and over (it doubles the time on Łódź 2022).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(decode_text(_decompress(text, source), source), source, strict=strict)
    finally:
        if collecting:
            gc.enable()


def _read(text: str, source: str, *, strict: bool) -> PbElection:
    rows, slips = _rows(text)
    if not rows:
        raise _unusable(source, "the file is empty.", "文件为空。", "pabulib.empty", 1, "META")
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    marks: dict[str, int] = {}
    current: list[tuple[int, list[str]]] | None = None
    for line, cells in rows:
        name = cells[0].strip() if len(cells) == 1 else ""
        if name in _SECTIONS:
            if name in sections:
                raise _unusable(
                    source,
                    f"a second {name} section.",
                    f"{name} 段出现了两次。",
                    "pabulib.section",
                    line,
                    name,
                )
            current = sections[name] = []
            marks[name] = line
        elif current is None:
            raise _unusable(
                source,
                "text before the META section.",
                "META 段之前有多余内容。",
                "pabulib.section",
                line,
                "META",
            )
        else:
            current.append((line, cells))
    last = rows[-1][0] + 1
    for name in _SECTIONS:
        if name not in sections:
            raise _unusable(
                source,
                f"the {name} section is missing.",
                f"缺少 {name} 段。",
                "pabulib.section",
                last,
                name,
            )
    meta_rows = _body(sections["META"], marks["META"], ("key", "value"), source)
    project_header, project_rows = _table(
        sections["PROJECTS"], marks["PROJECTS"], ("project_id", "cost"), source
    )
    del rows  # the sections hold every row; VOTES rows are freed as voters are read
    vote_header, vote_rows = _table(
        sections.pop("VOTES"), marks["VOTES"], ("voter_id", "vote"), source
    )
    reader = _Reader(source, strict=strict)
    for line, cells_at in slips.items():
        section = max((n for n in _SECTIONS if marks[n] < line), key=marks.__getitem__)
        columns = {
            "META": ("key", "value"),
            "PROJECTS": project_header,
            "VOTES": vote_header,
        }[section]
        for at in cells_at:
            field = columns[at] if at < len(columns) else section
            reader.anomaly(
                line,
                field,
                "pabulib.quoting",
                "a stray quote in an unquoted cell; read as written.",
                "未加引号的单元格中有多余的引号，按原文读取。",
            )
    meta, meta_lines = _meta(reader, meta_rows)
    vote_type = meta.get("vote_type", "approval")
    projects = _projects(reader, project_header, project_rows)
    known = {p.id for p in projects}
    voters = _voters(reader, vote_header, vote_rows, known, vote_type, marks["VOTES"] + 1)
    for key, found in (("num_projects", len(projects)), ("num_votes", len(voters))):
        if key in meta and meta[key].strip() != str(found):
            reader.bad(
                meta_lines[key],
                key,
                "pabulib.count",
                f"{key} says {meta[key]!r:.20}, but the file has {found}.",
                f"{key} 为 {meta[key]!r:.20}，但文件中实有 {found} 条。",
            )
    if reader.problems:
        listing = "".join(f"\n  - {p}" for p in reader.problems[:20])
        raise DataFormatError(
            f"{source}: {len(reader.problems)} problem(s):{listing}",
            f"{source}：{len(reader.problems)} 处错误。",
            code="data.records",
            problems=reader.problems,
            source=source,
        )
    return PbElection(
        meta=MappingProxyType(meta),
        projects=projects,
        voters=voters,
        project_columns=project_header,
        vote_columns=vote_header,
        warnings=reader.warnings,
    )


def _body(
    rows: list[tuple[int, list[str]]], mark: int, required: tuple[str, ...], source: str
) -> list[tuple[int, list[str]]]:
    header, body = _table(rows, mark, required, source)
    if header != required:
        raise _unusable(
            source,
            f"the header must be {';'.join(required)}, got {';'.join(header)!r:.60}.",
            f"表头应为 {';'.join(required)}，实际为 {';'.join(header)!r:.60}。",
            "pabulib.header",
            rows[0][0],
            "header",
        )
    return body


def _table(
    rows: list[tuple[int, list[str]]], mark: int, required: tuple[str, ...], source: str
) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    if not rows:
        raise _unusable(
            source,
            f"the section has no header row; it must start with {';'.join(required)}.",
            f"该段缺少表头，应以 {';'.join(required)} 开头。",
            "pabulib.header",
            mark + 1,
            required[0],
        )
    line, cells = rows[0]
    header = tuple(c.strip() for c in cells)
    for position, column in enumerate(required):
        if column not in header or (position == 0 and header[0] != column):
            raise _unusable(
                source,
                f"the header {';'.join(header)!r:.60} must have the column {column!r}"
                + (" first." if position == 0 else "."),
                f"表头 {';'.join(header)!r:.60} 必须包含 {column!r} 列"
                + ("（且为第一列）。" if position == 0 else "。"),
                "pabulib.header",
                line,
                column,
            )
    if len(set(header)) != len(header):
        raise _unusable(
            source,
            "the header names a column twice.",
            "表头有重复的列名。",
            "pabulib.header",
            line,
            "header",
        )
    del rows[0]  # the section's list is the only holder: no copy of a big VOTES section
    return header, rows


def _shape(reader: _Reader, line: int, cells: list[str], width: int, section: str) -> bool:
    if len(cells) == width:
        return True
    reader.bad(
        line,
        section,
        "pabulib.shape",
        f"{len(cells)} cells, but the header has {width}.",
        f"有 {len(cells)} 列，表头有 {width} 列。",
    )
    return False


def _meta(
    reader: _Reader, rows: list[tuple[int, list[str]]]
) -> tuple[dict[str, str], dict[str, int]]:
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, cells in rows:
        if len(cells) > 2:  # an unquoted ';' inside a value
            cells = [cells[0], ";".join(cells[1:])]
        if not _shape(reader, line, cells, 2, "META"):
            continue
        key, value = cells[0].strip(), cells[1]
        if key in meta:
            reader.bad(
                line,
                key,
                "pabulib.duplicate",
                f"META key {key!r:.40} appears twice (first on line {lines[key]}).",
                f"META 键 {key!r:.40} 重复（首次出现在第 {lines[key]} 行）。",
            )
            continue
        meta[key] = value
        lines[key] = line
    for key in ("budget", "vote_type"):
        if key not in meta:
            reader.bad(
                rows[-1][0] if rows else 2,
                key,
                "pabulib.meta",
                f"META has no {key} row.",
                f"META 中缺少 {key}。",
            )
    if "budget" in meta:
        reader.number(lines["budget"], "budget", meta["budget"].strip())
    if meta.get("vote_type", "approval") not in VOTE_TYPES:
        reader.bad(
            lines["vote_type"],
            "vote_type",
            "pabulib.vote_type",
            f"unknown vote_type {meta['vote_type']!r:.40}; expected one of: "
            + ", ".join(sorted(VOTE_TYPES))
            + ".",
            f"未知的投票类型 {meta['vote_type']!r:.40}；应为其中之一："
            + "、".join(sorted(VOTE_TYPES))
            + "。",
        )
    return meta, lines


def _projects(
    reader: _Reader, header: tuple[str, ...], rows: list[tuple[int, list[str]]]
) -> list[PbProject]:
    width = len(header)
    cost_at = header.index("cost")
    others = [(i, c) for i, c in enumerate(header) if i not in (0, cost_at)]
    seen: dict[str, int] = {}
    projects: list[PbProject] = []
    for line, cells in _mend_breaks(reader, header, rows):
        if not _shape(reader, line, cells, width, "PROJECTS"):
            continue
        pid = cells[0].strip()
        if not pid:
            reader.bad(line, "project_id", "pabulib.id", "project_id is empty.", "项目编号为空。")
            continue
        if pid in seen:
            reader.bad(
                line,
                "project_id",
                "pabulib.duplicate",
                f"project {pid!r:.40} appears twice (first on line {seen[pid]}).",
                f"项目 {pid!r:.40} 重复（首次出现在第 {seen[pid]} 行）。",
            )
            continue
        seen[pid] = line
        text = cells[cost_at]
        projects.append(
            PbProject(
                id=pid,
                cost=reader.number(line, "cost", text.strip()),
                fields=MappingProxyType({c: cells[i] for i, c in others}),
                cost_text=text,
            )
        )
    return projects


def _mend_breaks(
    reader: _Reader, header: tuple[str, ...], rows: list[tuple[int, list[str]]]
) -> list[tuple[int, list[str]]]:
    """Join a PROJECTS row cut by a line break inside an unquoted text cell.

    A short row joins the rows after it when they are short too and together make a
    whole row, the cut falling in a text column (not ``project_id`` or ``cost``).
    """
    width = len(header)
    text_columns = {i for i, c in enumerate(header) if c not in ("project_id", "cost")}
    mended: list[tuple[int, list[str]]] = []
    i = 0
    while i < len(rows):
        line, cells = rows[i]
        i += 1
        if len(cells) < width:
            joined, j, cuts = list(cells), i, []
            while len(joined) < width and j < len(rows):
                nxt_line, nxt = rows[j]
                if len(nxt) >= width or nxt_line != line + (j - i) + 1:
                    break
                cuts.append(len(joined) - 1)
                joined[-1:] = [joined[-1].rstrip() + " " + nxt[0].lstrip(), *nxt[1:]]
                j += 1
            if len(joined) == width and cuts and text_columns.issuperset(cuts):
                last = rows[j - 1][0]
                for at in dict.fromkeys(cuts):
                    reader.anomaly(
                        line,
                        header[at],
                        "pabulib.line_break",
                        f"a line break inside an unquoted cell (lines {line}-{last}); "
                        "read as one row, the break as a space.",
                        f"未加引号的单元格中有换行（第 {line}-{last} 行），"
                        "按同一行读取，换行视为空格。",
                    )
                mended.append((line, joined))
                i = j
                continue
        mended.append((line, cells))
    return mended


def _picker(indices: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    if len(indices) == 1:
        at = indices[0]
        return lambda cells: (cells[at],)
    return operator.itemgetter(*indices) if indices else (lambda _: ())


def _voters(
    reader: _Reader,
    header: tuple[str, ...],
    rows: list[tuple[int, list[str]]],
    known: set[str],
    vote_type: str,
    header_line: int,
) -> list[PbVoter]:
    width = len(header)
    vote_at = header.index("vote")
    points_at = header.index("points") if "points" in header else -1
    if points_at < 0 and vote_type in _POINTS_TYPES:
        reader.bad(
            header_line,
            "points",
            "pabulib.header",
            f"a {vote_type} election needs a points column in VOTES.",
            f"{vote_type} 类型的投票需要 VOTES 中有 points 列。",
        )
    others = [(i, c) for i, c in enumerate(header) if i not in (0, vote_at, points_at)]
    names = MappingProxyType({c: k for k, (_, c) in enumerate(others)})
    pick = _picker([i for i, _ in others])
    empty: Mapping[str, str] = MappingProxyType({})
    new, put = object.__new__, object.__setattr__
    seen: dict[str, int] = {}
    voters: list[PbVoter] = []
    append = voters.append
    rows.reverse()  # consumed from the end, so each row's cells are freed once read
    pop = rows.pop
    while rows:
        line, cells = pop()
        if len(cells) != width and not _shape(reader, line, cells, width, "VOTES"):
            continue
        vid = cells[0].strip()
        if not vid:
            reader.bad(line, "voter_id", "pabulib.id", "voter_id is empty.", "投票人编号为空。")
            continue
        if vid in seen:
            reader.bad(
                line,
                "voter_id",
                "pabulib.duplicate",
                f"voter {vid!r:.40} appears twice (first on line {seen[vid]}).",
                f"投票人 {vid!r:.40} 重复（首次出现在第 {seen[vid]} 行）。",
            )
            continue
        seen[vid] = line
        raw = cells[vote_at].strip()
        # Interned: a big election repeats the same few ids and field values many times.
        vote = tuple(map(intern, raw.split(","))) if raw else ()
        if not known.issuperset(vote):
            unknown = ", ".join(repr(p) for p in vote if p not in known)
            reader.bad(
                line,
                "vote",
                "pabulib.unknown_project",
                f"the vote names unknown project(s) {unknown:.60}.",
                f"选票中有不存在的项目 {unknown:.60}。",
            )
        elif len(vote) > 1 and len(set(vote)) != len(vote):
            twice = ", ".join(repr(p) for p in dict.fromkeys(p for p in vote if vote.count(p) > 1))
            if points_at >= 0:
                reader.bad(
                    line,
                    "vote",
                    "pabulib.repeated_project",
                    f"the vote names project {twice:.60} more than once; with points "
                    "the vote cannot be read.",
                    f"选票中项目 {twice:.60} 出现了多次；带分数的选票无法据此读取。",
                )
            else:
                reader.anomaly(
                    line,
                    "vote",
                    "pabulib.repeated_project",
                    f"the vote names project {twice:.60} more than once; it counts once.",
                    f"选票中项目 {twice:.60} 出现了多次，只计一次。",
                )
                vote = tuple(dict.fromkeys(vote))
        points: tuple[Fraction, ...] | None = None
        points_text: str | None = None
        if points_at >= 0:
            points_text = cells[points_at]
            stripped = points_text.strip()
            given = stripped.split(",") if stripped else []
            points = tuple(reader.number(line, "points", p.strip(), signed=True) for p in given)
            if len(points) != len(vote):
                reader.bad(
                    line,
                    "points",
                    "pabulib.points",
                    f"{len(points)} points for {len(vote)} projects voted for.",
                    f"给出 {len(points)} 个分数，但投了 {len(vote)} 个项目。",
                )
        # The reader's values are already of the right types: skip attrs' __init__.
        voter = new(PbVoter)
        put(voter, "id", vid)
        put(voter, "vote", vote)
        put(voter, "points", points)
        put(voter, "fields", _Fields(names, tuple(map(intern, pick(cells)))) if names else empty)
        put(voter, "points_text", points_text)
        append(voter)
    return voters


_XZ_MAGIC: Final = b"\xfd7zXZ\x00"
_GZIP_MAGIC: Final = b"\x1f\x8b"


def _decompress(data: str | bytes, source: str) -> str | bytes:
    """xz or gzip bytes (known by their first bytes) decompressed, within MAX_BYTES."""
    if not isinstance(data, bytes) or not data.startswith((_XZ_MAGIC, _GZIP_MAGIC)):
        return data
    import lzma
    import zlib

    xz = data.startswith(_XZ_MAGIC)
    try:
        if xz:
            unpacker = lzma.LZMADecompressor()
            out = unpacker.decompress(data, max_length=MAX_BYTES + 1)
            done = unpacker.eof
        else:
            inflater = zlib.decompressobj(wbits=31)
            out = inflater.decompress(data, MAX_BYTES + 1)
            done = inflater.eof
    except (lzma.LZMAError, zlib.error) as err:
        raise DataFormatError(
            f"{source}: the {'xz' if xz else 'gzip'} data is damaged ({err}).",
            f"{source}：{'xz' if xz else 'gzip'} 压缩数据已损坏。",
            code="data.compression",
            source=source,
        ) from None
    if len(out) > MAX_BYTES:
        raise DataFormatError(
            f"{source}: more than {MAX_BYTES} bytes once decompressed.",
            f"{source}：解压后超过 {MAX_BYTES} 字节。",
            code="data.too_large",
            source=source,
        )
    if not done:
        raise DataFormatError(
            f"{source}: the {'xz' if xz else 'gzip'} data ends too early.",
            f"{source}：{'xz' if xz else 'gzip'} 压缩数据不完整。",
            code="data.compression",
            source=source,
        )
    return out


def load_pabulib(path: str | os.PathLike[str], *, strict: bool = False) -> PbElection:
    """Read a pabulib file from disk: ``.pb``, or xz/gzip-compressed (``.pb.xz``, ``.pb.gz``).

    Args:
        path: The file (compression is known by its first bytes, not its name).
        strict: Refuse every slip instead of reading it with a warning (see
            :func:`read_pabulib`).

    Returns:
        The election, with its warnings.

    Raises:
        DataFormatError: ``data.unreadable`` (no such file, a directory, no
            permission), ``data.compression`` (damaged xz/gzip data), or a malformed
            file (see :func:`read_pabulib`).

    Example:
        >>> load_pabulib("/nonexistent/x.pb")
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: /nonexistent/x.pb: cannot read the file: ...
    """
    return read_pabulib(read_bytes(path), source=os.fspath(path), strict=strict)


def _format_number(value: Fraction, field: str) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    den, twos, fives = value.denominator, 0, 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        raise DataFormatError(
            f"{field} {value} cannot be written as a decimal number.",
            f"{field} {value} 无法写成有限小数。",
            code="pabulib.not_decimal",
            field=field,
        )
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _number_text(value: Fraction, text: str | None, field: str) -> str:
    if text is not None and _decimal(text.strip()) == value:
        return text
    return _format_number(value, field)


def _points_text(points: tuple[Fraction, ...], text: str | None) -> str:
    if text is not None:
        given = text.strip().split(",") if text.strip() else []
        if len(given) == len(points) and all(
            _decimal(g.strip()) == p for g, p in zip(given, points, strict=True)
        ):
            return text
    return ",".join(_format_number(p, "points") for p in points)


def _cell(text: str) -> str:
    if _QUOTE_NEEDED.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _line(cells: list[str]) -> str:
    joined = ";".join(cells)
    if joined.count(";") == len(cells) - 1 and not _SPECIAL.search(joined):
        return joined
    return ";".join(_cell(c) for c in cells)


def write_pabulib(election: PbElection) -> str:
    """Write an election as pabulib ``.pb`` text (``\\n`` line ends, no BOM).

    Every META row and every column is written in its order; numbers are written as
    they were read when they still have that value, otherwise as plain decimals.

    Args:
        election: The election to write.

    Returns:
        The file's text; :func:`read_pabulib` reads it back to an equal election.

    Raises:
        DataFormatError: If a cost or points value is not a finite decimal
            (``pabulib.not_decimal``), or a column named by a header is missing
            from the election (``pabulib.header``).

    Example:
        >>> text = ("META\\nkey;value\\nbudget;400000.0\\nvote_type;approval\\n"
        ...         "PROJECTS\\nproject_id;cost;name\\n1;2500.50;\\"Park \\"\\"Zielony\\"\\"\\"\\n"
        ...         "VOTES\\nvoter_id;vote;age\\n9;1;40\\n")
        >>> write_pabulib(read_pabulib(text)) == text
        True
    """
    out: list[str] = ["META", "key;value"]
    out.extend(_line([k, v]) for k, v in election.meta.items())
    out.append("PROJECTS")
    pcols = election.project_columns
    _check_header(pcols, ("project_id", "cost"))
    out.append(_line(list(pcols)))
    for p in election.projects:
        row = []
        for column in pcols:
            if column == "project_id":
                row.append(p.id)
            elif column == "cost":
                row.append(_number_text(p.cost, p.cost_text, "cost"))
            else:
                row.append(p.fields.get(column, ""))
        out.append(_line(row))
    out.append("VOTES")
    vcols = election.vote_columns
    _check_header(vcols, ("voter_id", "vote"))
    out.append(_line(list(vcols)))
    for v in election.voters:
        row = []
        for column in vcols:
            if column == "voter_id":
                row.append(v.id)
            elif column == "vote":
                row.append(",".join(v.vote))
            elif column == "points":
                row.append(_points_text(v.points or (), v.points_text))
            else:
                row.append(v.fields.get(column, ""))
        out.append(_line(row))
    return "\n".join(out) + "\n"


def _check_header(columns: tuple[str, ...], required: tuple[str, ...]) -> None:
    if not columns or columns[0] != required[0] or required[1] not in columns:
        raise DataFormatError(
            f"the columns {columns!r:.80} must start with {required[0]} and include {required[1]}.",
            f"列 {columns!r:.80} 必须以 {required[0]} 开头并包含 {required[1]}。",
            code="pabulib.header",
            field=required[0],
        )


def dump_pabulib(election: PbElection, path: str | os.PathLike[str]) -> None:
    """Write an election to a ``.pb`` file (UTF-8, ``\\n`` line ends).

    Args:
        election: The election to write.
        path: The file to create or replace.

    Raises:
        DataFormatError: If the election cannot be written (see :func:`write_pabulib`)
            or the file cannot be created.

    Example:
        >>> import tempfile, pathlib
        >>> e = read_pabulib("META\\nkey;value\\nbudget;5\\nvote_type;approval\\n"
        ...                  "PROJECTS\\nproject_id;cost\\na;5\\nVOTES\\nvoter_id;vote\\n1;a\\n")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp) / "e.pb"
        ...     dump_pabulib(e, path)
        ...     load_pabulib(path) == e
        True
    """
    text = write_pabulib(election)
    source = os.fspath(path)
    try:
        Path(source).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        raise DataFormatError(
            f"{source}: cannot write the file: {os_error_en(err)}.",
            f"{source}：无法写入文件：{os_error_zh(err)}。",
            code="data.unwritable",
            source=source,
        ) from None
