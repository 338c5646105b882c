"""Shared builder for the docs' generated tables (reason codes, indicators)."""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes

Cell = nodes.Node | str


def _cell(content: Cell) -> nodes.entry:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(content) if isinstance(content, str) else content
    entry = nodes.entry()
    entry += paragraph
    return entry


def _row(cells: Iterable[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += _cell(cell)
    return row


def build_table(
    css_class: str,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    rows: Iterable[tuple[Cell, ...]],
) -> nodes.table:
    """A docutils table with a header row, one column width per header, and ``rows``."""
    table = nodes.table(classes=[css_class])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row(headers)
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += _row(cells)
    group += body
    return table
