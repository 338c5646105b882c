"""A Sphinx directive that renders :data:`microgov.metrics.CATALOGUE` as a table.

Usage, in a MyST page::

    ```{metrics-table}
    ```

The table is built from the catalogue at build time, so the metrics reference never
drifts from the code: each indicator's id, names, unit, whether it adds up the graph,
and its definition in English and Chinese.
"""

from __future__ import annotations

from _tables import build_table
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from microgov.metrics import CATALOGUE

_HEADERS = ("Id", "中文", "English", "Unit", "Adds up?", "Definition", "定义")
_WIDTHS = (14, 10, 12, 7, 6, 30, 24)


class MetricsTable(SphinxDirective):
    """``metrics-table``: every indicator of :data:`microgov.metrics.CATALOGUE`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = (
            (
                nodes.literal(text=d.id),
                d.name_zh,
                d.name_en,
                d.unit,
                "yes" if d.additive else "no (ratio of sums)",
                d.definition,
                d.definition_zh,
            )
            for d in CATALOGUE
        )
        return [build_table("metrics-table", _HEADERS, _WIDTHS, rows)]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``metrics-table`` directive."""
    app.add_directive("metrics-table", MetricsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
