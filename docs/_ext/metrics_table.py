"""A Sphinx directive that renders :data:`microgov.metrics.CATALOGUE` as a table.

Usage, in a MyST page::

    ```{metrics-table}
    ```

The table is built from the catalogue at build time, so the metrics reference never
drifts from the code: each indicator's id, names, unit, whether it adds up the graph,
and its definition in English and Chinese.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from microgov.metrics import CATALOGUE

_HEADERS = ("Id", "中文", "English", "Unit", "Adds up?", "Definition", "定义")
_WIDTHS = (14, 10, 12, 7, 6, 30, 24)


def _cell(content: nodes.Node | str) -> nodes.entry:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(content) if isinstance(content, str) else content
    entry = nodes.entry()
    entry += paragraph
    return entry


def _row(cells: tuple[nodes.Node | str, ...]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += _cell(cell)
    return row


class MetricsTable(SphinxDirective):
    """``metrics-table``: every indicator of :data:`microgov.metrics.CATALOGUE`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["metrics-table"])
        group = nodes.tgroup(cols=len(_HEADERS))
        table += group
        for width in _WIDTHS:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(_HEADERS)
        group += head
        body = nodes.tbody()
        for d in CATALOGUE:
            body += _row(
                (
                    nodes.literal(text=d.id),
                    d.name_zh,
                    d.name_en,
                    d.unit,
                    "yes" if d.additive else "no (ratio of sums)",
                    d.definition,
                    d.definition_zh,
                )
            )
        group += body
        return [table]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``metrics-table`` directive."""
    app.add_directive("metrics-table", MetricsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
