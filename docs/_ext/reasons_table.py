"""A Sphinx directive that renders :data:`microgov.policy.REASONS` as a table.

Usage, in a MyST page::

    ```{reasons-table}
    ```

The table is built from the catalogue at build time, so the page never drifts from the
code. Only the code, whether it passes, the English and Chinese summaries and the
citations are shown; the catalogue itself is the reference.
"""

from __future__ import annotations

from _tables import build_table
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from microgov.policy import REASONS, Citation, Reason

_HEADERS = ("Code", "Area", "Passes?", "English", "中文", "Citation (法律依据)")
_WIDTHS = (18, 8, 6, 26, 22, 20)


def _citations(entry: Reason) -> str:
    if entry.citation is None:
        return "—"
    text = str(entry.citation)
    if entry.see_also:
        also = "; ".join(_short(c) for c in entry.see_also)
        text += f"; see also: {also}"
    return text


def _short(citation: Citation) -> str:
    article = f" {citation.article}" if citation.article else ""
    unverified = " (UNVERIFIED)" if not citation.verified else ""
    return f"{citation.source}{article}{unverified}"


class ReasonsTable(SphinxDirective):
    """``reasons-table``: every reason code of :data:`microgov.policy.REASONS`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = (
            (
                nodes.literal(text=code),
                entry.area,
                "yes" if entry.passed else "no",
                entry.summary_en,
                entry.summary_zh,
                _citations(entry),
            )
            for code, entry in REASONS.items()
        )
        return [build_table("reasons-table", _HEADERS, _WIDTHS, rows)]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``reasons-table`` directive."""
    app.add_directive("reasons-table", ReasonsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
